import type { ExtractAccepted, JobStatus, JobStatusView, Medication } from '@rxscan/bus-contracts';

/** Where one photo is, from the tablet's point of view. */
export type ScanPhase = 'uploading' | 'upload-failed' | JobStatus;

/** One photo the person took, and what became of it. */
export interface ScanJob {
  /** Stable for the card: a local id, kept after the server gives the job id. */
  key: string;
  /** "Scan 3": how the card and announcements name it (camera photos all share a file name). */
  number: number;
  fileName: string;
  phase: ScanPhase;
  /** Tablet clock, ms: when this attempt was sent (elapsed time counts from here). */
  startedAt: number;
  /** Tablet clock, ms: when it reached done or failed. */
  finishedAt?: number;
  accepted?: ExtractAccepted;
  view?: JobStatusView;
  /** Plain words for why the upload or the reading failed. */
  problem?: string;
  /** A poll or push trouble worth showing while it keeps trying ("connection lost"). */
  notice?: string;
  /** Confirm / retry in progress, or confirmed. */
  action?: 'confirming' | 'confirmed' | 'retrying';
  /** Why the last confirm / retry did not work. */
  actionProblem?: string;
  /** The medication as the person confirmed it (with their corrections). */
  confirmedAs?: Medication;
}

/** What each phase is called on screen: words, never colour alone. */
export const PHASE_TEXT: Record<ScanPhase, string> = {
  uploading: 'Sending photo…',
  'upload-failed': 'Not sent',
  pending: 'Queued',
  processing: 'Reading the label…',
  completed: 'Done',
  failed: 'Could not read',
};

/** Steps shown as a progress line; a failed job stops at its last step. */
export const STEPS = ['pending', 'processing', 'completed'] as const;

export const isFinished = (phase: ScanPhase): boolean => phase === 'completed' || phase === 'failed' || phase === 'upload-failed';

const RANK: Record<JobStatus, number> = { pending: 0, processing: 1, completed: 2, failed: 2 };

export const newScan = (key: string, number: number, fileName: string, now: number): ScanJob => ({
  key,
  number,
  fileName,
  phase: 'uploading',
  startedAt: now,
});

export const uploadAccepted = (job: ScanJob, accepted: ExtractAccepted): ScanJob => ({
  ...job,
  accepted,
  phase: job.phase === 'uploading' ? 'pending' : job.phase,
});

export const uploadFailed = (job: ScanJob, problem: string, now: number): ScanJob => ({
  ...job,
  phase: 'upload-failed',
  problem,
  finishedAt: now,
});

/**
 * A status from a poll or a push. Polls and pushes race, so a view older than what
 * is shown (an earlier attempt, or an earlier step of the same attempt) is ignored;
 * a retry is a higher attempt and starts the clock again.
 */
export function withStatus(job: ScanJob, view: JobStatusView, now: number): ScanJob {
  const shown = job.view;
  if (shown) {
    if (view.attempt < shown.attempt) return job;
    if (view.attempt === shown.attempt && RANK[view.status] < RANK[shown.status]) return job;
  }
  const newAttempt = shown !== undefined && view.attempt > shown.attempt;
  const finished = view.status === 'completed' || view.status === 'failed';
  const next: ScanJob = { ...job, view, phase: view.status, startedAt: newAttempt ? now : job.startedAt };
  delete next.notice;
  if (newAttempt) {
    delete next.action;
    delete next.actionProblem;
    delete next.confirmedAs;
  }
  if (finished) next.finishedAt = job.phase === view.status && job.finishedAt !== undefined ? job.finishedAt : now;
  else delete next.finishedAt;
  if (view.status === 'failed') next.problem = failureText(view);
  else delete next.problem;
  return next;
}

/** Seconds since the photo was sent, frozen once the job is finished. */
export const elapsedSeconds = (job: ScanJob, now: number): number =>
  Math.max(0, Math.floor(((job.finishedAt ?? now) - job.startedAt) / 1000));

/** Why a reading failed, in words for the person holding the tablet. */
export function failureText(view: JobStatusView): string {
  const message = view.error?.message?.trim();
  if (message) return message.charAt(0).toUpperCase() + message.slice(1);
  return 'The label could not be read. Try again with the label flat, well lit and filling the photo.';
}

/** The server's job id once known; the upload's local key before. */
export const jobIdOf = (job: ScanJob): string | undefined => job.accepted?.job_id ?? job.view?.job_id;
