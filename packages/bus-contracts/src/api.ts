import type { Medication } from './events.js';

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
