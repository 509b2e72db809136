import pino from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyMedication } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { eventually, startTestNats, startTestPostgres, testBus, type TestNats, type TestPostgres } from '@rxscan/test-utils';
import { startMedStore, type MedStoreService } from './med-store.service.js';
import { MedSchema, OcrJobSchema } from './table.schema.js';

describe('two med-store replicas on one PostgreSQL database', () => {
  let nats: TestNats;
  let bus: Bus;
  let pg: TestPostgres;
  const schema = `rxscan_replicas_${process.pid}_${Date.now()}`;
  const replicas: MedStoreService[] = [];
  const start = () =>
    startMedStore({
      database: { url: pg.url, schema },
      bus: { servers: [nats.url], name: 'med-store', replicas: 1 },
      port: 0,
      host: '127.0.0.1',
      log: pino({ level: 'silent' }),
      leaseTtlMs: 1500,
    });

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await testBus(nats.url);
    pg = await startTestPostgres();
    replicas.push(await start(), await start());
  });
  afterAll(async () => {
    const survivor = replicas.find((r) => r.projector.active) ?? replicas[0];
    await survivor?.orm.em.getConnection().execute(`drop schema if exists "${schema}" cascade`).catch(() => {});
    for (const r of replicas) await r.stop().catch(() => {});
    await pg?.dispose();
    await bus?.close();
    await nats?.dispose();
  });

  it('project through one active replica at a time, and the other takes over without losing or repeating an event', async () => {
    expect(replicas.filter((r) => r.projector.active)).toHaveLength(1);
    const job = (i: number) => `replica-job-${String(i).padStart(3, '0')}`;
    const publishJob = async (i: number) => {
      await publishEvent(bus.js, {
        type: 'ocr.requested',
        data: { job_id: job(i), image: { key: `${job(i)}.jpg`, sha256: 'f'.repeat(64), content_type: 'image/jpeg', bytes: 1, width: 1, height: 1 }, submitted_at: new Date().toISOString(), attempt: 1, reason: 'new' },
      });
      await publishEvent(bus.js, { type: 'ocr.started', data: { job_id: job(i), attempt: 1, worker: 'w', started_at: new Date().toISOString() } });
      await publishEvent(bus.js, {
        type: 'ocr.completed',
        data: { job_id: job(i), attempt: 1, completed_at: new Date().toISOString(), ocr_text: 'x', medication: { ...emptyMedication(), name: `D${i}` }, confidence: {}, needs_review: true, timings_ms: {} },
      });
    };
    for (let i = 0; i < 20; i++) await publishJob(i);

    // The active replica goes away in the middle of the stream.
    const active = replicas.find((r) => r.projector.active)!;
    const standby = replicas.find((r) => r !== active)!;
    await active.stop();
    for (let i = 20; i < 40; i++) await publishJob(i);

    // Reads through the standby wait for the projection, wherever it happens.
    await eventually(async () => ((await request(standby.url).get(`/meds/extract/${job(39)}/status`)).body.status === 'completed' ? true : undefined), 30_000);
    expect(standby.projector.active).toBe(true);
    const em = standby.orm.em.fork();
    const jobs = await em.find(OcrJobSchema, {});
    expect(jobs).toHaveLength(40);
    // Every step of every job was applied, in order: none skipped by the hand-over.
    for (const j of jobs) expect(j).toMatchObject({ status: 'completed', started_at: expect.any(String) });
    expect(await em.count(MedSchema, {})).toBe(40);
  });
});
