/**
 * Names on the bus. Operators type these into the `nats` CLI, so they are short,
 * stable and match the service that owns them.
 */
export const STREAMS = {
  /** Every step of every OCR job: requested, started, completed, failed. */
  OCR: 'OCR',
  /** Every change a person makes to the medication list and to the household's people. */
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
  /** A scan recorded as a new fill of a medication already on the list. */
  medRefilled: 'med.refilled',
  /** "Stop taking": moved to the past medications. */
  medStopped: 'med.stopped',
  medResumed: 'med.resumed',
  /** A delete undone. */
  medRestored: 'med.restored',
  /** Moved to another person of the household. */
  medAssigned: 'med.assigned',
  personAdded: 'med.person.added',
  personRenamed: 'med.person.renamed',
  personMerged: 'med.person.merged',
  /**
   * Not an event and on no stream: an advisory (core NATS, like JetStream's own
   * `$JS.EVENT.ADVISORY.…`) that med-store parked an event it could not apply
   * (`ParkedAdvisory`). `advisory.<service>.<what>`: the `advisory` prefix is one no
   * stream takes, so it is never stored or projected. `nats sub 'advisory.>'` follows them.
   */
  medStoreParked: 'advisory.med-store.parked',
} as const;
export type Subject = (typeof SUBJECTS)[keyof typeof SUBJECTS];

/** Durable consumer names: one per service that reads a stream. */
export const CONSUMERS = {
  ocrWorker: 'ocr-worker',
  medStore: 'med-store',
} as const;

/**
 * JetStream key-value buckets. `photo-jobs`: ingest's index of the photos it accepted, by
 * SHA-256, so the same photo uploaded twice is answered with the first upload's job
 * (`nats kv get photo-jobs <sha256>`).
 */
export const BUCKETS = {
  photoJobs: 'photo-jobs',
} as const;
