import { z } from 'zod';
import { fieldAlternativesSchema, fieldBoxesSchema, fillSchema, MAX_SCAN_IMAGES, medicationSchema, personNameSchema, secondReaderOutcomeSchema } from './event.schema.js';
import { lineText } from './text.schema.js';

/**
 * The HTTP API's bodies as zod schemas: what the services validate requests with,
 * what their answers are typed by, and what the OpenAPI document is generated from.
 * A schema with a `meta({ id })` becomes a named component of that document.
 */

const isoDate = z.iso.datetime({ offset: true });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable, machine-readable: `job_not_found`, `invalid_medication` …' }),
      message: z.string().meta({ description: 'Plain words for a person' }),
    }),
  })
  .meta({ id: 'ErrorBody', description: 'The body of every 4xx and 5xx answer' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const jobStatusSchema = z.enum(['pending', 'processing', 'completed', 'failed']).meta({ id: 'JobStatus' });
/** What a job is doing, as the tablet sees it. */
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const medicationRefSchema = medicationSchema.meta({ id: 'Medication', description: 'Fields read from a label; null where the label gave none' });

const fieldAlternativesRef = fieldAlternativesSchema.meta({
  id: 'FieldAlternatives',
  description: 'Per field, other values another look gave (another photo, the second reader) and which look; absent when all agreed',
});

const fieldBoxesRef = fieldBoxesSchema.meta({
  id: 'FieldBoxes',
  description:
    'Per field, where it was read: `image` (index into the scan’s `images`) and x, y, w, h as fractions 0..1 of that upright photo (x, y: top-left), as `GET /meds/extract/{job_id}/image/{index}` shows it',
});

/** A reading: the fields, each one's confidence (0..1) and whether a person must check them. */
export const readingSchema = z.object({
  medication_id: z.string().nullable(),
  medication: medicationRefSchema,
  confidence: z.record(z.string(), z.number().min(0).max(1)),
  needs_review: z.boolean(),
  alternatives: fieldAlternativesRef.optional(),
  second_reader: secondReaderOutcomeSchema
    .meta({ id: 'SecondReaderOutcome', description: 'What the optional second reader made of the label; absent when none is configured' })
    .optional(),
  /** Where each field was read (absent for readings made before boxes were kept). */
  boxes: fieldBoxesRef.optional(),
});

/** One photo of a scan, as the status lists it. */
export const jobImageViewSchema = z
  .object({
    index: z.int().min(0).max(MAX_SCAN_IMAGES - 1),
    url: z.string().meta({ description: '`/meds/extract/{job_id}/image/{index}`: the upright display copy' }),
    width: z.int().min(1).meta({ description: 'Of the upright photo (EXIF orientation applied); the display copy has the same shape, at most 1600 px' }),
    height: z.int().min(1),
  })
  .meta({ id: 'JobImageView', description: 'A photo of a scan' });
export type JobImageView = z.infer<typeof jobImageViewSchema>;

export const jobFailureSchema = z
  .object({ code: z.string(), message: z.string(), retryable: z.boolean() })
  .meta({ id: 'JobFailure', description: 'Why a scan failed, and whether a retry of the same photo could succeed' });

export const jobStatusViewSchema = z
  .object({
    job_id: z.string(),
    status: jobStatusSchema,
    attempt: z.int().min(1),
    created_at: isoDate,
    started_at: isoDate.optional(),
    completed_at: isoDate.optional(),
    /** Present when completed. */
    result: readingSchema.optional(),
    /** Present when failed. */
    error: jobFailureSchema.optional(),
    /** The text the reader saw, present when completed. */
    ocr_text: z.string().optional(),
    /** Every photo of the scan (1..4) in the order taken; the boxes of a reading index into it. */
    images: z.array(jobImageViewSchema).max(MAX_SCAN_IMAGES).optional(),
  })
  .meta({ id: 'JobStatusView', description: 'A scan and what became of it' });
/** `GET /meds/extract/{job_id}/status` */
export type JobStatusView = z.infer<typeof jobStatusViewSchema>;

export const extractAcceptedSchema = z
  .object({
    job_id: z.string(),
    status: z.enum(['pending', 'duplicate']).meta({ description: '`pending`: queued now; `duplicate`: the same photo was uploaded before, `job_id` is that upload’s job' }),
    message: z.string(),
    poll_url: z.string(),
    seq: z.int().min(1).meta({ description: 'Stream sequence of the `ocr.requested` event; status reads given `?seq=` wait for it' }),
    duplicate: z
      .object({ submitted_at: isoDate })
      .optional()
      .meta({ description: 'Set when the same photo (same SHA-256) was uploaded before: nothing new was queued' }),
  })
  .meta({ id: 'ExtractAccepted', description: 'The photo is stored and its job is on the bus (or was, for the same photo sent before)' });
/** `POST /meds/extract` answers 202 with this once the job is on the bus. */
export type ExtractAccepted = z.infer<typeof extractAcceptedSchema>;

/** `GET /meds/extract/{job_id}/result`, by status: 200 completed, 202 still running, 422 failed. */
export const jobResultSchema = z.object({ job_id: z.string(), status: z.literal('completed') }).extend(readingSchema.shape).meta({ id: 'JobResult' });
export const jobRunningSchema = z.object({ job_id: z.string(), status: z.enum(['pending', 'processing']) }).meta({ id: 'JobRunning' });
export const jobFailedSchema = z.object({ job_id: z.string(), status: z.literal('failed'), error: jobFailureSchema }).meta({ id: 'JobFailed' });

export const medicationViewSchema = medicationSchema
  .extend({
    id: z.string(),
    status: z.enum(['needs_review', 'confirmed']),
    source_job_id: z.string().nullable().meta({ description: 'The scan it came from; null when typed in' }),
    confidence: z.record(z.string(), z.number().min(0).max(1)).nullable(),
    alternatives: fieldAlternativesRef.nullable().meta({ description: 'Of a draft: other values other looks gave; null once confirmed or when all agreed' }),
    boxes: fieldBoxesRef
      .nullable()
      .optional()
      .meta({ description: 'Of a draft: where each field was read on the photos of its scan (listed by `GET /meds/extract/{source_job_id}/status`); null once confirmed or when none were kept' }),
    created_at: isoDate,
    updated_at: isoDate,
    person_id: z.string().nullable().meta({ description: 'The person of the household it belongs to (after merges); null for nobody in particular' }),
    stopped_at: isoDate.nullable().meta({ description: 'Set by “Stop taking”: a past medication' }),
  })
  .meta({ id: 'MedicationView', description: 'A medication on the household list' });
/** A row of `GET /meds/medications`. */
export type MedicationView = z.infer<typeof medicationViewSchema>;

/**
 * An id sent in a body: one line of at most 64 characters (an id that is not one the system
 * makes names nothing, and is answered like an id that does not exist, with a 404).
 */
const idField = () => lineText().min(1).max(64);

/** A person's edit: any medication fields; an unknown field is refused, so a typo is not dropped. Text never holds control characters. */
export const medicationEditSchema = medicationSchema.partial().strict().meta({ id: 'MedicationEdit' });

/** Whose a medication is, in a request: a person on the list (null: nobody), or a new person by name. */
const personChoice = {
  person_id: idField().nullable().optional().meta({ description: 'A person of the household (`GET /meds/people`); null for nobody in particular' }),
  new_person: lineText().optional().meta({ description: 'A person to add by name (one with the same name, however written, is taken instead)' }),
};
export const medicationAddSchema = medicationEditSchema.extend(personChoice).strict().meta({ id: 'MedicationAdd' });
export const medicationPatchSchema = medicationEditSchema.extend({ person_id: personChoice.person_id }).strict().meta({ id: 'MedicationPatch' });
export const confirmBodySchema = z
  .object({ medication: medicationEditSchema.optional().meta({ description: 'Corrections made while checking the reading' }), ...personChoice })
  .strict()
  .meta({ id: 'ConfirmMedication' });
export const refillBodySchema = z
  .object({
    of: idField().meta({ description: 'The confirmed medication this reading is a new fill of' }),
    medication: medicationEditSchema.optional().meta({ description: 'Corrections made while checking the reading' }),
  })
  .strict()
  .meta({ id: 'RefillMedication' });

export const deletedMedicationViewSchema = medicationViewSchema
  .extend({ deleted_at: isoDate, undo_until: isoDate.meta({ description: 'Until when the delete can be undone' }) })
  .meta({ id: 'DeletedMedicationView', description: 'A medication deleted lately, still in time to be undone' });
/** A row of `GET /meds/medications/deleted`. */
export type DeletedMedicationView = z.infer<typeof deletedMedicationViewSchema>;

export const personViewSchema = z
  .object({ id: z.string(), name: z.string(), created_at: isoDate, updated_at: isoDate })
  .meta({ id: 'PersonView', description: 'A person of the household' });
/** A person of the household, as `GET /meds/people` lists them. */
export type PersonView = z.infer<typeof personViewSchema>;
export const personNameBodySchema = z.object({ name: personNameSchema }).strict().meta({ id: 'PersonName' });
export const personMergeBodySchema = z
  .object({ into: idField().meta({ description: 'The person who stays; this one’s medications become theirs' }) })
  .strict()
  .meta({ id: 'PersonMerge' });

export const historyKindSchema = z.enum(['scanned', 'confirmed', 'edited', 'refilled', 'stopped', 'resumed', 'deleted', 'restored', 'assigned']).meta({ id: 'HistoryKind' });
/** What happened to a medication. */
export type HistoryKind = z.infer<typeof historyKindSchema>;
export const historyEntryViewSchema = z
  .object({
    kind: historyKindSchema,
    at: isoDate,
    fields: z.array(z.string()).optional().meta({ description: 'edited: the fields changed; confirmed: the fields a person corrected in the reading' }),
    fill: fillSchema.optional().meta({ description: 'refilled: the new fill' }),
    person_id: z.string().nullable().optional().meta({ description: 'assigned, confirmed: whose it became (null: nobody)' }),
    source_job_id: z.string().nullable().optional().meta({ description: 'scanned, refilled: the scan it came from' }),
  })
  .meta({ id: 'HistoryEntryView', description: 'One line of a medication’s history' });
export type HistoryEntryView = z.infer<typeof historyEntryViewSchema>;

export const deviceViewSchema = z
  .object({ id: z.string(), name: z.string(), created_at: isoDate, last_seen_at: isoDate.nullable() })
  .meta({ id: 'DeviceView', description: 'A paired device; never its token' });
/** A paired device, as `GET /meds/devices` lists it; never its token. */
export type DeviceView = z.infer<typeof deviceViewSchema>;

export const sessionViewSchema = z
  .object({
    kind: z.enum(['admin', 'device']),
    device: deviceViewSchema.nullable().meta({ description: 'The device, for a device token; null for the admin secret' }),
  })
  .meta({ id: 'SessionView' });
/** `GET /meds/auth/session`: who the credentials sent belong to. */
export type SessionView = z.infer<typeof sessionViewSchema>;

export const pairingCodeViewSchema = z
  .object({ code: z.string().meta({ example: 'K7QM-3XPA' }), expires_at: isoDate })
  .meta({ id: 'PairingCodeView', description: 'A single-use code to type on the new tablet' });
/** `POST /meds/devices/pairing-codes` (admin). */
export type PairingCodeView = z.infer<typeof pairingCodeViewSchema>;

export const pairBodySchema = z
  .object({
    code: lineText().min(1).max(32),
    name: lineText().trim().min(1).max(80).optional(),
  })
  .strict()
  .meta({ id: 'PairRequest' });

export const pairedViewSchema = z
  .object({ device: deviceViewSchema, token: z.string().meta({ description: 'The device token, shown this once (browsers get it as a cookie)' }) })
  .meta({ id: 'PairedView' });
/** `POST /meds/auth/pair`: the new device and its token, shown this once (the web UI gets it as a cookie). */
export type PairedView = z.infer<typeof pairedViewSchema>;

export const JOB_FILTERS = ['pending', 'processing', 'completed', 'failed', 'stuck'] as const;
