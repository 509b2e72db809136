import type { ErrorBody, JobStatusView, MedicationView, PersonView } from './api.schema.js';

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

/** How long a delete can be undone from the tablet. */
export const UNDO_DELETE_DAYS = 7;
