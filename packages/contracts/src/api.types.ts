import type { Fill, Medication } from './event.schema.js';

/** What a job is doing, as the tablet sees it. */
export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed';

/** `GET /meds/extract/:job_id/status` */
export interface JobStatusView {
  job_id: string;
  status: JobStatus;
  attempt: number;
  created_at: string;
  started_at?: string;
  completed_at?: string;
  /** Present when completed: the reading, its confidence and whether a person must check it. */
  result?: {
    medication_id: string | null;
    medication: Medication;
    confidence: Record<string, number>;
    needs_review: boolean;
  };
  error?: { code: string; message: string; retryable: boolean };
  ocr_text?: string;
}

/** `POST /meds/extract` answers 202 with this once the job is on the bus. */
export interface ExtractAccepted {
  job_id: string;
  /** pending: queued now; duplicate: this photo was uploaded before, and `job_id` is that upload's job. */
  status: 'pending' | 'duplicate';
  message: string;
  poll_url: string;
  /** Stream sequence of the `ocr.requested` event; status reads wait for it. */
  seq: number;
  /**
   * Set when the same photo (same SHA-256) was uploaded before: the answer is that upload's
   * job (200, nothing new queued), so the tablet shows what became of it.
   */
  duplicate?: { submitted_at: string };
}

/** A row of `GET /meds/medications`. */
export interface MedicationView extends Medication {
  id: string;
  status: 'needs_review' | 'confirmed';
  source_job_id: string | null;
  confidence: Record<string, number> | null;
  created_at: string;
  updated_at: string;
  /** The person of the household it belongs to (after merges); null when nobody was chosen. */
  person_id: string | null;
  /** Set once a person chose "Stop taking": it is a past medication. */
  stopped_at: string | null;
}

/** A row of `GET /meds/medications/deleted`: deleted lately, and until when the delete can be undone. */
export interface DeletedMedicationView extends MedicationView {
  deleted_at: string;
  undo_until: string;
}

/** How long a delete can be undone from the tablet. */
export const UNDO_DELETE_DAYS = 7;

/** A person of the household, as `GET /meds/people` lists them. */
export interface PersonView {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

/** What happened to a medication, one line of its history (`GET /meds/medications/:id/history`). */
export type HistoryKind = 'scanned' | 'confirmed' | 'edited' | 'refilled' | 'stopped' | 'resumed' | 'deleted' | 'restored' | 'assigned';

export interface HistoryEntryView {
  kind: HistoryKind;
  at: string;
  /** edited: the fields changed; confirmed: the fields a person corrected in the reading. */
  fields?: string[];
  /** refilled: the new fill. */
  fill?: Fill;
  /** assigned (and confirmed): the person it went to, by id, null for nobody. */
  person_id?: string | null;
  /** scanned, refilled: the scan it came from. */
  source_job_id?: string | null;
}

/** The error body every service answers a 4xx/5xx with. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** Messages med-store pushes on `/meds/ws`. */
export type PushMessage =
  | { type: 'job'; job: JobStatusView }
  | { type: 'medication'; medication: MedicationView }
  | { type: 'medication-deleted'; id: string }
  /** A person added or renamed; `merged_into` set when they were merged into another (their medications moved). */
  | { type: 'person'; person: PersonView; merged_into: string | null };

/** The one way an error body is made, by every service and the web front alike. */
export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/** What every request without a valid token hears, whatever it asked for: nothing about what exists. */
export const UNAUTHORIZED: ErrorBody = errorBody('unauthorized', 'this device is not paired; enter a pairing code');

/** The cookie that carries a paired tablet's device token (HttpOnly, SameSite=Strict). */
export const DEVICE_COOKIE = 'rxscan_device';

/** A paired device, as `GET /meds/devices` lists it; never its token. */
export interface DeviceView {
  id: string;
  name: string;
  created_at: string;
  last_seen_at: string | null;
}

/** `GET /meds/auth/session`: who the credentials sent belong to. */
export interface SessionView {
  kind: 'admin' | 'device';
  /** The device, for a device token; null for the admin secret. */
  device: DeviceView | null;
}

/** `POST /meds/devices/pairing-codes` (admin): a single-use code to type on the new tablet. */
export interface PairingCodeView {
  code: string;
  expires_at: string;
}

/** `POST /meds/auth/pair`: the new device and its token, shown this once (the web UI gets it as a cookie). */
export interface PairedView {
  device: DeviceView;
  token: string;
}
