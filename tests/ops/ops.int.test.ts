import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyMedication, type BusEvent } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { startMedStore, type MedStoreService } from '@rxscan/med-store';
import { eventually, REPO_ROOT, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';

const run = promisify(execFile);

describe('operator commands against a real nats-server and SQLite file', () => {
  let nats: TestNats;
  let dir: TempDir;
  let bus: Bus;
  let svc: MedStoreService;
  const dbFile = () => path.join(dir.path, 'meds.sqlite');
  const ops = (...args: string[]) =>
    run(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/ops.cli.js'), ...args], {
      env: { ...process.env, NATS_URL: nats.url, DATABASE_URL: dbFile(), DATA_DIR: dir.path },
    });
  const tables = async () => {
    const conn = svc.orm.em.getConnection();
    return {
      jobs: await conn.execute('select * from ocr_job order by job_id'),
      meds: await conn.execute('select * from med order by id'),
    };
  };

  beforeAll(async () => {
    nats = await startTestNats();
    dir = await tempDir();
    bus = await testBus(nats.url);
    svc = await startMedStore({
      database: { url: dbFile() },
      bus: { servers: [nats.url], name: 'med-store', replicas: 1 },
      port: 0,
      host: '127.0.0.1',
      log: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await svc?.stop();
    await bus?.close();
    await nats?.dispose();
    await dir?.remove();
  });

  const job = (i: number) => `ops-job-${String(i).padStart(4, '0')}`;
  // Submitted within the hour before the run, a second apart: `replay --failed --since 7d` takes
  // jobs by when they were submitted, so a fixed date passes only for a week after it.
  const runStart = Date.now();
  const requested = (i: number): BusEvent => ({
    type: 'ocr.requested',
    data: {
      job_id: job(i),
      image: { key: `${job(i)}.jpg`, sha256: 'e'.repeat(64), content_type: 'image/jpeg', bytes: 5, width: 5, height: 5 },
      submitted_at: new Date(runStart - 3_600_000 + i * 1000).toISOString(),
      attempt: 1,
      reason: 'new',
    },
  });

  it('rebuild recreates ocr_job and med from the streams, row for row', async () => {
    for (let i = 0; i < 12; i++) {
      await publishEvent(bus.js, requested(i));
      await publishEvent(bus.js, { type: 'ocr.started', data: { job_id: job(i), attempt: 1, worker: 'w', started_at: new Date().toISOString() } });
      if (i % 3 === 0) {
        await publishEvent(bus.js, { type: 'ocr.failed', data: { job_id: job(i), attempt: 1, failed_at: new Date().toISOString(), error: { code: 'ocr_error', message: 'x' }, retryable: true } });
      } else {
        await publishEvent(bus.js, {
          type: 'ocr.completed',
          data: {
            job_id: job(i), attempt: 1, completed_at: new Date().toISOString(), ocr_text: `drug ${i}`,
            medication: { ...emptyMedication(), name: `Drug${i}`, dosage: `${i} mg`, quantity: i },
            confidence: { name: 0.5 }, needs_review: true, timings_ms: { total: i },
          },
        });
      }
    }
    await bus.js.publish('ocr.completed', 'garbage that the projection leaves out');
    await eventually(async () => ((await request(svc.url).get(`/meds/extract/${job(11)}/status`)).body.status === 'completed' ? true : undefined));
    await request(svc.url).post(`/meds/medications/${job(1)}/confirm`).send({ medication: { dosage: '1.5 mg' } }).expect(200);
    await request(svc.url).patch(`/meds/medications/${job(1)}`).send({ refills: 2 }).expect(200);
    await request(svc.url).delete(`/meds/medications/${job(2)}`).expect(204);
    await request(svc.url).post('/meds/medications').send({ name: 'Typed In', dosage: '5 mg' }).expect(201);

    const before = await tables();
    expect(before.jobs).toHaveLength(12);
    // Lose the tables' contents, as after a broken disk or a bad manual edit.
    const conn = svc.orm.em.getConnection();
    await conn.execute('delete from med');
    await conn.execute(`update ocr_job set status = 'pending', result_data = null`);
    expect(await tables()).not.toEqual(before);
    const { stdout } = await ops('rebuild');
    expect(stdout).toMatch(/rebuilt from \d+ events .*1 invalid/);
    const after = await tables();
    expect(after).toEqual(before);
  });

  it('replay --failed publishes the next attempt of every failed job, and a second replay adds none', async () => {
    const { stdout } = await ops('replay', '--failed', '--since', '7d');
    expect(stdout).toMatch(/4 replayed/);
    for (const i of [0, 3, 6, 9]) {
      const s = await eventually(async () => {
        const r = await request(svc.url).get(`/meds/extract/${job(i)}/status`);
        return r.body.attempt === 2 ? r.body : undefined;
      });
      expect(s.status).toBe('pending');
    }
    const { stdout: again } = await ops('replay', '--job', job(0));
    expect(again).toMatch(/skipped .*still pending/);
  });

  it('status shows the streams, consumers and jobs by status', async () => {
    const { stdout } = await ops('status');
    expect(stdout).toMatch(/^OCR\s+\d+/m);
    expect(stdout).toMatch(/^MEDS\s+\d+/m);
    expect(stdout).toMatch(/med-store\s+OCR/);
    expect(stdout).toMatch(/jobs: pending 4, processing 0, completed 8, failed 0/);
  });
});
