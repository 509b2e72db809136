import { z } from 'zod';
import { SCHEDULES } from './schedule.vocabulary.js';
import { SUBJECTS } from './bus.names.js';
import { cleanText, lineText, multilineText } from './text.schema.js';

/** A time; at most 32 characters, as the tables keep it (PostgreSQL would refuse a longer one, for ever). */
const isoDate = z.iso.datetime({ offset: true }).max(32);
/** The shape of every id the system makes: a job id, a medication's, a person's, a device's (UUIDs fit). */
export const RECORD_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Whether `s` could be an id the system made; anything else names nothing (a 404, never a query). */
export const isRecordId = (s: unknown): s is string => typeof s === 'string' && RECORD_ID.test(s);
const jobId = z.string().regex(RECORD_ID, 'job_id must be 8-64 characters of [A-Za-z0-9_-]');
/** A name of something (a field, a timing, a code): one short line. */
const key = () => lineText().min(1).max(64);
/** Within a 32-bit column on every database. */
const attempt = z.number().int().min(1).max(1_000_000);

/** A calendar day as a label prints it, written `YYYY-MM-DD`. */
const day = z.iso.date();
/** What a quantity is counted in. */
const unitText = () => lineText().max(40);

/** The drug and how to take it: what a label says about the medication itself. */
const drugFields = {
  name: lineText().nullable(),
  dosage: lineText().nullable(),
  form: lineText().nullable(),
  /** The directions as printed; may span lines. */
  sig: multilineText().nullable(),
  schedule: z.enum(SCHEDULES).nullable(),
  as_needed: z.boolean().nullable(),
  instructions: multilineText().nullable(),
  quantity: z.number().nonnegative().nullable(),
  refills: z.number().int().nonnegative().max(1000).nullable(),
  prescriber: lineText().nullable(),
  rx_number: lineText().nullable(),
  pharmacy: lineText().nullable(),
};
/** The label fields whose text may span lines; every other text field is one line. */
const MULTILINE_FIELDS: readonly string[] = ['sig', 'instructions'];

/**
 * What a label says about this fill: whose it is, when it was filled and must be thrown
 * away, how to call the pharmacy, what the quantity is counted in. Absent in events
 * published before they were read (optional), null where the label did not give one.
 */
const recordFields = {
  /** The patient's name as printed ("SMITH, SARAH" or "Sarah Smith"); matched to a person of the household. */
  patient: lineText().max(120).nullable().optional(),
  date_filled: day.nullable().optional(),
  discard_after: day.nullable().optional(),
  pharmacy_phone: lineText().max(40).nullable().optional(),
  /** What the quantity counts: tablet, capsule, mL, g, inhaler … */
  quantity_unit: unitText().nullable().optional(),
};

/** Medication fields read from a label; null where the label did not give one. */
export const medicationSchema = z.object({ ...drugFields, ...recordFields });
export type Medication = z.infer<typeof medicationSchema>;
export const MEDICATION_FIELDS = Object.keys(medicationSchema.shape) as (keyof Medication)[];
/** The fields about the fill rather than the drug (see `recordFields`). */
export const RECORD_FIELDS = Object.keys(recordFields) as RecordField[];
export type RecordField = keyof typeof recordFields;
/** The fields about the drug itself, the ones every reading has had from the start. */
export type DrugField = keyof typeof drugFields;

export const emptyMedication = (): Medication =>
  Object.fromEntries(MEDICATION_FIELDS.map((f) => [f, null])) as Medication;

/** A reading's text fields with whatever their schema refuses taken out (cleanText): what a producer publishes. */
export const cleanMedication = <M extends Partial<Medication>>(m: M): M =>
  Object.fromEntries(Object.entries(m).map(([f, v]) => [f, typeof v === 'string' ? cleanText(v, MULTILINE_FIELDS.includes(f)) : v])) as M;

export const imageRefSchema = z.object({
  /** File name inside the image store, `<job_id>.<ext>`; never a path. */
  key: z.string().max(100).regex(/^[A-Za-z0-9_-]+\.(jpg|png|webp|gif|tiff|avif|heic)$/, 'image key must be <id>.<ext>'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  content_type: z.string().regex(/^image\/[a-z0-9.+-]+$/),
  bytes: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** EXIF orientation (1..8) as stored; 5..8 mean the upright photo is `height` wide. Absent: 1 (older events). */
  orientation: z.int().min(1).max(8).optional(),
});
export type ImageRef = z.infer<typeof imageRefSchema>;

/** Photos of one bottle a scan may carry ("add another side"). */
export const MAX_SCAN_IMAGES = 4;

/**
 * A scan to read. `images` lists every photo of the bottle (1..4) in the order taken; `image` is
 * the first of them, kept so events from before several photos (which have only `image`) and
 * readers from before them still agree. Decoding fills `images` from `image` when absent, so a
 * reader always finds the list (read it with `imagesOf`).
 */
export const ocrRequestedSchema = z
  .object({
    job_id: jobId,
    image: imageRefSchema,
    images: z.array(imageRefSchema).min(1).max(MAX_SCAN_IMAGES).optional(),
    submitted_at: isoDate,
    attempt,
    reason: z.enum(['new', 'retry', 'replay']),
  })
  .refine((r) => !r.images || r.images[0]!.key === r.image.key, { message: 'image must be the first of images', path: ['image'] })
  .refine((r) => !r.images || new Set(r.images.map((i) => i.key)).size === r.images.length, { message: 'each image needs its own key', path: ['images'] })
  .transform((r) => (r.images ? r : { ...r, images: [r.image] }) as typeof r);

/** Every photo of a scan, whether the event listed them (`images`) or predates the list (`image`). */
export const imagesOf = (r: { image: ImageRef; images?: ImageRef[] | undefined }): ImageRef[] => r.images ?? [r.image];
export const ocrStartedSchema = z.object({
  job_id: jobId,
  attempt,
  worker: lineText().min(1).max(200),
  started_at: isoDate,
});
/**
 * A value another look at the label gave for a field, where it differs from the reading's: another
 * photo of the same bottle, or the second reader. `source` says which, in words for the review
 * ("photo 2", "second reader (llava)"). Shown beside the field; the field is then never certain.
 */
export const fieldAlternativeSchema = z.object({
  value: z.union([lineText().max(500), z.number(), z.boolean(), z.null()]),
  source: lineText().min(1).max(80),
});
export type FieldAlternative = z.infer<typeof fieldAlternativeSchema>;
/** At most this many other values are carried per field. */
export const MAX_FIELD_ALTERNATIVES = 8;
/** Per medication field, the other values seen for it; absent when every look agreed. */
export const fieldAlternativesSchema = z.partialRecord(
  z.enum(MEDICATION_FIELDS as [keyof Medication, ...(keyof Medication)[]]),
  z.array(fieldAlternativeSchema).min(1).max(MAX_FIELD_ALTERNATIVES),
);
export type FieldAlternatives = z.infer<typeof fieldAlternativesSchema>;

/**
 * What the optional second reader (the household's own AI service, docs/second-reader.md) made of
 * the label: `agreed` with every field both read, `disagreed` on at least one (or read a critical
 * field OCR did not see), `unavailable` (no answer within its timeout, an error), `invalid` (an
 * answer that is not the medication schema, discarded), `skipped` (nothing to send it).
 */
export const secondReaderOutcomeSchema = z.enum(['agreed', 'disagreed', 'unavailable', 'invalid', 'skipped']);
export type SecondReaderOutcome = z.infer<typeof secondReaderOutcomeSchema>;

/**
 * Where on a photo a field was read: `image` is its index in the scan's `images`, and x, y, w, h
 * are fractions (0..1) of the upright photo's width and height (EXIF orientation applied), as
 * `GET /meds/extract/{job_id}/image/{index}` shows it; x, y the top-left corner.
 */
export const fieldBoxSchema = z.object({
  image: z.int().min(0).max(MAX_SCAN_IMAGES - 1),
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  w: z.number().min(0).max(1),
  h: z.number().min(0).max(1),
});
export type FieldBox = z.infer<typeof fieldBoxSchema>;
/** Per medication field, the box of the words it was read from; fields not found have none. */
export const fieldBoxesSchema = z.partialRecord(z.enum(MEDICATION_FIELDS as [keyof Medication, ...(keyof Medication)[]]), fieldBoxSchema);
export type FieldBoxes = z.infer<typeof fieldBoxesSchema>;

export const ocrCompletedSchema = z.object({
  job_id: jobId,
  attempt,
  completed_at: isoDate,
  ocr_text: multilineText(),
  medication: medicationSchema,
  /** Per-field confidence in 0..1 for the fields of `medication`. */
  confidence: z.record(key(), z.number().min(0).max(1)),
  /** The review rule (review.rule.ts): true when any critical field is missing or below REVIEW_THRESHOLD. */
  needs_review: z.boolean(),
  timings_ms: z.record(key(), z.number().nonnegative()),
  /** Other values other looks gave (absent in older events and when every look agreed). */
  alternatives: fieldAlternativesSchema.optional(),
  /** Absent when no second reader is configured (and in older events). */
  second_reader: secondReaderOutcomeSchema.optional(),
  /** Where each field was read, on which photo (absent in older events). */
  boxes: fieldBoxesSchema.optional(),
});
export const ocrFailedSchema = z.object({
  job_id: jobId,
  attempt,
  failed_at: isoDate,
  error: z.object({ code: key(), message: multilineText() }),
  /** Whether a replay of the same image could succeed. */
  retryable: z.boolean(),
});

export const ocrPurgedSchema = z.object({
  job_id: jobId,
  image_key: imageRefSchema.shape.key,
  purged_at: isoDate,
});

const medId = z.string().regex(RECORD_ID);
const personId = z.string().regex(RECORD_ID, 'person_id must be 8-64 characters of [A-Za-z0-9_-]');
/** A person's name as the household calls them. */
export const personNameSchema = lineText().trim().min(1, 'a person needs a name').max(100);

export const medConfirmedSchema = z.object({
  med_id: medId,
  /** The scan it came from; null for a medication typed in by hand. */
  source_job_id: jobId.nullable(),
  medication: medicationSchema,
  /** The person of the household it belongs to; absent (older events) or null when nobody was chosen. */
  person_id: personId.nullable().optional(),
  /** The label fields the person corrected in the reading before confirming it (for the history). */
  corrected: z.array(z.enum(Object.keys({ ...drugFields, ...recordFields }) as [keyof Medication, ...(keyof Medication)[]])).optional(),
  confirmed_at: isoDate,
});
export const medUpdatedSchema = z.object({
  med_id: medId,
  changes: medicationSchema.partial(),
  updated_at: isoDate,
});
export const medDeletedSchema = z.object({
  med_id: medId,
  deleted_at: isoDate,
});

/** What changes with a new fill of the same prescription; null where the new label did not say. */
export const fillSchema = z.object({
  date_filled: day.nullable(),
  discard_after: day.nullable(),
  quantity: z.number().nonnegative().nullable(),
  quantity_unit: unitText().nullable(),
  refills: z.number().int().nonnegative().max(1000).nullable(),
});
export type Fill = z.infer<typeof fillSchema>;

/** A scan recorded as a new fill of a medication on the list, instead of a second medication. */
export const medRefilledSchema = z.object({
  /** The medication refilled. */
  med_id: medId,
  /** The draft the scan made; it is used up by the refill. */
  draft_id: medId,
  source_job_id: jobId.nullable(),
  fill: fillSchema,
  refilled_at: isoDate,
});
/** "Stop taking": the medication moves to the past medications. */
export const medStoppedSchema = z.object({ med_id: medId, stopped_at: isoDate });
/** Taken again after a stop. */
export const medResumedSchema = z.object({ med_id: medId, resumed_at: isoDate });
/** A delete undone. */
export const medRestoredSchema = z.object({ med_id: medId, restored_at: isoDate });
/** The medication moved to another person of the household (or to nobody). */
export const medAssignedSchema = z.object({ med_id: medId, person_id: personId.nullable(), assigned_at: isoDate });

export const personAddedSchema = z.object({ person_id: personId, name: personNameSchema, added_at: isoDate });
export const personRenamedSchema = z.object({ person_id: personId, name: personNameSchema, renamed_at: isoDate });
/** Two entries for the same person: `person_id` goes, its medications belong to `into_person_id` from now on. */
export const personMergedSchema = z.object({ person_id: personId, into_person_id: personId, merged_at: isoDate });

/** Each subject with the schema of its payload. */
export const EVENT_SCHEMAS = {
  [SUBJECTS.ocrRequested]: ocrRequestedSchema,
  [SUBJECTS.ocrStarted]: ocrStartedSchema,
  [SUBJECTS.ocrCompleted]: ocrCompletedSchema,
  [SUBJECTS.ocrFailed]: ocrFailedSchema,
  [SUBJECTS.ocrPurged]: ocrPurgedSchema,
  [SUBJECTS.medConfirmed]: medConfirmedSchema,
  [SUBJECTS.medUpdated]: medUpdatedSchema,
  [SUBJECTS.medDeleted]: medDeletedSchema,
  [SUBJECTS.medRefilled]: medRefilledSchema,
  [SUBJECTS.medStopped]: medStoppedSchema,
  [SUBJECTS.medResumed]: medResumedSchema,
  [SUBJECTS.medRestored]: medRestoredSchema,
  [SUBJECTS.medAssigned]: medAssignedSchema,
  [SUBJECTS.personAdded]: personAddedSchema,
  [SUBJECTS.personRenamed]: personRenamedSchema,
  [SUBJECTS.personMerged]: personMergedSchema,
} as const;

type Schemas = typeof EVENT_SCHEMAS;
export type EventType = keyof Schemas;
/** A bus event: the subject it travels on and its validated payload. */
export type BusEvent = { [K in EventType]: { type: K; data: z.infer<Schemas[K]> } }[EventType];
export type EventOf<K extends EventType> = Extract<BusEvent, { type: K }>;
export type EventData<K extends EventType> = EventOf<K>['data'];

export type OcrRequested = EventData<'ocr.requested'>;
export type OcrStarted = EventData<'ocr.started'>;
export type OcrCompleted = EventData<'ocr.completed'>;
export type OcrFailed = EventData<'ocr.failed'>;
export type OcrPurged = EventData<'ocr.purged'>;
export type MedConfirmed = EventData<'med.confirmed'>;
export type MedUpdated = EventData<'med.updated'>;
export type MedDeleted = EventData<'med.deleted'>;
export type MedRefilled = EventData<'med.refilled'>;
export type MedStopped = EventData<'med.stopped'>;
export type MedResumed = EventData<'med.resumed'>;
export type MedRestored = EventData<'med.restored'>;
export type MedAssigned = EventData<'med.assigned'>;
export type PersonAdded = EventData<'med.person.added'>;
export type PersonRenamed = EventData<'med.person.renamed'>;
export type PersonMerged = EventData<'med.person.merged'>;
export type OcrEvent = Extract<BusEvent, { type: `ocr.${string}` }>;
/** Everything on the MEDS stream: changes to medications and to the household's people. */
export type MedEvent = Extract<BusEvent, { type: `med.${string}` }>;
/** The MEDS events about people rather than one medication. */
export type PersonEvent = Extract<BusEvent, { type: `med.person.${string}` }>;

export const isEventType = (s: string): s is EventType => Object.hasOwn(EVENT_SCHEMAS, s);
