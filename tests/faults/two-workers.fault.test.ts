import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatusView, OcrStarted } from '@rxscan/contracts';
import { eventually, labelFixture } from '@rxscan/test-utils';
import { FaultSystem, getJson, upload } from './faults.harness.js';

describe('two worker processes sharing the ocr-worker consumer', () => {
  let sys: FaultSystem;
  beforeAll(async () => {
    sys = await FaultSystem.create();
    await sys.start('med-store');
    await sys.start('ingest');
    await sys.start('ocr-worker', 'worker-a', { WORKER_NAME: 'worker-a' });
    await sys.start('ocr-worker', 'worker-b', { WORKER_NAME: 'worker-b' });
  });
  afterAll(async () => {
    await sys?.dispose();
  });

  it('split the jobs between them, and no job is read by both', async () => {
    const nc = await sys.connect();
    const starts: OcrStarted[] = [];
    nc.subscribe('ocr.started', { callback: (_e, m) => void starts.push(m.json<OcrStarted>()) });
    const image = await readFile(labelFixture('dev-001-clean').image);
    const jobs: string[] = [];
    for (let i = 0; i < 8; i++) jobs.push((await upload(sys.ingestUrl, image)).body.job_id as string);
    for (const jobId of jobs) {
      await eventually(async () => ((await getJson<JobStatusView>(`${sys.medStoreUrl}/meds/extract/${jobId}/status`)).body.status === 'completed' ? true : undefined), 120_000, 250);
    }
    await nc.close();
    for (const jobId of jobs) expect(starts.filter((s) => s.job_id === jobId)).toHaveLength(1);
    expect(new Set(starts.map((s) => s.worker))).toEqual(new Set(['worker-a', 'worker-b']));
  });
});
