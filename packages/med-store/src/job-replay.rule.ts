import { imagesOf, type OcrRequested } from '@rxscan/contracts';
import type { OcrJob } from './table.schema.js';

/**
 * The request that reprocesses a job: the same stored photos, the next attempt.
 * Two replays of the same job state produce the same attempt, hence the same
 * message id, and JetStream keeps only one.
 */
export const nextAttempt = (job: OcrJob, reason: 'retry' | 'replay', now: Date): OcrRequested => ({
  job_id: job.job_id,
  image: job.image,
  images: imagesOf({ image: job.image, images: job.images ?? undefined }),
  submitted_at: now.toISOString(),
  attempt: job.attempt + 1,
  reason,
});

/** Why a job cannot be replayed now, or null when it can. */
export function replayBlocker(job: OcrJob): { code: 'job_in_progress' | 'image_gone'; message: string } | null {
  if (job.status === 'pending' || job.status === 'processing') {
    return { code: 'job_in_progress', message: `still ${job.status}: wait for it to finish before retrying` };
  }
  if (job.image_purged_at) {
    return { code: 'image_gone', message: 'the photo of this scan was deleted by retention; scan the label again' };
  }
  return null;
}
