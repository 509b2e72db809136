import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import type { JobStatusView, MedicationView } from '@rxscan/contracts';
import { eventually, labelFixture } from '@rxscan/test-utils';
import { FaultSystem, getJson, slowUpload, upload } from './faults.harness.js';

describe('SIGTERM and restarts with work in flight', () => {
  let sys: FaultSystem;
  let image: Buffer;
  beforeAll(async () => {
    image = await readFile(labelFixture('dev-000-clean').image);
    sys = await FaultSystem.running();
  });
  afterAll(async () => {
    await sys?.dispose();
  });

  const statusOf = async (jobId: string) => (await getJson<JobStatusView>(`${sys.medStoreUrl}/meds/extract/${jobId}/status`)).body;
  const waitDone = (jobId: string) => sys.jobEnded(jobId, 120_000);

  it('ingest finishes an upload already under way, then exits cleanly', async () => {
    let exit: Promise<number | null> = Promise.resolve(null);
    const res = await slowUpload(sys.ingestUrl, image, async () => {
      // The first half has reached ingest: the upload is in flight when the signal comes.
      await new Promise((r) => setTimeout(r, 300));
      exit = sys.kill('ingest', 'SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
    });
    expect(res.status).toBe(202);
    expect(await exit).toBe(0);
    const jobId = JSON.parse(res.body).job_id as string;
    expect((await waitDone(jobId)).status).toBe('completed');
    await sys.start('ingest');
  });

  it('the worker finishes the job it is reading, acks it, then exits cleanly', async () => {
    const nc = await sys.connect();
    const started = new Promise<string>((resolve) => {
      nc.subscribe('ocr.started', { max: 1, callback: (_e, m) => resolve(m.json<{ job_id: string }>().job_id) });
    });
    const res = await upload(sys.ingestUrl, image);
    const jobId = await started;
    expect(jobId).toBe(res.body.job_id);
    expect(await sys.kill('worker', 'SIGTERM')).toBe(0);
    const done = await statusOf(jobId).then((s) => (s.status === 'completed' ? s : waitDone(jobId)));
    expect(done.status).toBe('completed');
    const info = await (await jetstreamManager(nc)).consumers.info('OCR', 'ocr-worker');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_redelivered).toBe(0);
    await nc.close();
    await sys.start('ocr-worker', 'worker');
  });

  it('med-store stopped during a burst catches up from its durable consumer when it returns', async () => {
    const jobs: string[] = [];
    for (let i = 0; i < 6; i++) {
      if (i === 2) expect(await sys.kill('med-store', 'SIGTERM')).toBe(0);
      const res = await upload(sys.ingestUrl, image);
      expect(res.status).toBe(202);
      jobs.push(res.body.job_id as string);
    }
    // Let the worker finish everything while med-store is away.
    const nc = await sys.connect();
    const jsm = await jetstreamManager(nc);
    await eventually(async () => {
      const info = await jsm.consumers.info('OCR', 'ocr-worker');
      return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
    }, 120_000, 250);
    await nc.close();
    await sys.start('med-store');
    for (const jobId of jobs) expect((await waitDone(jobId)).status).toBe('completed');
    const meds = (await getJson<MedicationView[]>(`${sys.medStoreUrl}/meds/medications`)).body;
    for (const jobId of jobs) expect(meds.filter((m) => m.source_job_id === jobId)).toHaveLength(1);
  });
});
