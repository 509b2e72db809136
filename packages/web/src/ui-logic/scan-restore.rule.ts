import type { JobStatusView } from '@rxscan/contracts';
import type { ApiClient } from './api.client.js';
import { jobIdOf, type ScanJob } from './scan-job.state.js';

/** What `GET /meds/jobs` answered for the statuses worth showing again after a reload. */
export interface FoundJobs {
  pending: readonly JobStatusView[];
  processing: readonly JobStatusView[];
  failed: readonly JobStatusView[];
  completed?: readonly JobStatusView[];
}

export interface RestoreRules {
  /** Already on the screen: never shown twice. */
  shown(jobId: string): boolean;
  /** Put away by the person on this tablet: a reload does not bring it back. */
  dismissed(jobId: string): boolean;
  now: number;
  /** Whether a reading's draft is still in the list waiting for a person's check. */
  awaitingReview?(medicationId: string): boolean;
  /** A failure older than this is history (the Recent scans list still has it), not a card. */
  failedWithinMs?: number;
  /** A reading finished this recently, and not yet checked, comes back too: it may have finished during the reload. */
  completedWithinMs?: number;
}

export const RECENT_FAILURE_MS = 24 * 60 * 60_000;
export const RECENT_READING_MS = 30 * 60_000;

const RANK: Record<JobStatusView['status'], number> = { pending: 0, processing: 1, completed: 2, failed: 2 };
const isLater = (a: JobStatusView, b: JobStatusView) => a.attempt > b.attempt || (a.attempt === b.attempt && RANK[a.status] > RANK[b.status]);

/**
 * The jobs to show as cards when the page opens: every scan still in progress, the
 * recent failures and the recent readings still waiting for a check, oldest first so
 * they are numbered in the order they were taken. The lists are read one after
 * another, so a job can be in two; the later state wins.
 */
export function scansToRestore(found: FoundJobs, rules: RestoreRules): JobStatusView[] {
  const recent = (v: JobStatusView, withinMs: number) => {
    const at = Date.parse(v.completed_at ?? v.created_at);
    return !Number.isFinite(at) || rules.now - at <= withinMs;
  };
  const recentFailed = found.failed.filter((v) => recent(v, rules.failedWithinMs ?? RECENT_FAILURE_MS));
  const unchecked = (found.completed ?? []).filter((v) => {
    const medId = v.result?.medication_id;
    return medId && rules.awaitingReview?.(medId) && recent(v, rules.completedWithinMs ?? RECENT_READING_MS);
  });
  const byId = new Map<string, JobStatusView>();
  for (const v of [...found.pending, ...found.processing, ...recentFailed, ...unchecked]) {
    const seen = byId.get(v.job_id);
    if (!seen || isLater(v, seen)) byId.set(v.job_id, v);
  }
  return [...byId.values()]
    .filter((v) => !rules.shown(v.job_id) && !rules.dismissed(v.job_id))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}

export interface RestoreDeps {
  api: Pick<ApiClient, 'jobs'>;
  /** The list, fetched alongside: it says which readings still wait for a check. */
  meds: { refresh(): Promise<void>; find(id: string): { status: string } | undefined };
  session: { readonly current: readonly ScanJob[]; restore(views: readonly JobStatusView[]): void };
  dismissed(jobId: string): boolean;
  now?: () => number;
}

/**
 * Asks the server which scans to show again (after a reload, or a reconnect) and
 * shows them. Resolves false when the server could not be reached; the caller tries
 * again on the next reconnect.
 */
export async function restoreFromServer(deps: RestoreDeps): Promise<boolean> {
  try {
    const [pending, processing, failed, completed] = await Promise.all([
      deps.api.jobs('pending', 20),
      deps.api.jobs('processing', 20),
      deps.api.jobs('failed', 20),
      deps.api.jobs('completed', 20),
      deps.meds.refresh(),
    ]);
    const shown = new Set(deps.session.current.map(jobIdOf));
    const found = scansToRestore(
      { pending, processing, failed, completed },
      {
        shown: (id) => shown.has(id),
        dismissed: deps.dismissed,
        awaitingReview: (medId) => deps.meds.find(medId)?.status === 'needs_review',
        now: (deps.now ?? Date.now)(),
      },
    );
    deps.session.restore(found);
    return true;
  } catch {
    return false;
  }
}
