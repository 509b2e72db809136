import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fillDisk, mountSmallDisk, startSystem, type RunningSystem, type SmallDisk } from '@rxscan/test-utils';
import { runtimeOf, TabletDriver } from './launcher.harness.js';

// DATA_DIR on a small tmpfs, so the test can fill the disk without touching the machine's own.
// Whether this machine allows the mount is found out now (a 1 MB try), so the skip shows with its reason.
const probe = await mountSmallDisk(1);
const skipReason = typeof probe === 'string' ? probe : (await probe.unmount(), null);
if (skipReason) console.warn(`disk-full fault test skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)(`the data disk filled to the last byte, then freed${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let sys: RunningSystem;
  let tablet: TabletDriver;
  let mounted: SmallDisk;
  beforeAll(async () => {
    const disk = await mountSmallDisk(96);
    if (typeof disk === 'string') throw new Error(disk);
    mounted = disk;
    // A 96 MB disk with a 24 MB reserve: photos, the NATS store and SQLite all on it.
    sys = await startSystem({ dataDir: mounted.dir, env: { MIN_FREE_DISK_MB: '24' } });
    tablet = await TabletDriver.pair(sys);
  });
  afterAll(async () => {
    await sys?.stop();
    await mounted?.unmount();
  });

  it('refuses uploads with 507 while it is full, says the bus accepts no writes, and heals by itself once space is freed', async () => {
    for (let i = 0; i < 3; i++) expect((await tablet.upload()).status).toBe(202);
    const { urls } = await runtimeOf(sys);
    const filler = await fillDisk(mounted.dir);

    const refused = await tablet.upload();
    expect(refused).toMatchObject({ status: 507, code: 'insufficient_storage' });
    // Readiness comes from a real write: connected is not enough.
    const ready = await eventually(async () => {
      const body = (await (await fetch(`${urls.ingest}/readyz`)).json()) as { nats: boolean };
      return body.nats === false ? body : undefined;
    }, 60_000, 250);
    expect(ready).toMatchObject({ ok: false, nats: false, disk: false });
    // The launcher sees nats-server store nothing, and waits for room before restarting it.
    await eventually(() => (sys.output.some((l) => /^\[start\] nats-server stores nothing .* it is restarted once/.test(l)) ? true : undefined), 90_000, 250);
    expect((await tablet.upload()).status).toBe(507);

    const freedAt = Date.now();
    await rm(filler);
    const recoveredMs = await tablet.uploadUntilAccepted(freedAt, 60_000);
    console.log(`disk full then freed: first upload accepted ${recoveredMs} ms after the space came back`);
    expect(recoveredMs).toBeLessThan(20_000);
    for (let i = 0; i < 2; i++) expect((await tablet.upload()).status).toBe(202);
    await tablet.expectEveryAcceptedJobCompletedOnce();
    expect(await (await fetch(`${urls.ingest}/readyz`)).json()).toMatchObject({ ok: true, nats: true, disk: true });
  });
});
