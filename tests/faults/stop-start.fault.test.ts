import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startSystem, tempDir, type RunningSystem, type TempDir } from '@rxscan/test-utils';
import { slowUpload } from './faults.harness.js';
import { completionsByJob, sleep, TabletDriver } from './launcher.harness.js';

/** Index of the first line matching `pattern`, or -1. */
const lineOf = (output: string[], pattern: RegExp) => output.findIndex((l) => pattern.test(l));

describe('Ctrl-C in the middle of a burst, then npm start again on the same DATA_DIR', () => {
  let dir: TempDir;
  const systems: RunningSystem[] = [];
  afterAll(async () => {
    for (const s of systems) await s.stop();
    await dir?.remove();
  });

  it('stops in order, answers the upload in flight, redoes nothing that had finished, and completes every accepted job once', async () => {
    dir = await tempDir('rxscan-restart-');
    const first = await startSystem({ dataDir: dir.path });
    systems.push(first);
    const tablet = await TabletDriver.pair(first);
    for (let i = 0; i < 6; i++) expect((await tablet.upload()).status).toBe(202);
    // Mid-burst: some jobs done, one being read, the rest waiting.
    await eventually(async () => {
      const seen = await Promise.all(tablet.accepted.map(async (id) => (await tablet.status(id)).view?.status));
      return seen.includes('completed') && seen.includes('processing') ? true : undefined;
    }, 180_000, 200);

    let stopped: Promise<number | string | null> = Promise.resolve(null);
    const inFlight = await slowUpload(first.url, tablet.image, async () => {
      await sleep(200);
      stopped = first.stop(); // Ctrl-C with half the photo sent
      await sleep(300);
    }, tablet.headers);
    // The upload under way when Ctrl-C came was answered, and accepted.
    expect(inFlight.status).toBe(202);
    tablet.accepted.push((JSON.parse(inFlight.body) as { job_id: string }).job_id);
    expect(await stopped).toBe(0);

    const out = first.output;
    const signalled = lineOf(out, /^\[start\] SIGINT: stopping/);
    const order = [/^\[web\] .*"shutting down"/, /^\[ingest\] .*"shutting down"/, /^\[ocr-worker\] .*"shutting down"/, /^\[med-store\] .*"shutting down"/, /^\[nats\] .*Initiating Shutdown/].map((p) => lineOf(out, p));
    expect(signalled).toBeGreaterThanOrEqual(0);
    expect(order.every((i) => i > signalled)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Nothing was restarted while stopping, and nothing needed SIGKILL.
    expect(out.slice(signalled).filter((l) => /^\[start\] .*(restarting in|sending SIGKILL)/.test(l))).toEqual([]);
    expect(out[out.length - 1]).toMatch(/^\[start\] stopped/);

    const second = await startSystem({ dataDir: dir.path });
    systems.push(second);
    await tablet.on(second).expectEveryAcceptedJobCompletedOnce();
    // Each job was read to the end exactly once across both runs: the one in progress was finished or handed back, none redone.
    const completions = completionsByJob(first.output, second.output);
    for (const id of tablet.accepted) expect(completions.get(id), `completions of ${id}`).toBe(1);
  });
});
