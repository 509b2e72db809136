import type { ExtractAccepted, JobStatus, JobStatusView } from '@rxscan/contracts';
import { failureText } from './failure.text.js';

/** Where one photo is, from the tablet's point of view. */
export type ScanPhase = 'uploading' | 'waiting' | 'upload-failed' | JobStatus;

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
  /** A retry in progress. */
  action?: 'retrying';
  /** Why the last retry did not work. */
  actionProblem?: string;
  /** Found again on the server after a reload, rather than sent from this page. */
  restored?: boolean;
  /** How many photos the scan has (1–4). */
  photoCount?: number;
  /** While uploading: the share of the bytes sent so far (0..1), when the browser tells. */
  sent?: number;
  /** While waiting: when the tablet tries again by itself (tablet clock, ms). */
  nextTryAt?: number;
  /** Kept on the tablet (IndexedDB) until the server has it: found again after a reload. */
  kept?: boolean;
}

/** What each phase is called on screen: words, never colour alone. */
export const PHASE_TEXT: Record<ScanPhase, string> = {
  uploading: 'Sending photo…',
  waiting: 'Waiting to send',
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

export const newScan = (key: string, number: number, fileName: string, now: number, photoCount = 1): ScanJob => ({
  key,
  number,
  fileName,
  phase: 'uploading',
  startedAt: now,
  ...(photoCount > 1 && { photoCount }),
});

/** An upload that did not get through for now (no network, server busy or away): the photos wait on the tablet. */
export const uploadWaiting = (job: ScanJob, problem: string, nextTryAt: number): ScanJob => {
  const next: ScanJob = { ...job, phase: 'waiting', problem, nextTryAt };
  delete next.sent;
  return next;
};

/** Sending (again): progress starts at nothing. */
export const uploadStarted = (job: ScanJob): ScanJob => {
  const next: ScanJob = { ...job, phase: 'uploading', sent: 0 };
  delete next.problem;
  delete next.nextTryAt;
  return next;
};

export const uploadAccepted = (job: ScanJob, accepted: ExtractAccepted): ScanJob => {
  const next: ScanJob = { ...job, accepted, phase: job.phase === 'uploading' || job.phase === 'waiting' ? 'pending' : job.phase };
  delete next.sent;
  delete next.nextTryAt;
  delete next.kept;
  if (next.phase === 'pending') delete next.problem;
  return next;
};

export const uploadFailed = (job: ScanJob, problem: string, now: number): ScanJob => {
  const next: ScanJob = { ...job, phase: 'upload-failed', problem, finishedAt: now };
  delete next.sent;
  delete next.nextTryAt;
  delete next.kept;
  return next;
};

const parsedTime = (iso: string | undefined): number | undefined => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

/**
 * A job found on the server after a reload. Its clock starts when the server says
 * the job began (the first attempt's creation, or this attempt's start), never in
 * the future should the tablet's clock be behind.
 */
export function restoredScan(key: string, number: number, view: JobStatusView, now: number): ScanJob {
  const began = view.attempt === 1 ? parsedTime(view.created_at) : parsedTime(view.started_at);
  const job: ScanJob = { key, number, fileName: '', phase: 'pending', startedAt: Math.min(began ?? now, now), restored: true };
  return withStatus(job, view, now);
}

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
  }
  if (finished) next.finishedAt = job.phase === view.status && job.finishedAt !== undefined ? job.finishedAt : finishTime(job, view, now);
  else delete next.finishedAt;
  if (view.status === 'failed') next.problem = failureText(view);
  else delete next.problem;
  return next;
}

/** A restored job finished before the page saw it: the server's time, when it is sensible. */
function finishTime(job: ScanJob, view: JobStatusView, now: number): number {
  if (!job.restored || job.view) return now;
  const at = parsedTime(view.completed_at);
  return at !== undefined && at >= job.startedAt && at <= now ? at : now;
}

/** Seconds since the photo was sent, frozen once the job is finished. */
export const elapsedSeconds = (job: ScanJob, now: number): number =>
  Math.max(0, Math.floor(((job.finishedAt ?? now) - job.startedAt) / 1000));

/** The server's job id once known; the upload's local key before. */
export const jobIdOf = (job: ScanJob): string | undefined => job.accepted?.job_id ?? job.view?.job_id;
