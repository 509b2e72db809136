import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startSystem, type RunningSystem } from '@rxscan/test-utils';
import { runtimeOf, sleep, TabletDriver } from './launcher.harness.js';

describe('under npm start, parts SIGKILLed or frozen in the middle of uploads', () => {
  let sys: RunningSystem;
  let tablet: TabletDriver;
  beforeAll(async () => {
    sys = await startSystem();
    tablet = await TabletDriver.pair(sys);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('nats-server SIGKILLed: the launcher restarts it, uploads are accepted again within seconds', async () => {
    for (let i = 0; i < 4; i++) expect((await tablet.upload()).status).toBe(202);
    const before = await runtimeOf(sys);
    const killedAt = Date.now();
    process.kill(before.pids['nats-server']!, 'SIGKILL');

    // Uploads go on at the tablet's pace: refused cleanly (503) until the bus is back, never a 500.
    const refused: { status: number; code?: string }[] = [];
    let recoveredMs = 0;
    while (!recoveredMs) {
      const r = await tablet.upload();
      if (r.status === 202) recoveredMs = Date.now() - killedAt;
      else refused.push(r);
      if (Date.now() - killedAt > 60_000) throw new Error(`no upload accepted within 60 s of the kill: ${JSON.stringify(refused.slice(-5))}`);
      await sleep(200);
    }
    for (const r of refused) expect(r).toMatchObject({ status: 503, code: 'bus_unavailable' });
    console.log(`nats-server SIGKILL: first upload accepted ${recoveredMs} ms after the kill (${refused.length} refused with 503 meanwhile)`);
    expect(recoveredMs).toBeLessThan(20_000);
    for (let i = 0; i < 4; i++) expect((await tablet.upload()).status).toBe(202);

    expect(sys.output).toContainEqual(expect.stringMatching(/^\[start\] nats-server exited \(SIGKILL\); restarting in/));
    expect((await runtimeOf(sys)).pids['nats-server']).not.toBe(before.pids['nats-server']);
  });

  it('med-store frozen (SIGSTOP): uploads go on, web letting in the tokens it checked recently', async () => {
    const { pids } = await runtimeOf(sys);
    process.kill(pids['med-store']!, 'SIGSTOP');
    try {
      // Past the 5 s in which web trusts a check without asking again: now it must ask, and gets no answer.
      await sleep(5500);
      for (let i = 0; i < 3; i++) expect((await tablet.upload()).status).toBe(202);
    } finally {
      process.kill(pids['med-store']!, 'SIGCONT');
    }
  });

  it('med-store SIGKILLed: a status asked right after a 202 never answers 404; the restarted one takes the lease over at once', async () => {
    const { pids } = await runtimeOf(sys);
    const killedAt = Date.now();
    process.kill(pids['med-store']!, 'SIGKILL');
    const accepted = await tablet.upload();
    expect(accepted.status).toBe(202);

    // Asked at once and again: web says 502 while med-store is away, med-store 503 while it catches up; never 404.
    const seen = new Set<number>();
    await eventually(async () => {
      const { http, view } = await tablet.status(accepted.jobId!);
      seen.add(http);
      expect(http).not.toBe(404);
      return view;
    }, 120_000, 100);
    console.log(`med-store SIGKILL: status of the job accepted just after answered 200 ${Date.now() - killedAt} ms after the kill (saw ${[...seen].join(', ')})`);
    expect([...seen].every((h) => [0, 200, 502, 503].includes(h))).toBe(true);
    expect(sys.output).toContainEqual(expect.stringMatching(/^\[med-store\] .*projector lease taken over from a process that is gone/));
  });

  it('completes every job accepted through all of it exactly once', async () => {
    await tablet.expectEveryAcceptedJobCompletedOnce();
  });
});
