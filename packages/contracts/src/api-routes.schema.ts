import { z } from 'zod';
import { MAX_SCAN_IMAGES, RECORD_ID } from './event.schema.js';
import {
  confirmBodySchema,
  deletedMedicationViewSchema,
  deviceViewSchema,
  historyEntryViewSchema,
  medicationAddSchema,
  medicationPatchSchema,
  personMergeBodySchema,
  personNameBodySchema,
  personViewSchema,
  refillBodySchema,
  errorBodySchema,
  extractAcceptedSchema,
  JOB_FILTERS,
  jobFailedSchema,
  jobResultSchema,
  jobRunningSchema,
  jobStatusViewSchema,
  medicationEditSchema,
  medicationViewSchema,
  pairBodySchema,
  pairedViewSchema,
  pairingCodeViewSchema,
  sessionViewSchema,
} from './api.schema.js';

/**
 * Every HTTP route under /meds, declared once: the services register their handlers
 * at these paths and validate with these schemas, the OpenAPI document is generated
 * from them, and web labels its request metrics with their patterns.
 */

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

/** Who may call a route (web checks it before forwarding): anyone, a paired device or the admin secret, or the admin secret only. */
export type RouteAccess = 'public' | 'device' | 'admin';

export interface ApiResponse {
  description: string;
  /** The body; none for 204 and 101. */
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
}

export interface ApiRoute {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/meds/extract/{job_id}/status`. */
  path: `/meds${string}`;
  /** The service that answers it behind web. */
  service: 'ingest' | 'med-store';
  summary: string;
  description?: string;
  access: RouteAccess;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; contentType: 'application/json' | 'multipart/form-data' };
  responses: Record<number, ApiResponse>;
}

const error = (description: string): ApiResponse => ({ description, schema: errorBodySchema });
/** A path id: the shape of the ids the system makes; any other is answered 404 before any lookup. */
const pathId = () => z.string().regex(RECORD_ID);
const jobId = z.object({ job_id: pathId().meta({ description: 'The id `POST /meds/extract` answered with' }) });
const medId = z.object({ id: pathId() });
const seq = z.object({
  seq: z
    .string()
    .regex(/^\d+$/)
    .optional()
    .meta({ description: 'The `seq` of the 202: the read waits (briefly) until the job is projected that far' }),
});
const personQuery = z.object({ person: z.string().optional().meta({ description: 'Only this person’s (`GET /meds/people`)' }) });
const unavailable = error('The bus is briefly unavailable (`bus_unavailable`); try again in a few seconds');
const notFound = (what: string) => error(`No such ${what}`);
/** A change published, then set aside by the projection instead of applied (it is parked): the request changed nothing. */
const notApplied = error('The change could not be recorded and was set aside for an operator (`not_applied`, `ops parked`); nothing changed');
/** A scan the stream has but the tables do not yet (med-store catching up or taking its lease over): never a 404. */
const notProjectedYet = error('Just accepted and not recorded yet (`not_projected_yet`): ask again after `Retry-After`');

export const API_ROUTES = {
  uploadPhoto: {
    method: 'post',
    path: '/meds/extract',
    service: 'ingest',
    access: 'device',
    summary: 'Upload a photo of a label; reading it happens in the background',
    description:
      'One to four photos of the same bottle (“add another side”), each in a part named `image`: one scan, read photo by photo and merged field by field. Answered only once every photo is stored (fsync, rename) and the job is stored on the bus; a photo refused refuses the whole upload.',
    body: {
      contentType: 'multipart/form-data',
      schema: z
        .object({
          image: z
            .union([z.string().meta({ format: 'binary' }), z.array(z.string().meta({ format: 'binary' })).min(1).max(MAX_SCAN_IMAGES)])
            .meta({ description: 'JPEG, PNG, WebP, TIFF or AVIF, judged by its bytes; repeat the part for up to four photos' }),
        })
        .meta({ id: 'PhotoUpload' }),
    },
    responses: {
      200: { description: 'The same photos (same SHA-256 each, in any order) were sent before: their job, nothing new queued (`status: duplicate`)', schema: extractAcceptedSchema },
      202: { description: 'Accepted: follow `poll_url` or the push channel', schema: extractAcceptedSchema },
      400: error('No photo in the field `image`, or not an image (the message names which photo)'),
      413: error('A photo larger than MAX_UPLOAD_MB (`file_too_large`) or MAX_IMAGE_MEGAPIXELS (`image_too_large`), the photos together larger than MAX_SCAN_MB (`scan_too_large`), or more than four photos (`too_many_images`)'),
      415: error('Not multipart, or a format that cannot be read (`heic_not_supported`)'),
      429: error('Too many uploads at once or per minute (see `Retry-After`)'),
      503: unavailable,
      507: error('Storing it would leave less free than the data disk\'s reserve, MIN_FREE_DISK_MB (`insufficient_storage`); uploads resume once space is freed'),
    },
  },
  jobStatus: {
    method: 'get',
    path: '/meds/extract/{job_id}/status',
    service: 'med-store',
    access: 'device',
    summary: 'What became of a scan',
    params: jobId,
    query: seq,
    responses: { 200: { description: 'The scan', schema: jobStatusViewSchema }, 404: notFound('scan (`job_not_found`)'), 503: notProjectedYet },
  },
  jobResult: {
    method: 'get',
    path: '/meds/extract/{job_id}/result',
    service: 'med-store',
    access: 'device',
    summary: 'The reading of a scan, once there is one',
    params: jobId,
    query: seq,
    responses: {
      200: { description: 'Completed: the reading', schema: jobResultSchema },
      202: { description: 'Still queued or being read', schema: jobRunningSchema },
      404: notFound('scan'),
      422: { description: 'Failed: why', schema: jobFailedSchema },
      503: notProjectedYet,
    },
  },
  jobImage: {
    method: 'get',
    path: '/meds/extract/{job_id}/image',
    service: 'med-store',
    access: 'device',
    summary: 'The (first) photo of a scan, upright and without metadata (at most 1600 px); the same as `/image/0`',
    params: jobId,
    query: seq,
    responses: {
      200: { description: 'The display copy', contentType: 'image/jpeg' },
      404: error('No such scan, or its photo is no longer kept (`image_not_found`)'),
      422: error('The photo cannot be shown (`image_unreadable`)'),
      503: notProjectedYet,
    },
  },
  jobImageAt: {
    method: 'get',
    path: '/meds/extract/{job_id}/image/{index}',
    service: 'med-store',
    access: 'device',
    summary: 'One photo of a scan by its index in the status’s `images` (0 is the first), upright and without metadata (at most 1600 px)',
    params: jobId.extend({ index: z.string().regex(/^[0-3]$/).meta({ description: '0..3' }) }),
    query: seq,
    responses: {
      200: { description: 'The display copy', contentType: 'image/jpeg' },
      404: error('No such scan, no photo with that index (`image_not_found`), or it is no longer kept'),
      422: error('The photo cannot be shown (`image_unreadable`)'),
      503: notProjectedYet,
    },
  },
  retryJob: {
    method: 'post',
    path: '/meds/extract/{job_id}/retry',
    service: 'med-store',
    access: 'device',
    summary: 'Read a scan again from its stored photo (its next attempt): a failed one, or a completed one anew',
    params: jobId,
    query: z.object({
      lane: z.enum(['interactive', 'bulk']).optional().meta({ description: '`bulk` for one of many retried at once: read after every scan someone waits for (default `interactive`)' }),
    }),
    responses: {
      202: { description: 'The new attempt is queued', schema: jobStatusViewSchema },
      404: notFound('scan'),
      409: error('The scan is still queued or being read (`job_in_progress`)'),
      410: error('The photo is no longer kept (`image_gone`): scan the label again'),
      503: error('The bus is briefly unavailable (`bus_unavailable`), or the scan is not recorded yet (`not_projected_yet`); try again in a moment'),
    },
  },
  listJobs: {
    method: 'get',
    path: '/meds/jobs',
    service: 'med-store',
    access: 'device',
    summary: 'Recent scans, newest first',
    query: z.object({
      status: z.enum(JOB_FILTERS).optional().meta({ description: '`stuck`: no result long after it was requested (STUCK_AFTER_MINUTES)' }),
      limit: z.string().regex(/^\d+$/).optional().meta({ description: 'At most this many (default 50, capped at 200)' }),
    }),
    responses: { 200: { description: 'The scans', schema: z.array(jobStatusViewSchema) }, 400: error('Unknown status (`invalid_status`)') },
  },
  listMedications: {
    method: 'get',
    path: '/meds/medications',
    service: 'med-store',
    access: 'device',
    summary: 'The household’s medication list, newest first (drafts to check included)',
    responses: { 200: { description: 'The list', schema: z.array(medicationViewSchema) } },
  },
  addMedication: {
    method: 'post',
    path: '/meds/medications',
    service: 'med-store',
    access: 'device',
    summary: 'Add a medication typed in by hand (confirmed at once), for a person of the household or a new one',
    body: { contentType: 'application/json', schema: medicationAddSchema },
    responses: {
      201: { description: 'Added', schema: medicationViewSchema },
      400: error('A field is wrong or unknown, or there is no name (`invalid_medication`), or the new person’s name is not one (`invalid_person`)'),
      404: notFound('person (`person_not_found`)'),
      422: notApplied, 503: unavailable,
    },
  },
  confirmMedication: {
    method: 'post',
    path: '/meds/medications/{id}/confirm',
    service: 'med-store',
    access: 'device',
    summary: 'Confirm a reading, with the corrections a person made and whose it is',
    params: medId,
    body: { contentType: 'application/json', schema: confirmBodySchema },
    responses: {
      200: { description: 'Confirmed', schema: medicationViewSchema },
      400: error('A field is wrong or unknown, or there is no name (`invalid_medication`), or the new person’s name is not one (`invalid_person`)'),
      404: notFound('medication (`medication_not_found`) or person (`person_not_found`)'),
      422: notApplied, 503: unavailable,
    },
  },
  editMedication: {
    method: 'patch',
    path: '/meds/medications/{id}',
    service: 'med-store',
    access: 'device',
    summary: 'Change some fields of a medication, or move it to another person (`person_id`)',
    params: medId,
    body: { contentType: 'application/json', schema: medicationPatchSchema },
    responses: {
      200: { description: 'Changed', schema: medicationViewSchema },
      400: error('A field is wrong or unknown, or none was sent (`invalid_medication`)'),
      404: notFound('medication, or person'),
      422: notApplied, 503: unavailable,
    },
  },
  listDeletedMedications: {
    method: 'get',
    path: '/meds/medications/deleted',
    service: 'med-store',
    access: 'device',
    summary: 'Medications deleted lately, while their delete can still be undone (UNDO_DELETE_DAYS), newest first',
    responses: { 200: { description: 'The deleted medications', schema: z.array(deletedMedicationViewSchema) } },
  },
  medicationHistory: {
    method: 'get',
    path: '/meds/medications/{id}/history',
    service: 'med-store',
    access: 'device',
    summary: 'What happened to a medication, oldest first: scanned, confirmed, edited, refilled, stopped, deleted, restored, moved',
    params: medId,
    responses: { 200: { description: 'Its history', schema: z.array(historyEntryViewSchema) }, 404: notFound('medication') },
  },
  stopMedication: {
    method: 'post',
    path: '/meds/medications/{id}/stop',
    service: 'med-store',
    access: 'device',
    summary: '“Stop taking”: it moves to the past medications',
    params: medId,
    responses: {
      200: { description: 'Stopped (or already)', schema: medicationViewSchema },
      404: notFound('medication'),
      409: error('A reading not confirmed yet (`not_confirmed`)'),
      422: notApplied, 503: unavailable,
    },
  },
  resumeMedication: {
    method: 'post',
    path: '/meds/medications/{id}/resume',
    service: 'med-store',
    access: 'device',
    summary: '“Take again”: a past medication is taken now',
    params: medId,
    responses: { 200: { description: 'Taken again (or was)', schema: medicationViewSchema }, 404: notFound('medication'), 422: notApplied, 503: unavailable },
  },
  restoreMedication: {
    method: 'post',
    path: '/meds/medications/{id}/restore',
    service: 'med-store',
    access: 'device',
    summary: 'Undo a delete: the medication is back as it was',
    params: medId,
    responses: {
      200: { description: 'Back on the list', schema: medicationViewSchema },
      404: notFound('medication'),
      410: error('Deleted too long ago to undo (`undo_expired`)'),
      422: notApplied, 503: unavailable,
    },
  },
  refillMedication: {
    method: 'post',
    path: '/meds/medications/{id}/refill',
    service: 'med-store',
    access: 'device',
    summary: 'Record a reading as a new fill of a confirmed medication (fill date, quantity, refills left), not as a second medication',
    description: 'The reading (`{id}`, a draft) is used up; the medication `of` gets the new fill.',
    params: medId,
    body: { contentType: 'application/json', schema: refillBodySchema },
    responses: {
      200: { description: 'The refilled medication', schema: medicationViewSchema },
      400: error('Malformed body (`invalid_medication`)'),
      404: notFound('reading or medication'),
      409: error('Not a reading (`not_a_reading`), or `of` is not a confirmed medication (`not_refillable`)'),
      422: notApplied, 503: unavailable,
    },
  },
  listPeople: {
    method: 'get',
    path: '/meds/people',
    service: 'med-store',
    access: 'device',
    summary: 'The people of the household, by name',
    responses: { 200: { description: 'The people', schema: z.array(personViewSchema) } },
  },
  addPerson: {
    method: 'post',
    path: '/meds/people',
    service: 'med-store',
    access: 'device',
    summary: 'Add a person; one with the same name (however written) is answered instead',
    body: { contentType: 'application/json', schema: personNameBodySchema },
    responses: {
      200: { description: 'Already there', schema: personViewSchema },
      201: { description: 'Added', schema: personViewSchema },
      400: error('Not a name (`invalid_person`)'),
      422: notApplied, 503: unavailable,
    },
  },
  renamePerson: {
    method: 'patch',
    path: '/meds/people/{id}',
    service: 'med-store',
    access: 'device',
    summary: 'Rename a person',
    params: medId,
    body: { contentType: 'application/json', schema: personNameBodySchema },
    responses: {
      200: { description: 'Renamed', schema: personViewSchema },
      400: error('Not a name (`invalid_person`)'),
      404: notFound('person (`person_not_found`)'),
      422: notApplied, 503: unavailable,
    },
  },
  mergePerson: {
    method: 'post',
    path: '/meds/people/{id}/merge',
    service: 'med-store',
    access: 'device',
    summary: 'Two entries for one person: `{id}` goes, and its medications are `into`’s',
    params: medId,
    body: { contentType: 'application/json', schema: personMergeBodySchema },
    responses: {
      200: { description: 'The person who stays', schema: personViewSchema },
      400: error('Malformed body (`invalid_person`)'),
      404: notFound('person'),
      409: error('Merged into themselves (`same_person`)'),
      422: notApplied, 503: unavailable,
    },
  },
  exportFhir: {
    method: 'get',
    path: '/meds/export/fhir',
    service: 'med-store',
    access: 'device',
    summary: 'The confirmed medications as a FHIR R4 Bundle: a Patient per person, a MedicationStatement per medication',
    query: personQuery,
    responses: {
      200: { description: 'A FHIR R4 Bundle (type collection)', contentType: 'application/fhir+json', schema: z.record(z.string(), z.unknown()) },
      400: error('More than one `person` (`invalid_person`)'),
      404: notFound('person'),
    },
  },
  exportCsv: {
    method: 'get',
    path: '/meds/export/csv',
    service: 'med-store',
    access: 'device',
    summary: 'The list as CSV (RFC 4180, a header line), one row per medication',
    query: personQuery,
    responses: {
      200: { description: 'The CSV file', contentType: 'text/csv' },
      400: error('More than one `person` (`invalid_person`)'),
      404: notFound('person'),
    },
  },
  deleteMedication: {
    method: 'delete',
    path: '/meds/medications/{id}',
    service: 'med-store',
    access: 'device',
    summary: 'Take a medication off the list (or discard a reading)',
    params: medId,
    responses: { 204: { description: 'Deleted' }, 404: notFound('medication'), 422: notApplied, 503: unavailable },
  },
  getSession: {
    method: 'get',
    path: '/meds/auth/session',
    service: 'med-store',
    access: 'device',
    summary: 'Who the credentials sent belong to (renews a tablet’s cookie)',
    responses: { 200: { description: 'The session', schema: sessionViewSchema } },
  },
  pair: {
    method: 'post',
    path: '/meds/auth/pair',
    service: 'med-store',
    access: 'public',
    summary: 'Pair a device with a code from `ops pair`; sets the device cookie',
    description: 'Limited to 10 attempts a minute per address.',
    body: { contentType: 'application/json', schema: pairBodySchema },
    responses: {
      201: { description: 'Paired: the token is shown this once', schema: pairedViewSchema },
      400: error('Malformed body (`invalid_pairing`), or a wrong, used or expired code (`invalid_pairing_code`)'),
      429: error('Too many attempts (see `Retry-After`)'),
    },
  },
  forgetDevice: {
    method: 'delete',
    path: '/meds/auth/session',
    service: 'med-store',
    access: 'device',
    summary: '“Forget this tablet”: the device revokes its own token',
    responses: { 204: { description: 'Revoked; the cookie is cleared' } },
  },
  makePairingCode: {
    method: 'post',
    path: '/meds/devices/pairing-codes',
    service: 'med-store',
    access: 'admin',
    summary: 'A pairing code for a new tablet (single use, 10 minutes)',
    responses: { 201: { description: 'The code', schema: pairingCodeViewSchema } },
  },
  listDevices: {
    method: 'get',
    path: '/meds/devices',
    service: 'med-store',
    access: 'admin',
    summary: 'The paired devices',
    responses: { 200: { description: 'The devices', schema: z.array(deviceViewSchema) } },
  },
  revokeDevice: {
    method: 'delete',
    path: '/meds/devices/{id}',
    service: 'med-store',
    access: 'admin',
    summary: 'Revoke a device’s token; it must pair again',
    params: medId,
    responses: { 204: { description: 'Revoked' }, 404: notFound('device (`device_not_found`)') },
  },
  openApi: {
    method: 'get',
    path: '/meds/openapi.json',
    service: 'med-store',
    access: 'device',
    summary: 'This description of the API (OpenAPI 3.1)',
    responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
  },
  pushChannel: {
    method: 'get',
    path: '/meds/ws',
    service: 'med-store',
    access: 'device',
    summary: 'The push channel: a WebSocket carrying `PushMessage` JSON (jobs and medications as they change)',
    responses: { 101: { description: 'Switching to the WebSocket protocol' } },
  },
} as const satisfies Record<string, ApiRoute>;

export type ApiRouteName = keyof typeof API_ROUTES;

/** The route's path as Koa's router writes it: `{job_id}` becomes `:job_id`. */
export const koaPath = (route: Pick<ApiRoute, 'path'>): string => route.path.replace(/\{(\w+)\}/g, ':$1');

const matchers = Object.values(API_ROUTES as Record<string, ApiRoute>).map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
}));

/** The declared route a request is for, or null. */
export function matchApiRoute(method: string, path: string): ApiRoute | null {
  const m = method.toLowerCase();
  return matchers.find((x) => x.route.method === m && x.pattern.test(path))?.route ?? null;
}
