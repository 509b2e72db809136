import { BigIntType, EntitySchema } from '@mikro-orm/core';
import type { FieldAlternatives, FieldBoxes, SecondReaderOutcome, Fill, HistoryKind, ImageRef, JobStatus, Medication } from '@rxscan/contracts';

/** The reading a completed job produced, kept whole on the job row. */
export interface JobResultData {
  medication: Medication;
  confidence: Record<string, number>;
  needs_review: boolean;
  timings_ms: Record<string, number>;
  /** Other values other looks gave; absent when every look agreed. */
  alternatives?: FieldAlternatives;
  /** What the second reader made of the label; absent when none is configured. */
  second_reader?: SecondReaderOutcome;
  /** Where each field was read, on which photo; absent in readings from before boxes were kept. */
  boxes?: FieldBoxes;
}

/** One OCR job. Timestamps are ISO-8601 strings, identical on SQLite and PostgreSQL. */
export interface OcrJob {
  job_id: string;
  status: JobStatus;
  attempt: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  image_key: string;
  /** The stored photo as the request described it (the first, for a scan of several); what a retry publishes again. */
  image: ImageRef;
  /** Every photo of the scan, in order; null for jobs recorded before several photos (read `image`). */
  images?: ImageRef[] | null;
  /** When the current attempt was requested: what `stuck` is measured from. */
  requested_at: string;
  /** Set once retention deleted the photo; the job can no longer be retried. */
  image_purged_at: string | null;
  ocr_text: string | null;
  error_code: string | null;
  error_message: string | null;
  error_retryable: boolean | null;
  medication_id: string | null;
  result_data: JobResultData | null;
  /** Stream sequence of the last event applied to this row. */
  last_seq: number;
}

/** A medication of the household: every label field (null where unknown), and what people did with it. */
export interface Med extends Required<Medication> {
  id: string;
  status: 'needs_review' | 'confirmed';
  confidence: Record<string, number> | null;
  /** Of a draft: other values other looks gave (shown in review); null once a person confirmed it. */
  alternatives: FieldAlternatives | null;
  /** Of a draft: where each field was read on the scan's photos (shown in review); null once confirmed. Absent on rows made before. */
  boxes?: FieldBoxes | null;
  source_job_id: string | null;
  created_at: string;
  updated_at: string;
  /** Set when a person removed it; kept so a replayed scan does not bring it back, and so the delete can be undone. */
  deleted_at: string | null;
  /** The person of the household it belongs to, as the event named them (a merged person is resolved on read). */
  person_id: string | null;
  /** Set by "Stop taking": a past medication. */
  stopped_at: string | null;
  /** A draft used up as a refill of this medication (it is deleted, and cannot be restored). */
  replaced_by: string | null;
  last_seq: number;
}

/** A person of the household. A merged person stays, pointing at whom they were merged into. */
export interface Person {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  merged_into: string | null;
  last_seq: number;
}

/** What an entry of a medication's history says beyond its kind. */
export interface HistoryDetail {
  fields?: string[];
  fill?: Fill;
  person_id?: string | null;
  source_job_id?: string | null;
}

/** One line of a medication's history, projected from the event that made it. */
export interface MedHistory {
  /** `<med_id>:<stream>:<seq>`: one entry per medication per event, so applying an event twice adds nothing. */
  id: string;
  med_id: string;
  stream: string;
  seq: number;
  kind: HistoryKind;
  at: string;
  detail: HistoryDetail | null;
}

/** How far each stream has been projected. */
export interface ProjectionPosition {
  stream: string;
  last_seq: number;
}

const str = (length: number, nullable = false) => ({ type: 'string', length, nullable }) as const;
const text = (nullable = true) => ({ type: 'text', nullable }) as const;
/** Stream sequences outgrow 32 bits on a busy cluster; read them back as numbers. */
const seq = () => ({ type: new BigIntType('number') });

export const OcrJobSchema = new EntitySchema<OcrJob>({
  name: 'OcrJob',
  tableName: 'ocr_job',
  properties: {
    job_id: { type: 'string', length: 64, primary: true },
    status: str(16),
    attempt: { type: 'integer' },
    created_at: str(32),
    started_at: str(32, true),
    completed_at: str(32, true),
    image_key: str(100),
    image: { type: 'json' },
    images: { type: 'json', nullable: true },
    requested_at: str(32),
    image_purged_at: str(32, true),
    ocr_text: text(),
    error_code: str(64, true),
    error_message: text(),
    error_retryable: { type: 'boolean', nullable: true },
    medication_id: str(64, true),
    result_data: { type: 'json', nullable: true },
    last_seq: seq(),
  },
});

export const MedSchema = new EntitySchema<Med>({
  name: 'Med',
  tableName: 'med',
  properties: {
    id: { type: 'string', length: 64, primary: true },
    name: text(),
    dosage: text(),
    form: text(),
    sig: text(),
    schedule: str(32, true),
    as_needed: { type: 'boolean', nullable: true },
    instructions: text(),
    quantity: { type: 'double', nullable: true },
    refills: { type: 'integer', nullable: true },
    prescriber: text(),
    rx_number: text(),
    pharmacy: text(),
    patient: text(),
    date_filled: str(10, true),
    discard_after: str(10, true),
    pharmacy_phone: str(40, true),
    quantity_unit: str(40, true),
    status: str(16),
    confidence: { type: 'json', nullable: true },
    alternatives: { type: 'json', nullable: true },
    boxes: { type: 'json', nullable: true },
    source_job_id: str(64, true),
    created_at: str(32),
    updated_at: str(32),
    deleted_at: str(32, true),
    person_id: str(64, true),
    stopped_at: str(32, true),
    replaced_by: str(64, true),
    last_seq: seq(),
  },
});

export const PersonSchema = new EntitySchema<Person>({
  name: 'Person',
  tableName: 'person',
  properties: {
    id: { type: 'string', length: 64, primary: true },
    name: str(100),
    created_at: str(32),
    updated_at: str(32),
    merged_into: str(64, true),
    last_seq: seq(),
  },
});

export const MedHistorySchema = new EntitySchema<MedHistory>({
  name: 'MedHistory',
  tableName: 'med_history',
  properties: {
    id: { type: 'string', length: 100, primary: true },
    med_id: str(64),
    stream: str(16),
    seq: seq(),
    kind: str(16),
    at: str(32),
    detail: { type: 'json', nullable: true },
  },
});

export const ProjectionPositionSchema = new EntitySchema<ProjectionPosition>({
  name: 'ProjectionPosition',
  tableName: 'projection_position',
  properties: {
    stream: { type: 'string', length: 32, primary: true },
    last_seq: seq(),
  },
});

/**
 * An event the projector could not apply and went on without (the dead-letter table): its
 * schema refuses it (`invalid`), or applying it failed the same way every try (`failed`).
 * The event stays on its stream; this row says where, why, and whether an operator let it
 * go (`dropped_at`, so a rebuild does not park it again). Not emptied by a rebuild.
 */
export interface ParkedEventRow {
  /** `<stream>-<seq>`: what `ops parked` takes. */
  id: string;
  stream: string;
  seq: number;
  subject: string;
  reason: 'invalid' | 'failed';
  /** Why, one line, control characters escaped. */
  error: string;
  attempts: number;
  parked_at: string;
  /** Set by `ops parked drop`: seen, and let go. */
  dropped_at: string | null;
}

export const ParkedEventSchema = new EntitySchema<ParkedEventRow>({
  name: 'ParkedEvent',
  tableName: 'parked_event',
  properties: {
    id: { type: 'string', length: 48, primary: true },
    stream: str(16),
    seq: seq(),
    subject: str(200),
    reason: str(16),
    error: { type: 'text' },
    attempts: { type: 'integer' },
    parked_at: str(32),
    dropped_at: str(32, true),
  },
});

/** Which med-store replica projects now, until when (epoch ms). */
export interface ProjectorLeaseRow {
  name: string;
  holder: string;
  expires_at: number;
}

export const ProjectorLeaseSchema = new EntitySchema<ProjectorLeaseRow>({
  name: 'ProjectorLease',
  tableName: 'projector_lease',
  properties: {
    name: { type: 'string', length: 32, primary: true },
    holder: str(128),
    expires_at: seq(),
  },
});

/**
 * A paired tablet or script. Not projected from the bus: credentials never travel on
 * it, and a rebuild of the tables leaves devices alone. Only a hash of the token is kept.
 */
export interface DeviceRow {
  id: string;
  name: string;
  /** SHA-256 of the device token, hex. */
  token_hash: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

export const DeviceSchema = new EntitySchema<DeviceRow>({
  name: 'Device',
  tableName: 'device',
  properties: {
    id: { type: 'string', length: 64, primary: true },
    name: str(80),
    token_hash: { type: 'string', length: 64, unique: 'device_token_hash_unique' },
    created_at: str(32),
    last_seen_at: str(32, true),
    revoked_at: str(32, true),
  },
});

/** A pairing code an admin made; single use, short-lived; only its hash is kept. */
export interface PairingCodeRow {
  code_hash: string;
  /** Epoch ms. */
  expires_at: number;
  used_at: string | null;
}

export const PairingCodeSchema = new EntitySchema<PairingCodeRow>({
  name: 'PairingCode',
  tableName: 'pairing_code',
  properties: {
    code_hash: { type: 'string', length: 64, primary: true },
    expires_at: seq(),
    used_at: str(32, true),
  },
});

export const ENTITIES = [OcrJobSchema, MedSchema, PersonSchema, MedHistorySchema, ProjectionPositionSchema, ProjectorLeaseSchema, DeviceSchema, PairingCodeSchema, ParkedEventSchema];
