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

/**
 * The two lanes `ocr.requested` travels on. A scan someone is waiting for goes on
 * `ocr.requested` (interactive); bulk work, such as `ops replay --failed` or a retry of many
 * scans, goes on `ocr.requested.bulk`. The payload is the same event; workers take from the
 * interactive lane first and from the bulk lane only when nothing interactive waits.
 */
export const LANES = {
  interactive: 'ocr.requested',
  bulk: 'ocr.requested.bulk',
} as const;
export type Lane = keyof typeof LANES;

/** Durable consumer names: one per service that reads a stream (the worker has one per lane). */
export const CONSUMERS = {
  ocrWorker: 'ocr-worker',
  /** The OCR workers' consumer of the bulk lane (`ocr.requested.bulk`). */
  ocrWorkerBulk: 'ocr-worker-bulk',
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
