import { imagesOf, type OcrEvent } from '@rxscan/contracts';
import type { OcrJob } from './table.schema.js';

/**
 * How an OCR event changes a job: the new row, or null when the event changes
 * nothing (a duplicate, a stale attempt, a step after the job already ended).
 * Pure: the caller loads the row and stores the result.
 */
export function evolveJob(job: OcrJob | null, event: OcrEvent, seq: number): OcrJob | null {
  if (event.type === 'ocr.requested') {
    const e = event.data;
    if (job && e.attempt <= job.attempt) return null;
    return {
      job_id: e.job_id,
      status: 'pending',
      attempt: e.attempt,
      created_at: job?.created_at ?? e.submitted_at,
      started_at: null,
      completed_at: null,
      image_key: e.image.key,
      image: e.image,
      images: imagesOf(e),
      requested_at: e.submitted_at,
      image_purged_at: null,
      ocr_text: job?.ocr_text ?? null,
      error_code: null,
      error_message: null,
      error_retryable: null,
      medication_id: job?.medication_id ?? null,
      result_data: job?.result_data ?? null,
      last_seq: seq,
    };
  }
  if (event.type === 'ocr.purged') {
    return job && !job.image_purged_at ? { ...job, image_purged_at: event.data.purged_at, last_seq: seq } : null;
  }
  // Every other step belongs to the current attempt of a job that has not ended.
  if (!job || event.data.attempt !== job.attempt || job.status === 'completed' || job.status === 'failed') return null;
  switch (event.type) {
    case 'ocr.started':
      return job.status === 'pending' ? { ...job, status: 'processing', started_at: event.data.started_at, last_seq: seq } : null;
    case 'ocr.completed': {
      const e = event.data;
      return {
        ...job,
        status: 'completed',
        completed_at: e.completed_at,
        ocr_text: e.ocr_text,
        medication_id: job.job_id,
        result_data: { medication: e.medication, confidence: e.confidence, needs_review: e.needs_review, timings_ms: e.timings_ms, ...(e.alternatives && { alternatives: e.alternatives }), ...(e.second_reader && { second_reader: e.second_reader }), ...(e.boxes && { boxes: e.boxes }) },
        last_seq: seq,
      };
    }
    case 'ocr.failed': {
      const e = event.data;
      return {
        ...job,
        status: 'failed',
        completed_at: e.failed_at,
        error_code: e.error.code,
        error_message: e.error.message,
        error_retryable: e.retryable,
        last_seq: seq,
      };
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled OCR event ${(unhandled as OcrEvent).type}`);
    }
  }
}
