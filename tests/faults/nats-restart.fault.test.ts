import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedicationView } from '@rxscan/contracts';
import { labelFixture } from '@rxscan/test-utils';
import { FaultSystem, getJson, upload } from './faults.harness.js';

describe('nats-server killed and restarted in the middle of a burst of 50 uploads', () => {
  let sys: FaultSystem;
  beforeAll(async () => {
    sys = await FaultSystem.running();
  });
  afterAll(async () => {
    await sys?.dispose();
  });

  it('answers 503 while the bus is down, never 500, and completes every job it accepted', async () => {
    const image = await readFile(labelFixture('dev-001-clean').image);
    const accepted: string[] = [];
    const statuses: number[] = [];
    // One upload: accepted (202, its job kept) or refused as the bus being away (503), nothing else.
    const send = async () => {
      const res = await upload(sys.ingestUrl, image);
      statuses.push(res.status);
      if (res.status === 202) accepted.push(res.body.job_id as string);
      else expect(res.body).toMatchObject({ error: { code: 'bus_unavailable' } });
    };
    for (let i = 0; i < 50; i++) {
      if (i === 15) await sys.stopNats('SIGKILL');
      if (i === 30) await sys.startNats();
      await send();
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(statuses.every((s) => s === 202 || s === 503)).toBe(true);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(10);
    // Once the server is back, uploads are accepted again: from the first accepted after the restart
    // (the client reconnects on its own schedule, later on a loaded machine), every one.
    const deadline = Date.now() + 30_000;
    while (!statuses.slice(30).includes(202) && Date.now() < deadline) {
      await send();
      await new Promise((r) => setTimeout(r, 200));
    }
    const back = statuses.indexOf(202, 30);
    expect(back).toBeGreaterThanOrEqual(30);
    for (let i = 0; i < 5; i++) await send();
    expect(statuses.slice(back).every((s) => s === 202)).toBe(true);

    for (const jobId of accepted) {
      expect((await sys.jobEnded(jobId)).status).toBe('completed');
    }
    const meds = (await getJson<MedicationView[]>(`${sys.medStoreUrl}/meds/medications`)).body;
    expect(new Set(meds.map((m) => m.source_job_id))).toEqual(new Set(accepted));
    // Refused uploads left no photo behind: one file per accepted job, nothing half-written.
    const files = await readdir(path.join(sys.dataDir, 'prescription_images'));
    expect(files.sort()).toEqual(accepted.map((id) => `${id}.jpg`).sort());
  });
});
