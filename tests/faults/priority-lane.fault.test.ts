import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMERS, encodeEvent, messageIdOf, STREAMS, type BusEvent } from '@rxscan/contracts';
import { distinctPhoto, eventually, labelFixture, REPO_ROOT } from '@rxscan/test-utils';
import { FaultSystem, getJson, upload } from './faults.harness.js';

const BACKLOG = 100;

describe('the bulk lane: a scan someone waits for is read before a backlog of replays', () => {
  let sys: FaultSystem;
  beforeAll(async () => {
    sys = await FaultSystem.running();
  }, 120_000);
  afterAll(async () => {
    await sys?.dispose();
  });

  it(`given ${BACKLOG} failed scans replayed by ops replay --failed, a new upload completes while the replays still wait`, async () => {
    const photo = await readFile(labelFixture('dev-001-clean').image);
    const imageDir = path.join(sys.dataDir, 'prescription_images');
    const jobs = Array.from({ length: BACKLOG }, (_, i) => `backlog-job-${String(i).padStart(4, '0')}`);

    // Given: scans that failed because their photos were missing when they were read…
    const nc = await sys.connect();
    const js = jetstream(nc);
    for (const jobId of jobs) {
      const event: BusEvent = {
        type: 'ocr.requested',
        data: {
          job_id: jobId,
          image: { key: `${jobId}.jpg`, sha256: 'a'.repeat(64), content_type: 'image/jpeg', bytes: photo.length, width: 100, height: 100 },
          submitted_at: new Date().toISOString(),
          attempt: 1,
          reason: 'new',
        },
      };
      await js.publish('ocr.requested', encodeEvent(event), { msgID: messageIdOf(event) });
    }
    await eventually(async () => {
      const { body } = await getJson<unknown[]>(`${sys.medStoreUrl}/meds/jobs?status=failed&limit=200`);
      return body.length >= BACKLOG ? true : undefined;
    }, 120_000, 500);
    // …and are back now: an operator replays every failed scan at once.
    for (const jobId of jobs) await writeFile(path.join(imageDir, `${jobId}.jpg`), photo);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'packages/ops/dist/ops.cli.js'), 'replay', '--failed'], {
      env: { ...process.env, DATA_DIR: sys.dataDir, NATS_URL: sys.natsUrl },
    });
    expect(stdout).toMatch(new RegExp(`${BACKLOG}`));
    const jsm = await jetstreamManager(nc);
    const waiting = async () => {
      const info = await jsm.consumers.info(STREAMS.OCR, CONSUMERS.ocrWorkerBulk);
      return info.num_pending + info.num_ack_pending;
    };
    expect(await waiting()).toBeGreaterThan(BACKLOG - 5);
    // The worker is reading a replay when the person scans: the new scan waits for that one only.
    await eventually(async () => ((await jsm.consumers.info(STREAMS.OCR, CONSUMERS.ocrWorkerBulk)).num_ack_pending >= 1 ? true : undefined), 60_000, 50);

    // When: a person scans a label.
    const res = await upload(sys.ingestUrl, distinctPhoto(await readFile(labelFixture('dev-000-clean').image)));
    expect(res.status).toBe(202);
    const done = await sys.jobEnded(res.body.job_id as string, 180_000);

    // Then: it is read, and nearly the whole backlog is still waiting (one replay was being read when it came, maybe two).
    expect(done.status).toBe('completed');
    expect(done.result?.medication.name).toBeTruthy();
    const left = await waiting();
    expect(left).toBeGreaterThan(BACKLOG - 10);
    await nc.close();
  }, 600_000);
});
