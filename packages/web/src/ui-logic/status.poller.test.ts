import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobStatusView } from '@rxscan/contracts';
import { ApiError } from './api.errors.js';
import { pollJob } from './status.poller.js';
import { view } from './test.fixtures.js';

/** A status endpoint answering from a script, one entry per call; the last repeats. */
function scripted(answers: (JobStatusView | Error)[]) {
  const calls: number[] = [];
  const fetchStatus = vi.fn(async () => {
    calls.push(Date.now());
    const next = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (next instanceof Error) throw next;
    return next;
  });
  return { fetchStatus, calls };
}

describe('pollJob', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('polls soon, then every 3 s, and stops once the job is done', async () => {
    const { fetchStatus, calls } = scripted([view('pending'), view('processing'), view('completed')]);
    const seen: string[] = [];
    pollJob({ url: '/s', fetchStatus, onStatus: (v) => seen.push(v.status), onGiveUp: () => {} });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toEqual([300, 3300, 6300]);
    expect(seen).toEqual(['pending', 'processing', 'completed']);
  });

  it('slows to a safety net while push is live', async () => {
    const { fetchStatus, calls } = scripted([view('processing')]);
    const p = pollJob({ url: '/s', fetchStatus, onStatus: () => {}, onGiveUp: () => {}, pushLive: () => true });
    await vi.advanceTimersByTimeAsync(31_000);
    expect(calls).toEqual([300, 15_300, 30_300]);
    p.stop();
  });

  it('keeps trying through network trouble, backing off, and says so', async () => {
    const down = new ApiError(0, 'network', 'Could not reach RxScan.');
    const { fetchStatus, calls } = scripted([down, down, down, view('completed')]);
    const trouble = vi.fn();
    const onStatus = vi.fn();
    pollJob({ url: '/s', fetchStatus, onStatus, onGiveUp: () => {}, onTrouble: trouble });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual([300, 3300, 9300, 21_300]);
    expect(trouble).toHaveBeenCalledTimes(3);
    expect(onStatus).toHaveBeenCalledOnce();
  });

  it('gives up on a job the server does not know', async () => {
    const gone = new ApiError(404, 'job_not_found', 'No scan with id x.');
    const { fetchStatus, calls } = scripted([gone]);
    const onGiveUp = vi.fn();
    pollJob({ url: '/s', fetchStatus, onStatus: () => {}, onGiveUp });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(1);
    expect(onGiveUp).toHaveBeenCalledWith(gone);
  });

  it('poke polls at once; stop ends it', async () => {
    const { fetchStatus, calls } = scripted([view('processing')]);
    const p = pollJob({ url: '/s', fetchStatus, onStatus: () => {}, onGiveUp: () => {} });
    await vi.advanceTimersByTimeAsync(1000);
    p.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([300, 1000]);
    p.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(2);
  });
});
