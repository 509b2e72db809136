import { z } from 'zod';
import { SCHEDULES } from './schedule.vocabulary.js';
import { SUBJECTS } from './bus.names.js';

const isoDate = z.iso.datetime({ offset: true });
const jobId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'job_id must be 8-64 characters of [A-Za-z0-9_-]');
const attempt = z.number().int().min(1);

/** Medication fields read from a label; null where the label did not give one. */
export const medicationSchema = z.object({
  name: z.string().nullable(),
  dosage: z.string().nullable(),
  form: z.string().nullable(),
  sig: z.string().nullable(),
  schedule: z.enum(SCHEDULES).nullable(),
  as_needed: z.boolean().nullable(),
  instructions: z.string().nullable(),
  quantity: z.number().nonnegative().nullable(),
  refills: z.number().int().nonnegative().nullable(),
  prescriber: z.string().nullable(),
  rx_number: z.string().nullable(),
  pharmacy: z.string().nullable(),
});
export type Medication = z.infer<typeof medicationSchema>;
export const MEDICATION_FIELDS = Object.keys(medicationSchema.shape) as (keyof Medication)[];

export const emptyMedication = (): Medication =>
  Object.fromEntries(MEDICATION_FIELDS.map((f) => [f, null])) as Medication;

export const imageRefSchema = z.object({
  /** File name inside the image store, `<job_id>.<ext>`; never a path. */
  key: z.string().regex(/^[A-Za-z0-9_-]+\.(jpg|png|webp|gif|tiff|avif|heic)$/, 'image key must be <id>.<ext>'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  content_type: z.string().regex(/^image\/[a-z0-9.+-]+$/),
  bytes: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ImageRef = z.infer<typeof imageRefSchema>;

export const ocrRequestedSchema = z.object({
  job_id: jobId,
  image: imageRefSchema,
  submitted_at: isoDate,
  attempt,
  reason: z.enum(['new', 'retry', 'replay']),
});
export const ocrStartedSchema = z.object({
  job_id: jobId,
  attempt,
  worker: z.string().min(1),
  started_at: isoDate,
});
export const ocrCompletedSchema = z.object({
  job_id: jobId,
  attempt,
  completed_at: isoDate,
  ocr_text: z.string(),
  medication: medicationSchema,
  /** Per-field confidence in 0..1 for the fields of `medication`. */
  confidence: z.record(z.string(), z.number().min(0).max(1)),
  /** The review rule (review.rule.ts): true when any critical field is missing or below REVIEW_THRESHOLD. */
  needs_review: z.boolean(),
  timings_ms: z.record(z.string(), z.number().nonnegative()),
});
export const ocrFailedSchema = z.object({
  job_id: jobId,
  attempt,
  failed_at: isoDate,
  error: z.object({ code: z.string().min(1), message: z.string() }),
  /** Whether a replay of the same image could succeed. */
  retryable: z.boolean(),
});

export const ocrPurgedSchema = z.object({
  job_id: jobId,
  image_key: imageRefSchema.shape.key,
  purged_at: isoDate,
});

const medId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
export const medConfirmedSchema = z.object({
  med_id: medId,
  /** The scan it came from; null for a medication typed in by hand. */
  source_job_id: jobId.nullable(),
  medication: medicationSchema,
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
export type OcrEvent = Extract<BusEvent, { type: `ocr.${string}` }>;
export type MedEvent = Extract<BusEvent, { type: `med.${string}` }>;

export const isEventType = (s: string): s is EventType => Object.hasOwn(EVENT_SCHEMAS, s);
