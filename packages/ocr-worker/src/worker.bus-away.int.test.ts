import { copyFile, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAMS } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { startNatsServer, type NatsServerProcess } from '@rxscan/service-kit';
import { eventually, jobEvents, labelFixture, tempDir, testBus, type TempDir } from '@rxscan/test-utils';
import { createExtractor } from './extraction/index.js';
import type { Extractor } from './extraction/types.js';
import { startWorker, type WorkerService } from './worker.service.js';

/**
 * The bus goes away while a label is being read (a restart, a cluster fail-over) and comes back
 * half a minute's fraction later: the job's outcome is written when it is back, without handing
 * the job back. The consumer allows one delivery only, so a job handed back would never end.
 */
describe('the OCR worker when the bus goes away during a read', () => {
  let dir: TempDir;
  let nats: NatsServerProcess;
  let bus: Bus;
  let worker: WorkerService;
  let real: Extractor;
  let reached!: () => void;
  const readDone = new Promise<void>((r) => (reached = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));

  beforeAll(async () => {
    dir = await tempDir('rxscan-away-');
    nats = await startNatsServer({ storeDir: path.join(dir.path, 'nats') });
    bus = await testBus(nats.url);
    real = await createExtractor({ workers: 1, cacheDir: path.join(dir.path, 'cache') });
    worker = await startWorker({
      imageDir: path.join(dir.path, 'images'),
      cacheDir: path.join(dir.path, 'cache'),
      concurrency: 1,
      workerName: 'away-worker',
      consumer: { ackWaitMs: 30_000, maxDeliver: 1, maxAckPending: 1 },
      bus: { servers: [nats.url], name: 'away-worker', replicas: 1 },
      log: pino({ level: 'silent' }),
      extractor: {
        extract: async (image) => {
          const reading = await real.extract(image);
          reached();
          await released;
          return reading;
        },
        close: async () => {},
      },
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop(5000);
    await real?.close();
    await bus?.close();
    await nats?.stop();
    await dir?.remove();
  });

  it('writes the reading once the server is back, and the job is never handed back', async () => {
    const label = labelFixture('dev-001-clean');
    const truth = JSON.parse(await readFile(label.truth, 'utf8')).truth;
    const bytes = await readFile(label.image);
    await copyFile(label.image, path.join(dir.path, 'images', 'away-job-0001.jpg'));
    await publishEvent(bus.js, {
      type: 'ocr.requested',
      data: {
        job_id: 'away-job-0001',
        image: { key: 'away-job-0001.jpg', sha256: createHash('sha256').update(bytes).digest('hex'), content_type: 'image/jpeg', bytes: bytes.length, width: 100, height: 100 },
        submitted_at: new Date().toISOString(),
        attempt: 1,
        reason: 'new',
      },
    });
    await readDone;
    const port = nats.port;
    await nats.stop('SIGKILL');
    release();
    await new Promise((r) => setTimeout(r, 8000)); // longer than a write's 5 s deadline
    nats = await startNatsServer({ storeDir: path.join(dir.path, 'nats'), port });

    const events = await eventually(async () => {
      const es = await jobEvents(bus, 'away-job-0001');
      return es.some((e) => e.type === 'ocr.completed') ? es : undefined;
    }, 60_000, 250);
    expect(events.map((e) => e.type)).toEqual(['ocr.requested', 'ocr.started', 'ocr.completed']);
    const done = events[2]!;
    if (done.type !== 'ocr.completed') throw new Error('unreachable');
    expect(done.data.medication.name).toMatch(new RegExp(truth.name_base, 'i'));
    expect(worker.stats).toMatchObject({ completed: 1, retried: 0, failed: 0 });
    await eventually(async () => {
      const info = await bus.jsm.consumers.info(STREAMS.OCR, 'ocr-worker');
      return info.num_ack_pending === 0 && info.num_pending === 0 ? true : undefined;
    }, 30_000);
  }, 120_000);
});
