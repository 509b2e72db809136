import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, STREAMS } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { createRegistry, LocalImageStorage } from '@rxscan/service-kit';
import { labelFixture, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';
import { createIngestApp } from './ingest.app.js';

describe('POST /meds/extract against a real nats-server', () => {
  let nats: TestNats;
  let bus: Bus;
  let dir: TempDir;
  let store: LocalImageStorage;
  let busUp = true;
  let app: ReturnType<typeof createIngestApp>;
  const label = labelFixture('dev-000-clean');

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await testBus(nats.url);
    dir = await tempDir();
    store = await new LocalImageStorage(path.join(dir.path, 'prescription_images')).init();
    app = createIngestApp({
      store,
      log: pino({ level: 'silent' }),
      limits: { maxUploadBytes: 1024 * 1024, maxPixels: 50e6 },
      busReady: () => busUp,
      registry: createRegistry('ingest'),
      publishRequested: async (event) => (await publishEvent(bus.js, { type: 'ocr.requested', data: event })).seq,
    });
  });
  afterAll(async () => {
    await bus?.close();
    await nats?.dispose();
    await dir?.remove();
  });

  const storedFiles = () => readdir(store.dir);
  const streamCount = async () => (await bus.jsm.streams.info(STREAMS.OCR)).state.messages;

  it('stores the photo whole, publishes ocr.requested, and answers 202 with the job', async () => {
    const bytes = await readFile(label.image);
    const res = await request(app.callback()).post('/meds/extract').attach('image', label.image);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'pending', poll_url: `/meds/extract/${res.body.job_id}/status` });
    expect(res.body.seq).toBeGreaterThan(0);

    const stored = await readFile(path.join(store.dir, `${res.body.job_id}.jpg`));
    expect(stored.equals(bytes)).toBe(true);
    expect((await storedFiles()).filter((f) => f.startsWith('.tmp'))).toEqual([]);

    const msg = await bus.jsm.streams.getMessage(STREAMS.OCR, { seq: res.body.seq });
    const event = decodeEvent(msg!.subject, msg!.data);
    expect(event.type).toBe('ocr.requested');
    if (event.type !== 'ocr.requested') return;
    expect(event.data).toMatchObject({ job_id: res.body.job_id, attempt: 1, reason: 'new' });
    expect(event.data.image).toMatchObject({
      key: `${res.body.job_id}.jpg`,
      content_type: 'image/jpeg',
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(event.data.image.width).toBeGreaterThan(100);
  });

  it('takes two photos of one bottle as one job: both stored whole, one ocr.requested listing both in order', async () => {
    const front = await readFile(label.image);
    const side = await readFile(labelFixture('dev-001-clean').image);
    const res = await request(app.callback()).post('/meds/extract').attach('image', front, 'front.jpg').attach('image', side, 'side.jpg');
    expect(res.status).toBe(202);
    const jobId = res.body.job_id as string;
    expect((await readFile(path.join(store.dir, `${jobId}.jpg`))).equals(front)).toBe(true);
    expect((await readFile(path.join(store.dir, `${jobId}_1.jpg`))).equals(side)).toBe(true);

    const msg = await bus.jsm.streams.getMessage(STREAMS.OCR, { seq: res.body.seq });
    const event = decodeEvent(msg!.subject, msg!.data);
    if (event.type !== 'ocr.requested') throw new Error(`expected ocr.requested, got ${event.type}`);
    expect(event.data.images?.map((i) => [i.key, i.sha256])).toEqual([
      [`${jobId}.jpg`, createHash('sha256').update(front).digest('hex')],
      [`${jobId}_1.jpg`, createHash('sha256').update(side).digest('hex')],
    ]);
    // Readers from before several photos still find the first in `image`.
    expect(event.data.image.key).toBe(`${jobId}.jpg`);
  });

  it('refuses a scan with one bad photo among good ones, naming which, and stores none of them', async () => {
    const before = { files: (await storedFiles()).length, events: await streamCount() };
    const res = await request(app.callback())
      .post('/meds/extract')
      .attach('image', label.image)
      .attach('image', Buffer.alloc(0), 'b.jpg')
      .attach('image', label.image);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'empty_file', message: expect.stringMatching(/^photo 2 of 3: /) });
    expect((await storedFiles()).length).toBe(before.files);
    expect(await streamCount()).toBe(before.events);
  });

  it.each([
    ['text pretending to be a jpeg', Buffer.from('hello, not a photo'), 'label.jpg', 400, 'not_an_image'],
    ['an empty file', Buffer.alloc(0), 'label.jpg', 400, 'empty_file'],
    ['an SVG image', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), 'a.png', 415, 'unsupported_image_type'],
  ])('refuses %s with a JSON error, storing and publishing nothing', async (_what, data, filename, status, code) => {
    const before = { files: (await storedFiles()).length, events: await streamCount() };
    const res = await request(app.callback()).post('/meds/extract').attach('image', data, { filename, contentType: 'image/jpeg' });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toEqual(expect.any(String));
    expect((await storedFiles()).length).toBe(before.files);
    expect(await streamCount()).toBe(before.events);
  });

  it('refuses a truncated JPEG', async () => {
    const bytes = await readFile(label.image);
    const res = await request(app.callback()).post('/meds/extract').attach('image', bytes.subarray(0, bytes.length / 2), 'cut.jpg');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('corrupt_image');
  });

  it('refuses a request with no image field, and an oversize upload with 413', async () => {
    const none = await request(app.callback()).post('/meds/extract').field('note', 'x');
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('missing_image');

    const big = Buffer.concat([await readFile(label.image), Buffer.alloc(2 * 1024 * 1024)]);
    const res = await request(app.callback()).post('/meds/extract').attach('image', big, 'big.jpg');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('file_too_large');
  });

  it('answers 503 and keeps no image when the bus is down', async () => {
    busUp = false;
    try {
      const before = (await storedFiles()).length;
      const res = await request(app.callback()).post('/meds/extract').attach('image', label.image);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('bus_unavailable');
      expect((await storedFiles()).length).toBe(before);
    } finally {
      busUp = true;
    }
  });

  it('counts uploads by outcome at /metrics', async () => {
    const res = await request(app.callback()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/rxscan_uploads_total\{outcome="accepted",service="ingest"\} [1-9]/);
    expect(res.text).toMatch(/rxscan_uploads_total\{outcome="not_an_image",service="ingest"\} 1/);
    expect(res.text).toMatch(/rxscan_uploads_total\{outcome="bus_unavailable",service="ingest"\} 1/);
  });
});
