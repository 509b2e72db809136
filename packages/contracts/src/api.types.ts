import type { Medication } from './event.schema.js';

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
  status: 'pending';
  message: string;
  poll_url: string;
  /** Stream sequence of the `ocr.requested` event; status reads wait for it. */
  seq: number;
}

/** A row of `GET /meds/medications`. */
export interface MedicationView extends Medication {
  id: string;
  status: 'needs_review' | 'confirmed';
  source_job_id: string | null;
  confidence: Record<string, number> | null;
  created_at: string;
  updated_at: string;
}

/** The error body every service answers a 4xx/5xx with. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/** Messages med-store pushes on `/meds/ws`. */
export type PushMessage =
  | { type: 'job'; job: JobStatusView }
  | { type: 'medication'; medication: MedicationView }
  | { type: 'medication-deleted'; id: string };

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
