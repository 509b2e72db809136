import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { startTestNats, testBus, type TestNats } from '@rxscan/test-utils';
import { ensureConsumer, ensureStreams, workerConsumerConfig } from './jetstream.setup.js';
import { publishEvent } from './event.publisher.js';
import { STREAMS, CONSUMERS } from '@rxscan/contracts';
import type { Bus } from './bus.connection.js';

describe('streams and consumers on a real nats-server', () => {
  let nats: TestNats;
  let bus: Bus;
  beforeAll(async () => {
    nats = await startTestNats();
    bus = await testBus(nats.url);
  });
  afterAll(async () => {
    await bus?.close();
    await nats?.dispose();
  });

  it('creates both streams on file storage and can be run again without change', async () => {
    await ensureStreams(bus.jsm, { replicas: 1 });
    const jsm = await jetstreamManager(bus.nc);
    const ocr = await jsm.streams.info(STREAMS.OCR);
    expect(ocr.config.subjects).toEqual(['ocr.>']);
    expect(ocr.config.storage).toBe('file');
    expect(ocr.config.duplicate_window).toBeGreaterThan(0);
    expect((await jsm.streams.info(STREAMS.MEDS)).config.subjects).toEqual(['med.>']);
  });

  it('updates a durable consumer in place when its settings change', async () => {
    const opts = { ackWaitMs: 30_000, maxDeliver: 5, maxAckPending: 4 };
    await ensureConsumer(bus.jsm, STREAMS.OCR, workerConsumerConfig(opts));
    await ensureConsumer(bus.jsm, STREAMS.OCR, workerConsumerConfig({ ...opts, maxAckPending: 8 }));
    const info = await bus.jsm.consumers.info(STREAMS.OCR, CONSUMERS.ocrWorker);
    expect(info.config.max_ack_pending).toBe(8);
    expect(info.config.filter_subject).toBe('ocr.requested');
  });

  it('drops a repeated publish of the same job attempt', async () => {
    const event = {
      type: 'ocr.started' as const,
      data: { job_id: 'job-dup-0001', attempt: 1, worker: 'w1', started_at: new Date().toISOString() },
    };
    const first = await publishEvent(bus.js, event);
    const again = await publishEvent(bus.js, event);
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
  });
});
