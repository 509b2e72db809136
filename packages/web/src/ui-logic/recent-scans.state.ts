import type { JobStatusView } from '@rxscan/contracts';
import type { ApiClient, JobFilter } from './api.client.js';
import { errorFromThrown } from './api.errors.js';

/** The filters of the Recent scans list, in words; `all` asks for every status. */
export const SCAN_FILTERS = [
  { key: 'all', label: 'All' },
  { key: 'pending', label: 'Queued' },
  { key: 'processing', label: 'Reading' },
  { key: 'completed', label: 'Done' },
  { key: 'failed', label: 'Failed' },
  { key: 'stuck', label: 'Stuck' },
] as const satisfies readonly { key: JobFilter | 'all'; label: string }[];

export type ScanFilter = (typeof SCAN_FILTERS)[number]['key'];

export interface RecentScansState {
  filter: ScanFilter;
  items: readonly JobStatusView[];
  loading: boolean;
  problem: string | null;
}

export interface RecentScansOptions {
  api: Pick<ApiClient, 'jobs'>;
  onChange(state: RecentScansState): void;
  limit?: number;
}

/** The household's recent scans from the server, newest first, filtered by status. */
export class RecentScans {
  private state: RecentScansState = { filter: 'all', items: [], loading: false, problem: null };
  private request = 0;
  private readonly limit: number;

  constructor(private readonly opts: RecentScansOptions) {
    this.limit = opts.limit ?? 30;
  }

  get current(): RecentScansState {
    return this.state;
  }

  setFilter(filter: ScanFilter): Promise<void> {
    this.set({ filter, items: filter === this.state.filter ? this.state.items : [] });
    return this.refresh();
  }

  async refresh(): Promise<void> {
    const mine = ++this.request;
    const { filter } = this.state;
    this.set({ loading: true });
    try {
      const items = await this.opts.api.jobs(filter === 'all' ? undefined : filter, this.limit);
      if (mine === this.request) this.set({ items, loading: false, problem: null });
    } catch (err) {
      if (mine === this.request) this.set({ loading: false, problem: errorFromThrown(err).message });
    }
  }

  /**
   * A job pushed by med-store. A job on the list is updated where it is (so a retried
   * one is seen moving on); a new job is added when it fits the filter. Stuck depends
   * on the server's clock, so only a refresh adds to that list.
   */
  applyPush(view: JobStatusView): void {
    const { items, filter } = this.state;
    if (items.some((v) => v.job_id === view.job_id)) {
      this.set({ items: items.map((v) => (v.job_id === view.job_id && !isOlder(view, v) ? view : v)) });
    } else if (filter === 'all' || filter === view.status) {
      this.set({ items: [view, ...items].slice(0, this.limit) });
    }
  }

  private set(patch: Partial<RecentScansState>): void {
    this.state = { ...this.state, ...patch };
    this.opts.onChange(this.state);
  }
}

const RANK: Record<JobStatusView['status'], number> = { pending: 0, processing: 1, completed: 2, failed: 2 };
const isOlder = (a: JobStatusView, b: JobStatusView) => a.attempt < b.attempt || (a.attempt === b.attempt && RANK[a.status] < RANK[b.status]);

/** "just now", "5 min ago", "3 h ago", "2 days ago": when something happened, by the tablet's clock. */
export function timeAgo(iso: string | undefined, now: number): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  return d === 1 ? 'yesterday' : `${d} days ago`;
}
