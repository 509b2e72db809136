import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusEvent } from '@rxscan/contracts';
import { publishEvent } from '@rxscan/bus';
import { eventually, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';
import { startMedStore, type MedStoreService } from './med-store.service.js';
import { isProjectionAheadOfStream } from './projection.service.js';

const requested = (jobId: string): BusEvent => ({
  type: 'ocr.requested',
  data: {
    job_id: jobId,
    image: { key: `${jobId}.jpg`, sha256: 'c'.repeat(64), content_type: 'image/jpeg', bytes: 10, width: 10, height: 10 },
    submitted_at: new Date().toISOString(),
    attempt: 1,
    reason: 'new',
  },
});

describe('med-store on a database projected from another NATS store', () => {
  const undo: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (undo.length) await undo.pop()!().catch(() => {});
  });

  const natsServer = async (): Promise<TestNats> => {
    const nats = await startTestNats();
    undo.push(() => nats.dispose());
    return nats;
  };
  const store = (nats: TestNats, dir: TempDir): Promise<MedStoreService> =>
    startMedStore({
      database: { url: path.join(dir.path, 'meds.sqlite') },
      bus: { servers: [nats.url], name: 'med-store-test', replicas: 1 },
      port: 0,
      host: '127.0.0.1',
      log: pino({ level: 'silent' }),
    });
  /** A database that has projected three jobs from a NATS store other than the one it is then started on. */
  const databaseOfAnotherStore = async (): Promise<TempDir> => {
    const dir = await tempDir();
    undo.push(() => dir.remove());
    const old = await natsServer();
    const bus = await testBus(old.url);
    const svc = await store(old, dir);
    let seq = 0;
    for (const id of ['old-job-1', 'old-job-2', 'old-job-3']) seq = (await publishEvent(bus.js, requested(id))).seq;
    await svc.projector.waitFor('OCR', seq, 10_000);
    await svc.stop();
    await bus.close();
    return dir;
  };

  it('refuses to start, naming the stream and what to do, instead of skipping the new store\'s first events', async () => {
    const dir = await databaseOfAnotherStore();
    const fresh = await natsServer();
    const bus = await testBus(fresh.url);
    undo.push(() => bus.close());
    await publishEvent(bus.js, requested('new-job-1'));

    const started = store(fresh, dir);
    started.then((svc) => undo.push(() => svc.stop()), () => {});
    const err = await started.then(() => null, (e: unknown) => e);
    expect(isProjectionAheadOfStream(err)).toBe(true);
    expect(err).toMatchObject({ stream: 'OCR', projected: 3, streamHead: 1 });
    expect((err as Error).message).toMatch(/another NATS store.*DATABASE_URL.*ops -- rebuild/);
  });

  it('starts as before on its own store, and projects what comes next', async () => {
    const dir = await tempDir();
    undo.push(() => dir.remove());
    const nats = await natsServer();
    const bus = await testBus(nats.url);
    undo.push(() => bus.close());
    const first = await store(nats, dir);
    const { seq } = await publishEvent(bus.js, requested('same-job-1'));
    await first.projector.waitFor('OCR', seq, 10_000);
    await first.stop();

    const again = await store(nats, dir);
    undo.push(() => again.stop());
    await publishEvent(bus.js, requested('same-job-2'));
    await eventually(async () => ((await request(again.url).get('/meds/extract/same-job-2/status')).body.status === 'pending' ? true : undefined), 10_000);
  });
});
