import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, emptyMedication, type BusEvent } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { eventually, metricValue, parseMetrics, testDatabases, type TempDir } from '@rxscan/test-utils';
import { type MedStoreService } from './med-store.service.js';
import { startMedStoreWorld, type MedStoreWorld } from './med-store.fixture.js';
import { LocalImageStorage } from '@rxscan/service-kit';
import { DeviceSchema, MedSchema, OcrJobSchema, PairingCodeSchema } from './table.schema.js';
import { purgeExpiredImages } from './image-retention.sweeper.js';
import { DeviceRegistry, sha256 } from './device.repository.js';
import { DisplayImages } from './display-image.storage.js';

const ADMIN = 'rxa_test-admin-secret-of-enough-length';
const asAdmin = { Authorization: `Bearer ${ADMIN}` };
const at = (s: number) => new Date(Date.UTC(2026, 10, 28, 10, 0, s)).toISOString();
const requested = (jobId: string, attempt = 1): BusEvent => ({
  type: 'ocr.requested',
  data: {
    job_id: jobId,
    image: { key: `${jobId}.jpg`, sha256: 'b'.repeat(64), content_type: 'image/jpeg', bytes: 10, width: 10, height: 10 },
    submitted_at: at(0),
    attempt,
    reason: attempt === 1 ? 'new' : 'replay',
  },
});
const completed = (jobId: string, name: string, attempt = 1): BusEvent => ({
  type: 'ocr.completed',
  data: {
    job_id: jobId,
    attempt,
    completed_at: at(5),
    ocr_text: `${name} 10 MG`,
    medication: { ...emptyMedication(), name, dosage: '10 mg', schedule: 'Once daily', quantity: 30 },
    confidence: { name: 0.95, dosage: 0.9 },
    needs_review: false,
    timings_ms: { total: 800 },
  },
});

/** SQLite and PostgreSQL, each a database of the suite's own (PostgreSQL: TEST_DATABASE_URL, or a throwaway server). */
const DATABASES = testDatabases('rxscan_test');

describe.each(DATABASES)('med-store on a real nats-server and $kind', (db) => {
  let world: MedStoreWorld;
  let dir: TempDir;
  let svc: MedStoreService;
  let bus: Bus;
  const api = () => request(svc.url);

  beforeAll(async () => {
    world = await startMedStoreWorld({ db, images: true, options: { adminToken: ADMIN } });
    ({ dir, bus, svc } = world);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('never answers 404 for a job right after it was published (read-your-writes)', async () => {
    for (let i = 0; i < 20; i++) {
      const jobId = `ryw-job-${String(i).padStart(4, '0')}`;
      await publishEvent(bus.js, requested(jobId));
      const res = await api().get(`/meds/extract/${jobId}/status`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ job_id: jobId, status: 'pending', attempt: 1 });
    }
  });

  it('follows a job from pending through processing to completed, and drafts the medication', async () => {
    const jobId = 'flow-job-0001';
    await publishEvent(bus.js, requested(jobId));
    await publishEvent(bus.js, { type: 'ocr.started', data: { job_id: jobId, attempt: 1, worker: 'w1', started_at: at(1) } });
    const processing = await eventually(async () => {
      const r = await api().get(`/meds/extract/${jobId}/status`);
      return r.body.status === 'processing' ? r : undefined;
    });
    expect(processing.body.started_at).toBe(at(1));
    expect((await api().get(`/meds/extract/${jobId}/result`)).status).toBe(202);

    await publishEvent(bus.js, completed(jobId, 'Lisinopril'));
    const done = await eventually(async () => {
      const r = await api().get(`/meds/extract/${jobId}/status`);
      return r.body.status === 'completed' ? r : undefined;
    });
    expect(done.body.result).toMatchObject({ medication_id: jobId, needs_review: false, medication: { name: 'Lisinopril', dosage: '10 mg' } });
    const result = await api().get(`/meds/extract/${jobId}/result`);
    expect(result.status).toBe(200);
    expect(result.body.medication.quantity).toBe(30);

    const meds = await api().get('/meds/medications');
    expect(meds.body).toContainEqual(expect.objectContaining({ id: jobId, name: 'Lisinopril', status: 'needs_review', source_job_id: jobId }));
  });

  it('applies a repeated ocr.completed (a redelivery after a lost ack) once', async () => {
    const jobId = 'dup-job-00001';
    await publishEvent(bus.js, requested(jobId));
    // Published as separate messages (different ids) so the stream keeps both, as after a worker crash.
    await bus.js.publish('ocr.completed', JSON.stringify(completed(jobId, 'Metformin').data));
    await bus.js.publish('ocr.completed', JSON.stringify({ ...completed(jobId, 'Metformin X').data }));
    const head = (await bus.jsm.streams.info('OCR')).state.last_seq;
    await svc.projector.waitFor('OCR', head, 10_000);
    const rows = await svc.orm.em.fork().find(MedSchema, { source_job_id: jobId });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe('Metformin');
  });

  it('reports a failed job with its error, as 422 on the result', async () => {
    const jobId = 'fail-job-0001';
    await publishEvent(bus.js, requested(jobId));
    await publishEvent(bus.js, {
      type: 'ocr.failed',
      data: { job_id: jobId, attempt: 1, failed_at: at(3), error: { code: 'image_missing', message: 'the photo is gone' }, retryable: false },
    });
    const res = await eventually(async () => {
      const r = await api().get(`/meds/extract/${jobId}/result`);
      return r.status === 422 ? r : undefined;
    });
    expect(res.body.error).toEqual({ code: 'image_missing', message: 'the photo is gone', retryable: false });
  });

  it('skips a malformed event without blocking the events after it', async () => {
    await bus.js.publish('ocr.completed', '{"job_id": 42}');
    await bus.js.publish('ocr.started', 'not json at all');
    const jobId = 'after-poison-01';
    await publishEvent(bus.js, requested(jobId));
    const res = await api().get(`/meds/extract/${jobId}/status`);
    expect(res.status).toBe(200);
    expect(svc.projector.poisoned.get('ocr.completed')).toBe(1);
  });

  it('confirms, edits and deletes a medication through the MEDS stream, answering once projected', async () => {
    const jobId = 'edit-job-0001';
    await publishEvent(bus.js, requested(jobId));
    await publishEvent(bus.js, completed(jobId, 'Atorvastatin'));
    await eventually(async () => ((await api().get(`/meds/extract/${jobId}/status`)).body.status === 'completed' ? true : undefined));

    const confirmed = await api().post(`/meds/medications/${jobId}/confirm`).send({ medication: { dosage: '20 mg' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ id: jobId, status: 'confirmed', name: 'Atorvastatin', dosage: '20 mg' });

    const patched = await api().patch(`/meds/medications/${jobId}`).send({ refills: 3 });
    expect(patched.body).toMatchObject({ refills: 3, dosage: '20 mg' });

    const bad = await api().patch(`/meds/medications/${jobId}`).send({ dose: '5 mg' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_medication');

    // A late reading of the same scan does not overwrite what a person confirmed.
    await publishEvent(bus.js, requested(jobId, 2));
    await publishEvent(bus.js, completed(jobId, 'Wrongname', 2));
    await eventually(async () => ((await api().get(`/meds/extract/${jobId}/status`)).body.attempt === 2 ? true : undefined));
    await eventually(async () => ((await api().get(`/meds/extract/${jobId}/status`)).body.status === 'completed' ? true : undefined));
    const list = await api().get('/meds/medications');
    expect(list.body.find((m: { id: string }) => m.id === jobId)).toMatchObject({ name: 'Atorvastatin', status: 'confirmed' });

    expect((await api().delete(`/meds/medications/${jobId}`)).status).toBe(204);
    const after = await api().get('/meds/medications');
    expect(after.body.map((m: { id: string }) => m.id)).not.toContain(jobId);
    expect((await api().delete(`/meds/medications/${jobId}`)).status).toBe(404);
  });

  it('retries a failed job as its next attempt, once even when asked twice at once', async () => {
    const jobId = 'retry-job-0001';
    await (await new LocalImageStorage(path.join(dir.path, 'images')).init()).put(`${jobId}.jpg`, Buffer.from('photo'));
    await publishEvent(bus.js, requested(jobId));
    await publishEvent(bus.js, {
      type: 'ocr.failed',
      data: { job_id: jobId, attempt: 1, failed_at: at(3), error: { code: 'ocr_error', message: 'x' }, retryable: true },
    });
    await eventually(async () => ((await api().get(`/meds/extract/${jobId}/status`)).body.status === 'failed' ? true : undefined));
    const before = (await bus.jsm.streams.info('OCR')).state.messages;
    const [a, b] = await Promise.all([api().post(`/meds/extract/${jobId}/retry`), api().post(`/meds/extract/${jobId}/retry`)]);
    // The second either raced the first (same attempt, dropped as a duplicate) or saw it in progress.
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(202);
    expect([202, 409]).toContain(statuses[1]);
    expect((a.status === 202 ? a : b).body).toMatchObject({ job_id: jobId, status: 'pending', attempt: 2 });
    expect((await bus.jsm.streams.info('OCR')).state.messages).toBe(before + 1);

    const again = await api().post(`/meds/extract/${jobId}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('job_in_progress');
  });

  it('shows a job\'s photo by job id: turned upright, without the metadata a phone writes, and nothing for a job without one', async () => {
    const jobId = 'image-job-0001';
    // A phone held upright writes a landscape image with orientation 6, plus where and when it was taken.
    const photo = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#f3efe6' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { ImageDescription: 'Kitchen at 12 Elm Street' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .toBuffer();
    await (await new LocalImageStorage(path.join(dir.path, 'images')).init()).put(`${jobId}.jpg`, photo);
    await publishEvent(bus.js, requested(jobId));
    const get = () =>
      api()
        .get(`/meds/extract/${jobId}/image`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toMatch(/^private/);
    const shown = await sharp(res.body as Buffer).metadata();
    expect([shown.width, shown.height]).toEqual([200, 400]);
    expect(shown.exif).toBeUndefined();
    expect((res.body as Buffer).includes(Buffer.from('Elm Street'))).toBe(false);
    // The original stays byte for byte: a replay reads exactly what was uploaded.
    expect(Buffer.compare(await new LocalImageStorage(path.join(dir.path, 'images')).read(`${jobId}.jpg`), photo)).toBe(0);
    expect(Buffer.compare((await get()).body as Buffer, res.body as Buffer)).toBe(0);

    expect((await api().get('/meds/extract/flow-job-0001/image')).status).toBe(404);
    expect((await api().get('/meds/extract/..%2F..%2Fetc%2Fpasswd/image')).status).toBe(404);
  });

  it('lists every photo of a two-photo scan in its status and shows each at /image/{index}, boxes with the reading', async () => {
    const jobId = 'photos-job-0001';
    const store = await new LocalImageStorage(path.join(dir.path, 'images')).init();
    // The front is landscape; the side was taken with the phone turned (orientation 6): upright it is 300 wide.
    const front = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
    const side = await sharp({ create: { width: 500, height: 300, channels: 3, background: '#000000' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    await store.put(`${jobId}.jpg`, front);
    await store.put(`${jobId}_1.jpg`, side);
    const ref = (key: string, width: number, height: number, orientation?: number) => ({ key, sha256: 'b'.repeat(64), content_type: 'image/jpeg', bytes: 10, width, height, ...(orientation && { orientation }) });
    const images = [ref(`${jobId}.jpg`, 400, 200), ref(`${jobId}_1.jpg`, 500, 300, 6)];
    await publishEvent(bus.js, { type: 'ocr.requested', data: { job_id: jobId, image: images[0]!, images, submitted_at: at(0), attempt: 1, reason: 'new' } });
    const done = completed(jobId, 'Lisinopril');
    if (done.type !== 'ocr.completed') throw new Error('unreachable');
    done.data.boxes = { name: { image: 1, x: 0.1, y: 0.2, w: 0.5, h: 0.05 } };
    await publishEvent(bus.js, done);

    const status = await eventually(async () => {
      const res = await api().get(`/meds/extract/${jobId}/status`);
      return res.body.status === 'completed' ? res.body : undefined;
    });
    expect(status.images).toEqual([
      { index: 0, url: `/meds/extract/${jobId}/image/0`, width: 400, height: 200 },
      { index: 1, url: `/meds/extract/${jobId}/image/1`, width: 300, height: 500 },
    ]);
    expect(status.result.boxes).toEqual({ name: { image: 1, x: 0.1, y: 0.2, w: 0.5, h: 0.05 } });
    // The draft made from it keeps the boxes for the review.
    const draft = (await api().get('/meds/medications')).body.find((m: { id: string }) => m.id === jobId);
    expect(draft.boxes).toEqual({ name: { image: 1, x: 0.1, y: 0.2, w: 0.5, h: 0.05 } });

    const image = (url: string) =>
      api()
        .get(url)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
    const shown = await Promise.all(status.images.map((i: { url: string }) => image(i.url)));
    expect(shown.map((r) => r.status)).toEqual([200, 200]);
    const [a, b] = await Promise.all(shown.map((r) => sharp(r.body as Buffer).stats()));
    expect(a!.channels[0]!.mean).toBeGreaterThan(200); // the white front
    expect(b!.channels[0]!.mean).toBeLessThan(50); // the black side
    expect((await sharp(shown[1]!.body as Buffer).metadata()).width).toBe(300);
    // The route of one photo is the first photo.
    expect(Buffer.compare((await image(`/meds/extract/${jobId}/image`)).body as Buffer, shown[0]!.body as Buffer)).toBe(0);
    const none = await api().get(`/meds/extract/${jobId}/image/2`);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('image_not_found');
    expect((await api().get(`/meds/extract/${jobId}/image/9`)).status).toBe(404);
  });

  it('retries one of many on the bulk lane when asked (?lane=bulk), with every photo of the scan', async () => {
    const jobId = 'bulk-retry-0001';
    const store = await new LocalImageStorage(path.join(dir.path, 'images')).init();
    await store.put(`${jobId}.jpg`, Buffer.from('photo'));
    await store.put(`${jobId}_1.jpg`, Buffer.from('photo 2'));
    const first = requested(jobId);
    if (first.type !== 'ocr.requested') throw new Error('unreachable');
    const images = [first.data.image, { ...first.data.image, key: `${jobId}_1.jpg` }];
    await publishEvent(bus.js, { type: 'ocr.requested', data: { ...first.data, images } });
    await publishEvent(bus.js, { type: 'ocr.failed', data: { job_id: jobId, attempt: 1, failed_at: at(3), error: { code: 'ocr_error', message: 'x' }, retryable: true } });
    await eventually(async () => ((await api().get(`/meds/extract/${jobId}/status`)).body.status === 'failed' ? true : undefined));
    const res = await api().post(`/meds/extract/${jobId}/retry?lane=bulk`);
    expect(res.status).toBe(202);
    const last = await bus.jsm.streams.getMessage('OCR', { last_by_subj: 'ocr.requested.bulk' });
    const event = decodeEvent(last!.subject, last!.data);
    expect(event.type === 'ocr.requested' && [event.data.job_id, event.data.attempt, event.data.images?.map((i) => i.key)]).toEqual([jobId, 2, [`${jobId}.jpg`, `${jobId}_1.jpg`]]);
  });

  it('lists the one photo of a scan recorded before several photos', async () => {
    await publishEvent(bus.js, requested('single-job-0001'));
    const status = await eventually(async () => (await api().get('/meds/extract/single-job-0001/status')).body.images);
    expect(status).toEqual([{ index: 0, url: '/meds/extract/single-job-0001/image/0', width: 10, height: 10 }]);
  });

  it('lists jobs with no result long after they were requested as stuck', async () => {
    const old = requested('stuck-job-0001');
    if (old.type !== 'ocr.requested') throw new Error('unreachable');
    old.data.submitted_at = new Date(Date.now() - 60 * 60_000).toISOString();
    await publishEvent(bus.js, old);
    await publishEvent(bus.js, { type: 'ocr.requested', data: { ...old.data, job_id: 'fresh-job-0001', image: { ...old.data.image, key: 'fresh-job-0001.jpg' }, submitted_at: new Date().toISOString() } });
    await api().get('/meds/extract/fresh-job-0001/status').expect(200);
    const stuck = await api().get('/meds/jobs?status=stuck');
    const ids = stuck.body.map((j: { job_id: string }) => j.job_id);
    expect(ids).toContain('stuck-job-0001');
    expect(ids).not.toContain('fresh-job-0001');
    expect((await api().get('/meds/jobs?status=bogus')).status).toBe(400);
  });

  it('retention deletes photos of old completed jobs only, records it, and refuses their retry', async () => {
    const images = await new LocalImageStorage(path.join(dir.path, 'images')).init();
    const copies = await new LocalImageStorage(path.join(dir.path, 'display_images')).init();
    const display = new DisplayImages(images, copies.dir);
    const oldDone = 'ret-done-0001';
    const oldFailed = 'ret-fail-0001';
    for (const id of [oldDone, oldFailed]) {
      await images.put(`${id}.jpg`, Buffer.from('photo'));
      await copies.put(`${id}.jpg`, Buffer.from('shown'));
      await publishEvent(bus.js, requested(id));
    }
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const done = completed(oldDone, 'Old');
    if (done.type === 'ocr.completed') done.data.completed_at = longAgo;
    await publishEvent(bus.js, done);
    await publishEvent(bus.js, { type: 'ocr.failed', data: { job_id: oldFailed, attempt: 1, failed_at: longAgo, error: { code: 'ocr_error', message: 'x' }, retryable: true } });
    await eventually(async () => ((await api().get(`/meds/extract/${oldFailed}/status`)).body.status === 'failed' ? true : undefined));

    const purged = await purgeExpiredImages(
      { orm: svc.orm, store: images, display, log: pino({ level: 'silent' }), now: () => new Date(), publishPurged: async (data) => void (await publishEvent(bus.js, { type: 'ocr.purged', data })) },
      30,
    );
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await images.exists(`${oldDone}.jpg`)).toBe(false);
    expect(await copies.exists(`${oldDone}.jpg`)).toBe(false);
    expect(await images.exists(`${oldFailed}.jpg`)).toBe(true);
    expect(await copies.exists(`${oldFailed}.jpg`)).toBe(true);
    const job = await eventually(async () => {
      const row = await svc.orm.em.fork().findOne(OcrJobSchema, { job_id: oldDone });
      return row?.image_purged_at ? row : undefined;
    });
    expect(job.status).toBe('completed');
    const retry = await api().post(`/meds/extract/${oldDone}/retry`);
    expect(retry.status).toBe(410);
    expect(retry.body.error.code).toBe('image_gone');
    expect((await api().get(`/meds/extract/${oldDone}/image`)).status).toBe(404);
  });

  it('serves projection lag and finished jobs at /metrics', async () => {
    const res = await api().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/rxscan_projection_lag\{stream="OCR",service="med-store"\} 0/);
    expect(res.text).toMatch(/rxscan_jobs_finished_total\{status="completed",service="med-store"\} [1-9]/);
    expect(res.text).toMatch(/rxscan_invalid_events_total\{subject="ocr.completed",service="med-store"\} 1/);
    // Every finished job is timed once: a later purge of its photo neither counts nor times it again.
    const samples = parseMetrics(res.text);
    const completed = { status: 'completed' };
    expect(metricValue(samples, 'rxscan_job_duration_seconds_count', completed)).toBe(metricValue(samples, 'rxscan_jobs_finished_total', completed));
    expect(res.text).toMatch(/rxscan_consumer_pending\{stream="OCR",consumer="med-store",service="med-store"\} 0/);
  });

  it('answers 404 with a JSON error for a job that does not exist', async () => {
    const res = await api().get('/meds/extract/no-such-job-1/status');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('job_not_found');
  });

  describe('devices', () => {
    const pairDevice = async (name: string) => {
      const code = await api().post('/meds/devices/pairing-codes').set(asAdmin);
      expect(code.status).toBe(201);
      const paired = await api().post('/meds/auth/pair').send({ code: code.body.code, name });
      expect(paired.status).toBe(201);
      return paired;
    };

    it('pairs a tablet with a single-use code and gives it its own token, as an HttpOnly SameSite=Strict cookie too', async () => {
      const code = await api().post('/meds/devices/pairing-codes').set(asAdmin);
      expect(code.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(Date.parse(code.body.expires_at)).toBeGreaterThan(Date.now());
      // Typed the way people type: lower case, no dash.
      const paired = await api().post('/meds/auth/pair').send({ code: code.body.code.toLowerCase().replace('-', ' '), name: 'Kitchen tablet' });
      expect(paired.status).toBe(201);
      expect(paired.body.device).toMatchObject({ name: 'Kitchen tablet' });
      expect(paired.body.token).toMatch(/^rxd_[\w-]{40,}$/);
      const cookie = String(paired.headers['set-cookie']);
      expect(cookie).toContain(`rxscan_device=${paired.body.token}`);
      expect(cookie).toMatch(/httponly/i);
      expect(cookie).toMatch(/samesite=strict/i);

      const session = await api().get('/meds/auth/session').set('Authorization', `Bearer ${paired.body.token}`);
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({ kind: 'device', device: { id: paired.body.device.id, name: 'Kitchen tablet' } });
      const byCookie = await api().get('/meds/auth/session').set('Cookie', `rxscan_device=${paired.body.token}`);
      expect(byCookie.body.device.id).toBe(paired.body.device.id);

      const again = await api().post('/meds/auth/pair').send({ code: code.body.code, name: 'Second tablet' });
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe('invalid_pairing_code');
    });

    it('keeps only hashes: the database holds no token and no code', async () => {
      const paired = await pairDevice('Hall tablet');
      const rows = [...(await svc.orm.em.fork().find(DeviceSchema, {})), ...(await svc.orm.em.fork().find(PairingCodeSchema, {}))];
      const dump = JSON.stringify(rows);
      expect(dump).toContain(sha256(paired.body.token));
      expect(dump).toContain(paired.body.device.id);
      expect(dump).not.toContain(paired.body.token);
      expect(dump).not.toContain(paired.body.token.slice(4, 20));
    });

    it('lets one of two tablets racing with the same code pair', async () => {
      const code = await api().post('/meds/devices/pairing-codes').set(asAdmin);
      const results = await Promise.all(['A', 'B', 'C'].map((name) => api().post('/meds/auth/pair').send({ code: code.body.code, name })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
    });

    it('lists paired devices to the admin only, without their tokens, and revokes one for good', async () => {
      const paired = await pairDevice('Bedroom tablet');
      const device = { Authorization: `Bearer ${paired.body.token}` };
      expect((await api().get('/meds/devices').set(device)).status).toBe(403);
      expect((await api().post('/meds/devices/pairing-codes').set(device)).status).toBe(403);
      expect((await api().get('/meds/devices')).status).toBe(401);

      const list = await api().get('/meds/devices').set(asAdmin);
      expect(list.status).toBe(200);
      expect(list.body.map((d: { name: string }) => d.name)).toContain('Bedroom tablet');
      expect(JSON.stringify(list.body)).not.toContain('token');

      expect((await api().delete(`/meds/devices/${paired.body.device.id}`).set(asAdmin)).status).toBe(204);
      expect((await api().get('/meds/auth/session').set(device)).status).toBe(401);
      expect((await api().delete(`/meds/devices/${paired.body.device.id}`).set(asAdmin)).status).toBe(404);
      const after = await api().get('/meds/devices').set(asAdmin);
      expect(after.body.map((d: { id: string }) => d.id)).not.toContain(paired.body.device.id);
    });

    it('lets a tablet forget itself, and clears its cookie', async () => {
      const paired = await pairDevice('Old tablet');
      const res = await api().delete('/meds/auth/session').set('Cookie', `rxscan_device=${paired.body.token}`);
      expect(res.status).toBe(204);
      expect(String(res.headers['set-cookie'])).toMatch(/rxscan_device=;.*expires=Thu, 01 Jan 1970/i);
      expect((await api().get('/meds/auth/session').set('Authorization', `Bearer ${paired.body.token}`)).status).toBe(401);
    });

    it('refuses wrong codes, malformed bodies and unknown tokens alike, with no detail', async () => {
      const wrong = await api().post('/meds/auth/pair').send({ code: 'AAAA-AAAA', name: 'x' });
      expect(wrong.status).toBe(400);
      expect((await api().post('/meds/auth/pair').send({ code: 42 })).status).toBe(400);
      expect((await api().post('/meds/auth/pair').send({ code: 'AAAA-AAAA', admin: true })).status).toBe(400);
      for (const auth of ['Bearer rxd_nope', `Bearer ${ADMIN}x`, 'Basic YWRtaW46YWRtaW4=']) {
        const res = await api().get('/meds/auth/session').set('Authorization', auth);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      }
      expect((await api().get('/meds/auth/session').set(asAdmin)).body).toEqual({ kind: 'admin', device: null });
    });

    it('refuses a pairing code after it expires', async () => {
      const registry = new DeviceRegistry(svc.orm, { adminToken: ADMIN, pairingTtlMs: 50 });
      const { code } = await registry.createPairingCode();
      await new Promise((r) => setTimeout(r, 100));
      expect(await registry.pair(code, 'Late tablet')).toBeNull();
    });
  });
});
