import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import type { MedicationView } from '@rxscan/contracts';
import { labelFixture } from '@rxscan/test-utils';
import { FaultSystem, getJson, upload } from './faults.harness.js';

describe('a three-node JetStream cluster losing a node in the middle of a burst', () => {
  let sys: FaultSystem;
  beforeAll(async () => {
    sys = await FaultSystem.create({}, 3);
    await sys.start('med-store');
    await sys.start('ingest');
    await sys.start('ocr-worker', 'worker-1');
    await sys.start('ocr-worker', 'worker-2');
  }, 180_000);
  afterAll(async () => {
    await sys?.dispose();
  });

  it('keeps streams with three replicas and completes every accepted job once', async () => {
    const nc = await sys.connect();
    const info = await (await jetstreamManager(nc)).streams.info('OCR');
    expect(info.config.num_replicas).toBe(3);
    expect((info.cluster?.replicas ?? []).length).toBe(2);
    await nc.close();

    const image = await readFile(labelFixture('dev-000-clean').image);
    const accepted: string[] = [];
    let refused = 0;
    const deadline = Date.now() + 90_000;
    // Uploads go on while a node dies: refusals (503) are allowed during the fail-over, nothing else.
    while (accepted.length < 16 && Date.now() < deadline) {
      if (accepted.length === 6 && refused === 0) await sys.stopNats('SIGKILL', 0);
      const res = await upload(sys.ingestUrl, image);
      expect([202, 503]).toContain(res.status);
      if (res.status === 202) accepted.push(res.body.job_id as string);
      else {
        refused++;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    expect(accepted).toHaveLength(16);
    for (const jobId of accepted) {
      // The whole view, so a failure names the job's error.
      expect(await sys.jobEnded(jobId)).toMatchObject({ status: 'completed' });
    }
    const meds = (await getJson<MedicationView[]>(`${sys.medStoreUrl}/meds/medications`)).body;
    for (const jobId of accepted) expect(meds.filter((m) => m.source_job_id === jobId)).toHaveLength(1);
    expect(meds).toHaveLength(accepted.length);
  });
});
