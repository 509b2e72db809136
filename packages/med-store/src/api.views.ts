import { MEDICATION_FIELDS, type JobStatusView, type Medication, type MedicationView } from '@rxscan/contracts';
import type { Med, OcrJob } from './table.schema.js';

export function jobView(job: OcrJob): JobStatusView {
  const view: JobStatusView = { job_id: job.job_id, status: job.status, attempt: job.attempt, created_at: job.created_at };
  if (job.started_at) view.started_at = job.started_at;
  if (job.completed_at) view.completed_at = job.completed_at;
  if (job.status === 'completed' && job.result_data) {
    view.result = {
      medication_id: job.medication_id,
      medication: job.result_data.medication,
      confidence: job.result_data.confidence,
      needs_review: job.result_data.needs_review,
    };
    view.ocr_text = job.ocr_text ?? '';
  }
  if (job.status === 'failed') {
    view.error = { code: job.error_code ?? 'unknown', message: job.error_message ?? '', retryable: job.error_retryable ?? false };
  }
  return view;
}

export const medicationOf = (med: Med): Medication =>
  Object.fromEntries(MEDICATION_FIELDS.map((f) => [f, med[f] ?? null])) as Medication;

export function medView(med: Med): MedicationView {
  return {
    id: med.id,
    ...medicationOf(med),
    quantity: med.quantity === null ? null : Number(med.quantity),
    status: med.status,
    source_job_id: med.source_job_id,
    confidence: med.confidence,
    created_at: med.created_at,
    updated_at: med.updated_at,
  };
}
