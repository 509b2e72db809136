import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import sharp from 'sharp';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKETS, STREAMS } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { LocalImageStorage } from '@rxscan/service-kit';
import { labelFixture, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';
import { createIngestApp } from './ingest.app.js';
import { jetStreamPhotoIndex, type PhotoIndex } from './photo-index.storage.js';

describe('the same photo uploaded twice, against a real nats-server', () => {
  let nats: TestNats;
  let bus: Bus;
  let dir: TempDir;
  let store: LocalImageStorage;
  const label = labelFixture('dev-000-clean');
  const appWith = (photos: PhotoIndex) =>
    createIngestApp({
      store,
      photos,
      log: pino({ level: 'silent' }),
      limits: { maxUploadBytes: 1024 * 1024, maxPixels: 50e6 },
      busReady: () => true,
      publishRequested: async (event) => (await publishEvent(bus.js, { type: 'ocr.requested', data: event })).seq,
    });
  let upload: (data: Buffer | string) => request.Test;

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await testBus(nats.url);
    dir = await tempDir();
    store = await new LocalImageStorage(path.join(dir.path, 'prescription_images')).init();
    const app = appWith(jetStreamPhotoIndex(() => bus.js, 1));
    upload = (data) => request(app.callback()).post('/meds/extract').attach('image', data, 'label.jpg');
  });
  afterAll(async () => {
    await bus?.close();
    await nats?.dispose();
    await dir?.remove();
  });

  const requests = async () => (await bus.jsm.streams.info(STREAMS.OCR)).state.messages;

  it('answers the second upload with the first one’s job: 200, nothing stored or queued again', async () => {
    const first = await upload(label.image);
    expect(first.status).toBe(202);
    const queued = await requests();
    const again = await upload(label.image);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ job_id: first.body.job_id, status: 'duplicate', seq: first.body.seq, duplicate: { submitted_at: expect.any(String) } });
    expect(again.headers.location).toBe(`/meds/extract/${first.body.job_id}/status`);
    expect(await requests()).toBe(queued);
    // Operators see the index with `nats kv get photo-jobs <sha256>`.
    const sha = createHash('sha256').update(await readFile(label.image)).digest('hex');
    const entry = await (await new Kvm(bus.js).open(BUCKETS.photoJobs)).get(sha);
    expect(JSON.parse(entry!.string())).toMatchObject({ job_id: first.body.job_id });
  });

  it('takes a photo that differs by one pixel as a new one', async () => {
    const photo = await sharp(label.image).modulate({ brightness: 1.01 }).jpeg().toBuffer();
    const res = await upload(photo);
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('pending');
  });

  it('makes a new job once the first one’s photo is gone (retention), and answers with that one next time', async () => {
    const photo = await sharp(label.image).rotate(90).jpeg().toBuffer();
    const first = await upload(photo);
    await rm(path.join(store.dir, `${first.body.job_id}.jpg`));
    const second = await upload(photo);
    expect(second.status).toBe(202);
    expect(second.body.job_id).not.toBe(first.body.job_id);
    expect((await upload(photo)).body.job_id).toBe(second.body.job_id);
  });

  it('knows a scan of several photos by the set of them: the same photos in any order are the same scan, another set is a new one', async () => {
    const front = await sharp(label.image).modulate({ brightness: 1.02 }).jpeg().toBuffer();
    const side = await sharp(label.image).modulate({ brightness: 0.98 }).jpeg().toBuffer();
    const other = await sharp(label.image).modulate({ brightness: 0.97 }).jpeg().toBuffer();
    const scan = (...photos: Buffer[]) => photos.reduce((r, p, i) => r.attach('image', p, `${i}.jpg`), request(appWith(jetStreamPhotoIndex(() => bus.js, 1)).callback()).post('/meds/extract'));
    const first = await scan(front, side);
    expect(first.status).toBe(202);
    const again = await scan(side, front);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ job_id: first.body.job_id, status: 'duplicate' });
    // One of its photos alone, or with another, is a different scan.
    expect((await scan(front)).body.job_id).not.toBe(first.body.job_id);
    expect((await scan(front, other)).status).toBe(202);
  });

  it('never loses an upload to the index: one that cannot be read makes the upload a new job', async () => {
    const broken: PhotoIndex = {
      find: async () => {
        throw new Error('bucket unavailable');
      },
      remember: async () => {
        throw new Error('bucket unavailable');
      },
    };
    const res = await request(appWith(broken).callback()).post('/meds/extract').attach('image', label.image, 'label.jpg');
    expect(res.status).toBe(202);
    expect(await store.exists(`${res.body.job_id}.jpg`)).toBe(true);
  });
});
