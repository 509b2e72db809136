import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { isEventType, SUBJECTS, type JobStatusView } from '@rxscan/contracts';
import { eventually, labelFixture } from '@rxscan/test-utils';
import { FaultSystem, getJson, upload } from './faults.harness.js';

describe('malformed events on every subject', () => {
  let sys: FaultSystem;
  beforeAll(async () => {
    sys = await FaultSystem.running();
  });
  afterAll(async () => {
    await sys?.dispose();
  });

  it('are terminated and logged with their sequence, and the next real job goes through', async () => {
    const nc = await sys.connect();
    const js = jetstream(nc);
    const poisoned: number[] = [];
    // Every event subject (the advisory one is on no stream).
    for (const subject of Object.values(SUBJECTS).filter(isEventType)) {
      poisoned.push((await js.publish(subject, '{"job_id": "../../x", "attempt": "one"}')).seq);
      poisoned.push((await js.publish(subject, 'not json')).seq);
    }
    await nc.close();

    const res = await upload(sys.ingestUrl, await readFile(labelFixture('dev-001-clean').image));
    const done = await eventually(async () => {
      const { body } = await getJson<JobStatusView>(`${sys.medStoreUrl}/meds/extract/${res.body.job_id}/status`);
      return body.status === 'completed' ? body : undefined;
    }, 60_000, 250);
    expect(done.result?.medication.name).toBeTruthy();

    const logged = sys.logs.filter((l) => /invalid (event|request) terminated/.test(l)).map((l) => JSON.parse(l.replace(/^\[[^\]]+\] /, '')).seq as number);
    // med-store sees all of them; the worker sees those on ocr.requested too.
    for (const seq of poisoned) expect(logged).toContain(seq);
  });
});
