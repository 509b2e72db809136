import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobStatusView } from '@rxscan/contracts';
import { ApiError } from './api.errors.js';
import type { ScanJob } from './scan-job.state.js';
import { ScanSession, type ScanSessionOptions } from './scan-session.state.js';
import { JOB_ID, accepted, view } from './test.fixtures.js';
import { memoryOutbox } from './outbox.storage.js';

function fakeApi(statuses: JobStatusView[]) {
  return {
    upload: vi.fn(async () => accepted()),
    status: vi.fn(async (_url: string) => (statuses.length > 1 ? statuses.shift()! : statuses[0]!)),
    retry: vi.fn(async () => view('pending', { attempt: 2 })),
  } satisfies ScanSessionOptions['api'];
}

function sessionWith(api: ScanSessionOptions['api']) {
  let shown: readonly ScanJob[] = [];
  const listChanged = vi.fn();
  const session = new ScanSession({ api, onChange: (jobs) => (shown = jobs), onListChanged: listChanged, newKey: () => 'k1' });
  return { session, listChanged, shown: () => shown };
}

describe('ScanSession', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('given a photo, when it is read, then the card shows the result and the list is refreshed', async () => {
    const api = fakeApi([view('processing'), view('completed')]);
    const { session, listChanged, shown } = sessionWith(api);
    const { key, sent } = session.submit(new Blob(['x']), 'label.jpg');
    expect(key).toBe('k1');
    expect(shown()[0]).toMatchObject({ phase: 'uploading', number: 1 });
    await sent;
    expect(shown()[0]!.phase).toBe('pending');
    await vi.advanceTimersByTimeAsync(300);
    expect(shown()[0]!.phase).toBe('processing');
    await vi.advanceTimersByTimeAsync(3000);
    expect(shown()[0]).toMatchObject({ phase: 'completed', finishedAt: 3300 });
    expect(api.status).toHaveBeenCalledWith(`/meds/extract/${JOB_ID}/status?seq=42`);
    expect(listChanged).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.status).toHaveBeenCalledTimes(2);
  });

  it('a pushed result finishes the card and stops polling', async () => {
    const api = fakeApi([view('processing')]);
    const { session, listChanged, shown } = sessionWith(api);
    await session.submit(new Blob(['x']), 'label.jpg').sent;
    session.applyPush(view('completed'));
    expect(shown()[0]!.phase).toBe('completed');
    expect(listChanged).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(api.status).not.toHaveBeenCalled();
  });

  it('an upload refused by the server shows its message', async () => {
    const api = fakeApi([view('pending')]);
    vi.mocked(api.upload).mockRejectedValueOnce(new ApiError(413, 'too_large', 'That photo is too large.'));
    const { session, shown } = sessionWith(api);
    await session.submit(new Blob(['x']), 'label.jpg').sent;
    expect(shown()[0]).toMatchObject({ phase: 'upload-failed', problem: 'That photo is too large.' });
  });

  it('retry after a failure goes back to queued and is followed again', async () => {
    const api = fakeApi([view('failed'), view('processing', { attempt: 2 })]);
    const { session, shown } = sessionWith(api);
    await session.submit(new Blob(['x']), 'label.jpg').sent;
    await vi.advanceTimersByTimeAsync(300);
    expect(shown()[0]).toMatchObject({ phase: 'failed', problem: 'No text found on the photo.' });
    await session.retry('k1');
    expect(api.retry).toHaveBeenCalledWith(JOB_ID);
    expect(shown()[0]!.phase).toBe('pending');
    await vi.advanceTimersByTimeAsync(300);
    expect(shown()[0]).toMatchObject({ phase: 'processing', view: { attempt: 2 } });
  });

  it('retry that the server does not offer says so on the card', async () => {
    const api = fakeApi([view('failed')]);
    vi.mocked(api.retry).mockRejectedValueOnce(new ApiError(404, 'retry_unavailable', "Retry isn't available on this server."));
    const { session, shown } = sessionWith(api);
    await session.submit(new Blob(['x']), 'label.jpg').sent;
    await vi.advanceTimersByTimeAsync(300);
    await session.retry('k1');
    expect(shown()[0]).toMatchObject({ phase: 'failed', actionProblem: "Retry isn't available on this server." });
    expect(shown()[0]!.action).toBeUndefined();
  });

  it('given jobs found on the server after a reload, then they are shown oldest-numbered first and followed', async () => {
    const api = fakeApi([view('completed', { job_id: 'job-b' })]);
    let n = 0;
    let shown: readonly ScanJob[] = [];
    const session = new ScanSession({ api, onChange: (j) => (shown = j), onListChanged: () => {}, newKey: () => `k${++n}` });
    session.restore([view('failed', { job_id: 'job-a' }), view('processing', { job_id: 'job-b' })]);
    expect(shown.map((j) => [j.number, j.view?.job_id, j.phase])).toEqual([
      [2, 'job-b', 'processing'],
      [1, 'job-a', 'failed'],
    ]);
    await vi.advanceTimersByTimeAsync(300);
    // No upload answer, so no sequence: the plain status URL.
    expect(api.status).toHaveBeenCalledExactlyOnceWith('/meds/extract/job-b/status');
    expect(shown[0]!.phase).toBe('completed');
    // Restoring again (a reconnect) adds nothing twice.
    session.restore([view('failed', { job_id: 'job-a' })]);
    expect(shown).toHaveLength(2);
  });

  it('a restored failure can be retried, and a job from the Recent list gets a card to follow', async () => {
    const api = fakeApi([view('processing', { attempt: 2 })]);
    const { session, shown } = sessionWith(api);
    const key = session.track(view('failed'));
    expect(session.track(view('failed'))).toBe(key);
    await session.retry(key);
    expect(api.retry).toHaveBeenCalledWith(JOB_ID);
    await vi.advanceTimersByTimeAsync(300);
    expect(shown()[0]).toMatchObject({ phase: 'processing', view: { attempt: 2 } });
    session.dispose();
  });

  it('an upload answered after a restore already showed its job keeps one card', async () => {
    const api = fakeApi([view('processing')]);
    let n = 0;
    let shown: readonly ScanJob[] = [];
    const session = new ScanSession({ api, onChange: (j) => (shown = j), onListChanged: () => {}, newKey: () => `k${++n}` });
    const { sent } = session.submit(new Blob(['x']), 'label.jpg');
    session.restore([view('pending')]);
    expect(shown).toHaveLength(2);
    await sent;
    expect(shown.map((j) => j.key)).toEqual(['k1']);
    session.dispose();
  });

  it('network trouble while polling is shown and cleared by the next answer', async () => {
    const api = fakeApi([view('processing')]);
    vi.mocked(api.status).mockRejectedValueOnce(new ApiError(0, 'network', 'Could not reach RxScan.'));
    const { session, shown } = sessionWith(api);
    await session.submit(new Blob(['x']), 'label.jpg').sent;
    await vi.advanceTimersByTimeAsync(300);
    expect(shown()[0]!.notice).toBe('Could not reach RxScan. Still trying…');
    await vi.advanceTimersByTimeAsync(3000);
    expect(shown()[0]!.notice).toBeUndefined();
    session.dispose();
  });

  describe('a photo that cannot be sent now', () => {
    const offline = () => new ApiError(0, 'network', "Could not reach RxScan. Check the tablet's Wi-Fi and try again.");

    it('waits on the tablet, is tried again with a growing wait, and goes by itself once the server answers', async () => {
      const api = fakeApi([view('pending')]);
      vi.mocked(api.upload).mockRejectedValueOnce(offline()).mockRejectedValueOnce(new ApiError(503, 'http_503', 'Busy.'));
      const outbox = memoryOutbox();
      let shown: readonly ScanJob[] = [];
      const session = new ScanSession({ api, outbox, onChange: (j) => (shown = j), onListChanged: () => {}, newKey: () => 'k1', random: () => 0.5 });
      await session.submit([new Blob(['a']), new Blob(['b'])], 'label.jpg').sent;
      expect(shown[0]).toMatchObject({ phase: 'waiting', kept: true, nextTryAt: 2000, photoCount: 2 });
      expect(shown[0]!.problem).toMatch(/Wi-Fi/);
      expect((await outbox.all()).map((e) => e.photos.length)).toEqual([2]);
      await vi.advanceTimersByTimeAsync(2000);
      expect(api.upload).toHaveBeenCalledTimes(2);
      expect(shown[0]).toMatchObject({ phase: 'waiting', nextTryAt: 6000 });
      await vi.advanceTimersByTimeAsync(4000);
      expect(api.upload).toHaveBeenCalledTimes(3);
      expect(shown[0]!.phase).toBe('pending');
      expect(await outbox.all()).toEqual([]);
      // Both photos went in the one request.
      expect((vi.mocked(api.upload).mock.calls[2] as unknown as [Blob[]])[0].length).toBe(2);
    });

    it('left by an earlier page, is shown as waiting and sent when the page opens again', async () => {
      const outbox = memoryOutbox();
      await outbox.put({ key: 'old', fileName: 'label.jpg', photos: [new Blob(['a'])], createdAt: 0 });
      const api = fakeApi([view('pending')]);
      let shown: readonly ScanJob[] = [];
      const photos = vi.fn();
      const session = new ScanSession({ api, outbox, onChange: (j) => (shown = j), onListChanged: () => {}, onPhotos: photos });
      await session.resumeOutbox();
      expect(photos).toHaveBeenCalledWith('old', [expect.any(Blob)]);
      expect(shown[0]).toMatchObject({ key: 'old', phase: 'pending' });
      expect(await outbox.all()).toEqual([]);
    });

    it('is tried at once when the network comes back, and dropped from the tablet when the person removes it', async () => {
      const api = fakeApi([view('pending')]);
      vi.mocked(api.upload).mockRejectedValue(offline());
      const outbox = memoryOutbox();
      let shown: readonly ScanJob[] = [];
      const session = new ScanSession({ api, outbox, onChange: (j) => (shown = j), onListChanged: () => {}, newKey: () => 'k1' });
      await session.submit(new Blob(['a']), 'label.jpg').sent;
      session.sendWaitingNow();
      await vi.advanceTimersByTimeAsync(0);
      expect(api.upload).toHaveBeenCalledTimes(2);
      session.dismiss('k1');
      expect(shown).toEqual([]);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(api.upload).toHaveBeenCalledTimes(2);
      expect(await outbox.all()).toEqual([]);
    });
  });
});
