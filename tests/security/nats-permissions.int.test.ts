import path from 'node:path';
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { emptyMedication, STREAMS } from '@rxscan/contracts';
import { connectBus, publishEvent, type Bus, type BusRole } from '@rxscan/bus';
import { loadOrCreateCredentials, writeNatsConfig, type NatsCredentials } from '@rxscan/ops';
import { startNatsServer, tempDir, type TempDir } from '@rxscan/test-utils';
import { jetStreamPhotoIndex } from '@rxscan/ingest';

describe('the bus accounts npm start creates', () => {
  let dir: TempDir;
  let server: Awaited<ReturnType<typeof startNatsServer>>;
  let creds: NatsCredentials;
  const buses: Bus[] = [];
  const as = async (role: BusRole, manageStreams = false) => {
    const bus = await connectBus({ servers: [server.url], name: role, user: creds[role].user, pass: creds[role].password, replicas: 1, manageStreams });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    dir = await tempDir();
    creds = await loadOrCreateCredentials(dir.path);
    const conf = await writeNatsConfig(dir.path, creds);
    server = await startNatsServer({ storeDir: path.join(dir.path, 'nats'), args: ['-c', conf] });
    await as('med-store', true);
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    await server?.stop();
    await dir?.remove();
  });

  const requested = {
    job_id: 'perm-job-00001',
    image: { key: 'perm-job-00001.jpg', sha256: 'a'.repeat(64), content_type: 'image/jpeg', bytes: 1, width: 1, height: 1 },
    submitted_at: new Date().toISOString(),
    attempt: 1,
    reason: 'new' as const,
  };
  const count = async (bus: Bus) => (await bus.jsm.streams.info(STREAMS.OCR)).state.messages;

  it('keeps the passwords in a file only its owner can read, the same on the next start', async () => {
    expect((await stat(path.join(dir.path, 'nats-auth.json'))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateCredentials(dir.path)).toEqual(creds);
  });

  it('refuses a client without credentials, or with another role’s name and a wrong password', async () => {
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toThrow(/authorization/i);
    await expect(connect({ servers: server.url, user: 'ingest', pass: creds['ocr-worker'].password, reconnect: false })).rejects.toThrow(/authorization/i);
  });

  it('lets ingest request OCR and nothing else: its credentials cannot publish ocr.completed', async () => {
    const ingest = await as('ingest');
    const before = await count(ingest);
    await publishEvent(ingest.js, { type: 'ocr.requested', data: requested });
    expect(await count(ingest)).toBe(before + 1);
    await expect(
      publishEvent(ingest.js, {
        type: 'ocr.completed',
        data: { job_id: requested.job_id, attempt: 1, completed_at: new Date().toISOString(), ocr_text: '', medication: emptyMedication(), confidence: {}, needs_review: false, timings_ms: {} },
      }, { timeout: 2000 }),
    ).rejects.toThrow();
    await expect(ingest.jsm.streams.update(STREAMS.OCR, { max_age: 1 })).rejects.toThrow();
    expect(await count(ingest)).toBe(before + 1);
  });

  it('lets the worker report on jobs but not change the medication list', async () => {
    const worker = await as('ocr-worker');
    await publishEvent(worker.js, { type: 'ocr.started', data: { job_id: requested.job_id, attempt: 1, worker: 'w', started_at: new Date().toISOString() } });
    await expect(
      publishEvent(worker.js, { type: 'med.deleted', data: { med_id: 'someone-elses-med', deleted_at: new Date().toISOString() } }, { timeout: 2000 }),
    ).rejects.toThrow();
    expect((await worker.jsm.streams.info(STREAMS.MEDS)).state.messages).toBe(0);
  });

  it('lets ingest keep its index of photos in the photo-jobs bucket, and the worker not write to it', async () => {
    const ingest = await as('ingest');
    const index = jetStreamPhotoIndex(() => ingest.js, 1);
    const upload = { job_id: requested.job_id, image_key: requested.image.key, seq: 1, submitted_at: requested.submitted_at };
    await index.remember('f'.repeat(64), upload);
    expect(await index.find('f'.repeat(64))).toEqual(upload);
    const worker = await as('ocr-worker');
    await expect(jetStreamPhotoIndex(() => worker.js, 1).remember('0'.repeat(64), upload)).rejects.toThrow();
  });
});
