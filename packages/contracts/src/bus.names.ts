/**
 * Names on the bus. Operators type these into the `nats` CLI, so they are short,
 * stable and match the service that owns them.
 */
export const STREAMS = {
  /** Every step of every OCR job: requested, started, completed, failed. */
  OCR: 'OCR',
  /** Every change a person makes to the medication list. */
  MEDS: 'MEDS',
} as const;
export type StreamName = (typeof STREAMS)[keyof typeof STREAMS];

export const SUBJECTS = {
  ocrRequested: 'ocr.requested',
  ocrStarted: 'ocr.started',
  ocrCompleted: 'ocr.completed',
  ocrFailed: 'ocr.failed',
  /** The photo of a finished job was deleted by retention. */
  ocrPurged: 'ocr.purged',
  medConfirmed: 'med.confirmed',
  medUpdated: 'med.updated',
  medDeleted: 'med.deleted',
} as const;
export type Subject = (typeof SUBJECTS)[keyof typeof SUBJECTS];

/** Durable consumer names: one per service that reads a stream. */
export const CONSUMERS = {
  ocrWorker: 'ocr-worker',
  medStore: 'med-store',
} as const;
