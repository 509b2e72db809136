import { describe, expect, it, vi } from 'vitest';
import type { JobStatusView } from '@rxscan/contracts';
import { RecentScans, timeAgo, type RecentScansState } from './recent-scans.state.js';
import { view } from './test.fixtures.js';

function recentWith(answer: (status?: string) => JobStatusView[]) {
  const api = { jobs: vi.fn(async (status?: string, _limit?: number) => answer(status)) };
  let state: RecentScansState | undefined;
  const recent = new RecentScans({ api, onChange: (s) => (state = s), limit: 3 });
  return { api, recent, state: () => state! };
}

describe('RecentScans', () => {
  it('asks the server for the chosen status; All asks for every status', async () => {
    const { api, recent, state } = recentWith((status) => [view(status === 'failed' ? 'failed' : 'completed')]);
    await recent.refresh();
    expect(api.jobs).toHaveBeenLastCalledWith(undefined, 3);
    await recent.setFilter('failed');
    expect(api.jobs).toHaveBeenLastCalledWith('failed', 3);
    expect(state()).toMatchObject({ filter: 'failed', loading: false, items: [{ status: 'failed' }] });
  });

  it('updates a pushed job where it is, and adds a new one only when it fits the filter', async () => {
    const { recent, state } = recentWith(() => [view('failed')]);
    await recent.setFilter('failed');
    recent.applyPush(view('pending', { attempt: 2 }));
    expect(state().items).toMatchObject([{ status: 'pending', attempt: 2 }]);
    // A late push of the old attempt does not undo it.
    recent.applyPush(view('failed'));
    expect(state().items[0]!.attempt).toBe(2);
    recent.applyPush(view('completed', { job_id: 'other' }));
    expect(state().items).toHaveLength(1);
    recent.applyPush(view('failed', { job_id: 'another' }));
    expect(state().items.map((v) => v.job_id)).toEqual(['another', 'job-0001-abcd']);
  });

  it('shows why the list could not be fetched', async () => {
    const { api, recent, state } = recentWith(() => []);
    api.jobs.mockRejectedValueOnce(new TypeError('fetch failed'));
    await recent.refresh();
    expect(state()).toMatchObject({ loading: false, problem: expect.stringMatching(/Wi-Fi/) });
  });
});

describe('timeAgo', () => {
  const t0 = Date.parse('2025-01-01T10:00:00Z');
  it('says when, roughly', () => {
    expect(timeAgo('2025-01-01T10:00:00Z', t0 + 10_000)).toBe('just now');
    expect(timeAgo('2025-01-01T10:00:00Z', t0 + 5 * 60_000)).toBe('5 min ago');
    expect(timeAgo('2025-01-01T10:00:00Z', t0 + 3 * 3600_000)).toBe('3 h ago');
    expect(timeAgo('2025-01-01T10:00:00Z', t0 + 26 * 3600_000)).toBe('yesterday');
    expect(timeAgo('2025-01-01T10:00:00Z', t0 + 80 * 3600_000)).toBe('3 days ago');
    expect(timeAgo(undefined, t0)).toBe('');
  });
});
