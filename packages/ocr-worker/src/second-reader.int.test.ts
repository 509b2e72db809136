import { copyFile, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRITICAL_FIELDS, decodeEvent, isCertain, STREAMS, type OcrCompleted } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { eventually, freePort, labelFixture, metricValue, parseMetrics, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';
import { ONE_LOOK_CAP } from './extraction/evidence.js';
import { secondReaderConfig } from './second-reader.config.js';
import { startScriptedReader, type ScriptedReader, type ScriptedReply } from './second-reader.fixtures.js';
import type { ReaderAnswer } from './second-reader.schema.js';
import { startWorker, type WorkerService } from './worker.service.js';

interface Truth {
  name: string;
  dosage: string;
  sig: string;
  schedule: string;
  quantity: number;
  refills: number;
  prescriber_printed: string;
  rx_number: string;
}

/** What a reader that reads the label right answers. */
const answerOf = (t: Truth): ReaderAnswer => ({
  name: t.name,
  dosage: t.dosage,
  sig: t.sig,
  schedule: t.schedule,
  quantity: t.quantity,
  refills: t.refills,
  prescriber: t.prescriber_printed,
  rx_number: t.rx_number,
});

describe('the worker with a second reader, on a real nats-server with real tesseract.js', () => {
  let nats: TestNats;
  let dir: TempDir;
  let bus: Bus;
  let worker: WorkerService;
  let reader: ScriptedReader;
  let reply: () => ScriptedReply = () => ({ hang: true });
  let opsPort: number;
  const imageDir = () => path.join(dir.path, 'images');

  beforeAll(async () => {
    nats = await startTestNats();
    dir = await tempDir();
    bus = await testBus(nats.url);
    reader = await startScriptedReader(() => reply());
    opsPort = await freePort();
    worker = await startWorker({
      imageDir: imageDir(),
      cacheDir: path.join(dir.path, 'cache'),
      concurrency: 1,
      workerName: 'reader-test-worker',
      consumer: { ackWaitMs: 30_000, maxDeliver: 3, maxAckPending: 4 },
      bus: { servers: [nats.url], name: 'reader-worker-test', replicas: 1 },
      log: pino({ level: 'silent' }),
      opsPort,
      secondReader: secondReaderConfig({ AI_READER_URL: reader.url, AI_READER_MODEL: 'scripted-vl', AI_READER_MODE: 'vision', AI_READER_TIMEOUT_MS: '1500' }),
    });
  });
  afterAll(async () => {
    await worker?.stop(5000);
    await reader?.close();
    await bus?.close();
    await nats?.dispose();
    await dir?.remove();
  });

  /** Sends one label through the worker and waits for its reading. */
  async function read(jobId: string, fixture: string): Promise<{ done: OcrCompleted; truth: Truth }> {
    const label = labelFixture(fixture);
    const truth = JSON.parse(await readFile(label.truth, 'utf8')).truth as Truth;
    const key = `${jobId}.jpg`;
    await copyFile(label.image, path.join(imageDir(), key));
    const bytes = await readFile(label.image);
    await publishEvent(bus.js, {
      type: 'ocr.requested',
      data: {
        job_id: jobId,
        image: { key, sha256: createHash('sha256').update(bytes).digest('hex'), content_type: 'image/jpeg', bytes: bytes.length, width: 100, height: 100 },
        submitted_at: new Date().toISOString(),
        attempt: 1,
        reason: 'new',
      },
    });
    const done = await eventually(async () => {
      const info = await bus.jsm.streams.info(STREAMS.OCR);
      for (let seq = info.state.last_seq; seq >= info.state.first_seq; seq--) {
        const m = await bus.jsm.streams.getMessage(STREAMS.OCR, { seq }).catch(() => null);
        if (!m || m.subject !== 'ocr.completed') continue;
        const e = decodeEvent(m.subject, m.data);
        if (e.type === 'ocr.completed' && e.data.job_id === jobId) return e.data;
      }
      return undefined;
    }, 120_000, 250);
    return { done, truth };
  }

  it('given a reader that agrees, then the fields both read are certain, and surer than one look can be', async () => {
    const label = JSON.parse(await readFile(labelFixture('dev-000-clean').truth, 'utf8')).truth as Truth;
    reply = () => ({ answer: answerOf(label) });
    const { done } = await read('reader-job-agree-1', 'dev-000-clean');
    expect(done.second_reader).toBe('agreed');
    expect(done.alternatives).toBeUndefined();
    expect(done.needs_review).toBe(false);
    for (const f of CRITICAL_FIELDS) expect(isCertain(done.confidence[f]), f).toBe(true);
    // OCR alone leaves the refills and the Rx number at one look; the reader's agreement is a second.
    expect(done.confidence.rx_number).toBeGreaterThan(ONE_LOOK_CAP);
    expect(done.timings_ms.second_reader).toBeGreaterThanOrEqual(0);
  });

  it('given a reader that reads one digit differently, then the reading needs review and shows the reader’s value', async () => {
    const { truth } = { truth: JSON.parse(await readFile(labelFixture('dev-001-clean').truth, 'utf8')).truth as Truth };
    reply = () => ({ answer: { ...answerOf(truth), dosage: '60 mcg' } }); // the label says 50 mcg
    const { done } = await read('reader-job-differ-1', 'dev-001-clean');
    expect(done.second_reader).toBe('disagreed');
    expect(done.medication.dosage).toBe('50 mcg');
    expect(done.needs_review).toBe(true);
    expect(isCertain(done.confidence.dosage)).toBe(false);
    expect(done.alternatives?.dosage).toEqual([{ value: '60 mcg', source: 'second reader (scripted-vl)' }]);
  });

  it('given a reader that does not answer in time, then the job completes from OCR alone and says the reader was unavailable', async () => {
    reply = () => ({ hang: true });
    const { done, truth } = await read('reader-job-slow-1', 'dev-001-clean');
    expect(done.second_reader).toBe('unavailable');
    expect(done.medication.name).toMatch(/fluticasone/i);
    expect(done.medication.quantity).toBe(truth.quantity);
    expect(done.alternatives).toBeUndefined();
  });

  it('given a reader that fails with a 500, then the job completes the same way', async () => {
    reply = () => ({ status: 500, body: '{"error":{"message":"out of memory"}}' });
    const { done } = await read('reader-job-down-1', 'dev-000-clean');
    expect(done.second_reader).toBe('unavailable');
    expect(done.medication.name).toMatch(/buspirone/i);
    expect(worker.stats.completed).toBe(4);
  });

  it('counts and times every call by outcome on /metrics', async () => {
    const text = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
    const samples = parseMetrics(text);
    expect(metricValue(samples, 'rxscan_second_reader_calls_total', { outcome: 'agreed' })).toBe(1);
    expect(metricValue(samples, 'rxscan_second_reader_calls_total', { outcome: 'disagreed' })).toBe(1);
    expect(metricValue(samples, 'rxscan_second_reader_calls_total', { outcome: 'unavailable' })).toBe(2);
    expect(metricValue(samples, 'rxscan_second_reader_duration_seconds_count', { outcome: 'unavailable' })).toBe(2);
  });
});
