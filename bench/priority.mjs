// 8. Priority: a scan someone waits for, uploaded while a backlog of replays waits on the bulk lane
// (`ocr.requested.bulk`, as `ops replay --failed` and a retry of many publish them). The whole
// system as `npm start` starts it, one worker: first one label alone (the time of one label),
// then the backlog is queued and a new label uploaded; its upload-to-completed time should be
// about one label plus the replay in progress, not the backlog's.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { publishEvent } from '@rxscan/bus';
import { distinctPhoto } from '@rxscan/test-utils';
import { multipartBody } from './lib/multipart.mjs';
import { listenForJobs } from './lib/push-client.mjs';
import { ratio, round, waitUntil } from './lib/stats.mjs';
import { startSystem } from './lib/system.mjs';

async function uploadAndWait(sys, push, body) {
  const sent = performance.now();
  const res = await fetch(`${sys.urls.ingest}/meds/extract`, { method: 'POST', body: body.body, headers: { 'content-type': body.contentType, ...sys.signed('POST', `${sys.urls.ingest}/meds/extract`) } });
  const json = await res.json();
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(json)}`);
  const done = await push.next(json.job_id, 'completed', 300_000);
  return done - sent;
}

const bulkWaiting = async (sys) => {
  const info = await sys.bus.jsm.consumers.info('OCR', 'ocr-worker-bulk');
  return info.num_pending + info.num_ack_pending;
};

export async function measurePriority({ scope, plan, corpus, tmp, say }) {
  const backlog = plan.priorityBacklog;
  if (!backlog) return { values: { priority_scan_ms: null, priority_backlog: null }, rows: [['scan behind replays', 'skipped', 'not in a tiny run; --only=priority']] };
  const dataDir = path.join(tmp, 'data');
  say('priority: starting the system with 1 worker');
  const sys = await startSystem(scope, { dataDir, workers: 1 });
  const push = await listenForJobs(scope, sys.urls.med_store, sys.signed('GET', `${sys.urls.med_store}/meds/ws`));
  const [label, other] = [corpus.labels[0], corpus.labels[1] ?? corpus.labels[0]];
  const photo = await readFile(label.path);

  // One label on an idle system: the time of one label (the first warms the worker, the second is timed).
  await uploadAndWait(sys, push, multipartBody(distinctPhoto(photo), label.file));
  const alone = await uploadAndWait(sys, push, multipartBody(distinctPhoto(photo), label.file));

  say(`priority: queueing ${backlog} replays on the bulk lane`);
  const imageDir = path.join(dataDir, 'prescription_images');
  await mkdir(imageDir, { recursive: true });
  const otherBytes = await readFile(other.path);
  for (let i = 0; i < backlog; i++) {
    const jobId = `bench-replay-${String(i).padStart(5, '0')}-${process.pid}`;
    await copyFile(other.path, path.join(imageDir, `${jobId}.jpg`));
    const image = { key: `${jobId}.jpg`, sha256: 'b'.repeat(64), content_type: 'image/jpeg', bytes: otherBytes.length, width: 100, height: 100 };
    await publishEvent(sys.bus.js, { type: 'ocr.requested', data: { job_id: jobId, image, submitted_at: new Date().toISOString(), attempt: 1, reason: 'replay' } }, { lane: 'bulk' });
  }
  // The worker busy with a replay when the scan comes: the case the lane is for.
  await waitUntil(async () => (await sys.bus.jsm.consumers.info('OCR', 'ocr-worker-bulk')).num_ack_pending >= 1 || undefined, { timeoutMs: 60_000, everyMs: 50, what: 'a replay being read' });
  const before = await bulkWaiting(sys);
  say(`priority: ${before} replays waiting, one being read; uploading a new scan`);
  const withBacklog = await uploadAndWait(sys, push, multipartBody(distinctPhoto(photo), label.file));
  const after = await bulkWaiting(sys);
  const priority = round(withBacklog, 0);
  return {
    values: {
      priority_scan_ms: priority,
      priority_backlog: backlog,
      priority_alone_ms: round(alone, 0),
      priority_vs_alone: ratio(withBacklog, alone),
      priority_replays_read_meanwhile: before - after,
    },
    rows: [
      [
        `scan behind ${backlog} replays`,
        `${priority} ms`,
        `alone ${round(alone, 0)} ms (×${ratio(withBacklog, alone)}); uploaded while a replay was being read; ${before - after} replays finished meanwhile, ${after} still waiting`,
      ],
    ],
  };
}
