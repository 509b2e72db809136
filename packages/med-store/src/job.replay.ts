import type { OcrRequested } from '@rxscan/bus-contracts';
import type { OcrJob } from './entities.js';

/**
 * The request that reprocesses a job: the same stored photo, the next attempt.
 * Two replays of the same job state produce the same attempt, hence the same
 * message id, and JetStream keeps only one.
 */
export const nextAttempt = (job: OcrJob, reason: 'retry' | 'replay', now: Date): OcrRequested => ({
  job_id: job.job_id,
  image: job.image,
  submitted_at: now.toISOString(),
  attempt: job.attempt + 1,
  reason,
});

/** Jobs that a replay may take: ended ones. A job still pending or processing is left to finish. */
export const isReplayable = (job: OcrJob) => job.status === 'failed' || job.status === 'completed';
