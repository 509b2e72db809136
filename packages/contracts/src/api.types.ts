import type { ErrorBody, JobStatusView, MedicationView } from './api.schema.js';

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
