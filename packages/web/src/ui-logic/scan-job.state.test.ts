import { describe, expect, it } from 'vitest';
import { elapsedSeconds, newScan, restoredScan, uploadAccepted, uploadFailed, withStatus } from './scan-job.state.js';
import { accepted, view } from './test.fixtures.js';

const T0 = 1_000_000;

describe('scan job state', () => {
  it('goes uploading -> queued -> reading -> done, with the clock frozen at done', () => {
    let job = newScan('k1', 1, 'label.jpg', T0);
    expect(job.phase).toBe('uploading');
    job = uploadAccepted(job, accepted());
    expect(job.phase).toBe('pending');
    job = withStatus(job, view('processing'), T0 + 2000);
    expect(job.phase).toBe('processing');
    expect(elapsedSeconds(job, T0 + 4500)).toBe(4);
    job = withStatus(job, view('completed'), T0 + 9000);
    expect(job.phase).toBe('completed');
    expect(elapsedSeconds(job, T0 + 60_000)).toBe(9);
  });

  it('ignores a late poll that would move a finished job backwards', () => {
    const done = withStatus(uploadAccepted(newScan('k', 1, 'a.jpg', T0), accepted()), view('completed'), T0 + 5000);
    expect(withStatus(done, view('processing'), T0 + 6000)).toBe(done);
    expect(withStatus(done, view('pending'), T0 + 6000)).toBe(done);
  });

  it('keeps the first finish time when the same result arrives twice (poll and push)', () => {
    const done = withStatus(newScan('k', 1, 'a.jpg', T0), view('completed'), T0 + 5000);
    const again = withStatus(done, view('completed'), T0 + 8000);
    expect(again.finishedAt).toBe(T0 + 5000);
  });

  it('a retry (higher attempt) starts again from queued with a fresh clock', () => {
    const failed = withStatus(newScan('k', 1, 'a.jpg', T0), view('failed'), T0 + 5000);
    expect(failed.problem).toBe('No text found on the photo.');
    const retried = withStatus({ ...failed, action: 'retrying' }, view('pending', { attempt: 2 }), T0 + 20_000);
    expect(retried).toMatchObject({ phase: 'pending', startedAt: T0 + 20_000 });
    expect(retried.problem).toBeUndefined();
    expect(retried.finishedAt).toBeUndefined();
    expect(retried.action).toBeUndefined();
    // ...and a straggling result of attempt 1 does not undo it.
    expect(withStatus(retried, view('failed'), T0 + 21_000)).toBe(retried);
  });

  it('a failure without a message still says something useful', () => {
    const failed = withStatus(newScan('k', 1, 'a.jpg', T0), view('failed', { error: { code: 'x', message: '', retryable: false } }), T0);
    expect(failed.problem).toMatch(/could not be read/);
  });

  it('an upload that did not go through is finished, with the reason', () => {
    const job = uploadFailed(newScan('k', 1, 'a.jpg', T0), 'That photo is too large.', T0 + 1500);
    expect(job).toMatchObject({ phase: 'upload-failed', problem: 'That photo is too large.' });
    expect(elapsedSeconds(job, T0 + 99_000)).toBe(1);
  });

  it('a job found after a reload keeps the clock the server gives it', () => {
    const created = Date.parse('2025-01-01T10:00:00.000Z');
    const reading = restoredScan('r', 1, view('processing'), created + 7000);
    expect(reading).toMatchObject({ phase: 'processing', restored: true, startedAt: created });
    expect(elapsedSeconds(reading, created + 9000)).toBe(9);

    const failed = restoredScan('r', 1, view('failed', { completed_at: '2025-01-01T10:00:04.000Z' }), created + 60_000);
    expect(elapsedSeconds(failed, created + 90_000)).toBe(4);
    // A tablet clock behind the server's never shows a negative time.
    expect(elapsedSeconds(restoredScan('r', 1, view('pending'), created - 5000), created - 4000)).toBe(1);
  });
});
