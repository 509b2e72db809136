import { describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { restoreFromServer, scansToRestore, type RestoreRules } from './scan-restore.rule.js';
import { view } from './test.fixtures.js';

const NOW = Date.parse('2025-01-02T12:00:00Z');
const rules = (over: Partial<RestoreRules> = {}): RestoreRules => ({ shown: () => false, dismissed: () => false, now: NOW, ...over });
const job = (id: string, status: 'pending' | 'processing' | 'failed', created: string, over = {}) =>
  view(status, { job_id: id, created_at: created, ...(status === 'failed' && { completed_at: created }), ...over });

describe('scans to restore after a reload', () => {
  it('given scans in progress and failures, then all in progress and the recent failures come back, oldest first', () => {
    const found = {
      pending: [job('p', 'pending', '2025-01-02T11:59:00Z')],
      processing: [job('r', 'processing', '2025-01-02T11:58:00Z')],
      failed: [job('f-new', 'failed', '2025-01-02T09:00:00Z'), job('f-old', 'failed', '2024-12-30T09:00:00Z')],
    };
    expect(scansToRestore(found, rules()).map((v) => v.job_id)).toEqual(['f-new', 'r', 'p']);
  });

  it('never shows a job twice: one on screen, one dismissed here, or one seen in two lists', () => {
    const moving = job('m', 'pending', '2025-01-02T11:00:00Z');
    const found = {
      pending: [moving, job('shown', 'pending', '2025-01-02T11:00:00Z')],
      processing: [{ ...moving, status: 'processing' as const }],
      failed: [job('put-away', 'failed', '2025-01-02T11:00:00Z')],
    };
    const restored = scansToRestore(found, rules({ shown: (id) => id === 'shown', dismissed: (id) => id === 'put-away' }));
    expect(restored.map((v) => [v.job_id, v.status])).toEqual([['m', 'processing']]);
  });

  it('keeps the latest attempt when a retried job shows up in two lists', () => {
    const found = {
      pending: [job('j', 'pending', '2025-01-02T11:00:00Z', { attempt: 2 })],
      processing: [],
      failed: [job('j', 'failed', '2025-01-02T11:00:00Z')],
    };
    expect(scansToRestore(found, rules())).toMatchObject([{ status: 'pending', attempt: 2 }]);
  });

  it('brings back a recent reading only while it waits for a check', () => {
    const reading = (id: string, at: string) => view('completed', { job_id: id, created_at: at, completed_at: at, result: { ...view('completed').result!, medication_id: id } });
    const found = {
      pending: [],
      processing: [],
      failed: [],
      completed: [reading('unchecked', '2025-01-02T11:55:00Z'), reading('confirmed', '2025-01-02T11:56:00Z'), reading('old', '2025-01-02T10:00:00Z')],
    };
    const restored = scansToRestore(found, rules({ awaitingReview: (id) => id !== 'confirmed' }));
    expect(restored.map((v) => v.job_id)).toEqual(['unchecked']);
    expect(scansToRestore(found, rules())).toEqual([]);
  });
});

describe('restoreFromServer', () => {
  it('asks for each status, reads the list alongside, and shows what it found', async () => {
    const api = { jobs: vi.fn(async (status?: string) => (status === 'processing' ? [view('processing', { job_id: 'r', created_at: '2025-01-02T11:58:00Z' })] : [])) };
    const meds = { refresh: vi.fn(async () => {}), find: () => undefined };
    const session = { current: [], restore: vi.fn() };
    expect(await restoreFromServer({ api, meds, session, dismissed: () => false, now: () => NOW })).toBe(true);
    expect(api.jobs.mock.calls.map((c) => c[0])).toEqual(['pending', 'processing', 'failed', 'completed']);
    expect(meds.refresh).toHaveBeenCalledOnce();
    expect(session.restore.mock.calls[0]![0].map((v: { job_id: string }) => v.job_id)).toEqual(['r']);
  });

  it('says so when the server cannot be reached, showing nothing', async () => {
    const session = { current: [], restore: vi.fn() };
    const api = { jobs: vi.fn(async () => Promise.reject(new TypeError('fetch failed'))) };
    expect(await restoreFromServer({ api, meds: { refresh: async () => {}, find: () => undefined }, session, dismissed: () => false })).toBe(false);
    expect(session.restore).not.toHaveBeenCalled();
  });
});
