import { copyFile, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAMS, type OcrRequested } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { eventually, jobEvents, labelFixture, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';
import { startWorker, type WorkerService } from './worker.service.js';

describe('the OCR worker on a real nats-server with real tesseract.js', () => {
  let nats: TestNats;
  let dir: TempDir;
  let bus: Bus;
  let worker: WorkerService;
  const imageDir = () => path.join(dir.path, 'images');

  beforeAll(async () => {
    nats = await startTestNats();
    dir = await tempDir();
    bus = await testBus(nats.url);
    worker = await startWorker({
      imageDir: imageDir(),
      cacheDir: path.join(dir.path, 'cache'),
      concurrency: 1,
      workerName: 'test-worker',
      consumer: { ackWaitMs: 30_000, maxDeliver: 3, maxAckPending: 4 },
      bus: { servers: [nats.url], name: 'worker-test', replicas: 1 },
      log: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await worker?.stop(5000);
    await bus?.close();
    await nats?.dispose();
    await dir?.remove();
  });

  const eventsOf = (jobId: string) => jobEvents(bus, jobId);

  async function request(jobId: string, file?: string, opts: { publish?: boolean } = {}): Promise<OcrRequested> {
    const key = `${jobId}.jpg`;
    let bytes: Buffer = Buffer.from('x');
    if (file) {
      await copyFile(file, path.join(imageDir(), key));
      bytes = await readFile(file);
    }
    const req: OcrRequested = {
      job_id: jobId,
      image: { key, sha256: createHash('sha256').update(bytes).digest('hex'), content_type: 'image/jpeg', bytes: bytes.length, width: 100, height: 100 },
      submitted_at: new Date().toISOString(),
      attempt: 1,
      reason: 'new',
    };
    // As requests were before several photos: `image` alone.
    if (opts.publish !== false) await publishEvent(bus.js, { type: 'ocr.requested', data: req });
    return req;
  }

  it('reads a label from a request of one `image` (as before several photos): started, then completed with the medication, and the request is acked', async () => {
    const label = labelFixture('dev-001-clean');
    const truth = JSON.parse(await readFile(label.truth, 'utf8')).truth;
    await request('worker-job-0001', label.image);
    const events = await eventually(async () => {
      const es = await eventsOf('worker-job-0001');
      return es.some((e) => e.type === 'ocr.completed') ? es : undefined;
    }, 60_000, 200);
    expect(events.map((e) => e.type)).toEqual(['ocr.requested', 'ocr.started', 'ocr.completed']);
    const done = events[2]!;
    if (done.type !== 'ocr.completed') throw new Error('unreachable');
    expect(done.data.medication.name).toMatch(new RegExp(truth.name_base, 'i'));
    expect(done.data.ocr_text.length).toBeGreaterThan(50);
    expect(done.data.timings_ms.total).toBeGreaterThan(0);
    await eventually(async () => {
      const info = await bus.jsm.consumers.info(STREAMS.OCR, 'ocr-worker');
      return info.num_ack_pending === 0 && info.num_pending === 0 ? true : undefined;
    });
  });

  it('reads a scan of two photos sent on the bulk lane: one reading, each field boxed on a photo', async () => {
    const label = labelFixture('dev-001-clean');
    const truth = JSON.parse(await readFile(label.truth, 'utf8')).truth;
    const first = await request('worker-job-0004', label.image, { publish: false });
    await copyFile(label.image, path.join(imageDir(), 'worker-job-0004_1.jpg'));
    const images = [first.image, { ...first.image, key: 'worker-job-0004_1.jpg' }];
    await publishEvent(bus.js, { type: 'ocr.requested', data: { ...first, images, reason: 'replay' } }, { lane: 'bulk' });
    const done = await eventually(async () => (await eventsOf('worker-job-0004')).find((e) => e.type === 'ocr.completed'), 120_000, 200);
    if (done.type !== 'ocr.completed') throw new Error('unreachable');
    expect(done.data.medication.name).toMatch(new RegExp(truth.name_base, 'i'));
    expect(done.data.ocr_text).toContain('--- photo 2 ---');
    const box = done.data.boxes?.name;
    expect(box).toBeDefined();
    expect(box!.x + box!.w).toBeLessThanOrEqual(1);
    expect(box!.w).toBeGreaterThan(0.02);
    // Both photos read the same name: no alternative to offer.
    expect(done.data.alternatives?.name).toBeUndefined();
    await eventually(async () => {
      const info = await bus.jsm.consumers.info(STREAMS.OCR, 'ocr-worker-bulk');
      return info.num_ack_pending === 0 && info.num_pending === 0 ? true : undefined;
    });
  });

  it('reports a job whose photo is missing as failed, not retryable, without retrying', async () => {
    await request('worker-job-0002');
    const failed = await eventually(async () => (await eventsOf('worker-job-0002')).find((e) => e.type === 'ocr.failed'));
    expect(failed.data).toMatchObject({ error: { code: 'image_missing' }, retryable: false });
  });

  it('terminates a malformed request and goes on with the next one', async () => {
    await bus.js.publish('ocr.requested', JSON.stringify({ job_id: '../../../etc/passwd' }));
    await request('worker-job-0003');
    await eventually(async () => (await eventsOf('worker-job-0003')).find((e) => e.type === 'ocr.failed'));
    expect(worker.stats.invalid).toBe(1);
  });
});
