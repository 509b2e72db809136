import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatusView, MedicationView } from '@rxscan/contracts';
import { eventually, labelFixture } from '@rxscan/test-utils';
import { FaultSystem, getJson, upload } from './faults.harness.js';

describe('a worker killed with SIGKILL in the middle of OCR', () => {
  let sys: FaultSystem;
  beforeAll(async () => {
    sys = await FaultSystem.create();
    await sys.start('med-store');
    await sys.start('ingest');
  });
  afterAll(async () => {
    await sys?.dispose();
  });

  it('loses no job and saves no medication twice, ten times over', async () => {
    const image = await readFile(labelFixture('dev-000-clean').image);
    const nc = await sys.connect();
    const startedJobs = new Map<string, () => void>();
    const seen = new Set<string>();
    const started = nc.subscribe('ocr.started', {
      callback: (_err, m) => {
        const id = m.json<{ job_id: string }>().job_id;
        seen.add(id);
        startedJobs.get(id)?.();
      },
    });
    const whenStarted = (id: string) => new Promise<void>((resolve) => (seen.has(id) ? resolve() : startedJobs.set(id, resolve)));
    const jobs: string[] = [];
    let killedMidJob = 0;
    try {
      for (let round = 0; round < 10; round++) {
        await sys.start('ocr-worker', 'worker');
        const res = await upload(sys.ingestUrl, image);
        expect(res.status).toBe(202);
        const jobId = res.body.job_id as string;
        jobs.push(jobId);
        // Kill the moment the worker announces the job: it is inside OCR now.
        await whenStarted(jobId);
        await sys.kill('worker', 'SIGKILL');
        const status = (await getJson<JobStatusView>(`${sys.medStoreUrl}/meds/extract/${jobId}/status`)).body;
        if (status.status !== 'completed') killedMidJob++;
      }
      // A fresh worker finds every interrupted job again once its ack timer runs out.
      await sys.start('ocr-worker', 'worker');
      for (const jobId of jobs) {
        const done = await sys.jobEnded(jobId, 120_000);
        expect(done.status).toBe('completed');
        expect(done.attempt).toBe(1);
      }
    } finally {
      started.unsubscribe();
      await nc.close();
    }
    expect(killedMidJob).toBeGreaterThanOrEqual(8);
    const meds = (await getJson<MedicationView[]>(`${sys.medStoreUrl}/meds/medications`)).body;
    for (const jobId of jobs) expect(meds.filter((m) => m.source_job_id === jobId)).toHaveLength(1);
    expect(meds).toHaveLength(10);
  });
});

describe('a job whose every delivery dies with its worker', () => {
  let sys: FaultSystem;
  beforeAll(async () => {
    sys = await FaultSystem.create({ OCR_MAX_DELIVER: '1', OCR_ACK_WAIT_MS: '1500' });
    await sys.start('med-store');
    await sys.start('ingest');
  });
  afterAll(async () => {
    await sys?.dispose();
  });

  it('ends as failed with a reason a person can act on, not processing for ever', async () => {
    const nc = await sys.connect();
    const started = new Promise<void>((resolve) => nc.subscribe('ocr.started', { max: 1, callback: () => resolve() }));
    await sys.start('ocr-worker', 'worker');
    const res = await upload(sys.ingestUrl, await readFile(labelFixture('dev-000-clean').image));
    await started;
    await sys.kill('worker', 'SIGKILL');
    await nc.close();
    // As a supervisor would: a new worker is there when the ack timer runs out.
    await sys.start('ocr-worker', 'worker');
    const failed = await eventually(async () => {
      const { body } = await getJson<JobStatusView>(`${sys.medStoreUrl}/meds/extract/${res.body.job_id}/status`);
      return body.status === 'failed' ? body : undefined;
    }, 30_000, 250);
    expect(failed.error).toMatchObject({ code: 'delivery_exhausted', retryable: true });
    expect(failed.error!.message).toMatch(/Retry/);
  });
});
