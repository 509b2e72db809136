// 4. Throughput: a burst of uploads through the whole system, started as `npm start` starts it,
// with one OCR worker process and then two: labels per minute, upload-to-completed latency, and
// how much the second worker adds.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { distinctPhoto } from '@rxscan/test-utils';
import { cycle } from './lib/corpus.mjs';
import { cpuBetween, cpuSnapshot } from './lib/cpu.mjs';
import { multipartBody } from './lib/multipart.mjs';
import { listenForJobs } from './lib/push-client.mjs';
import { withScope } from './lib/scope.mjs';
import { percentile, ratio, round, waitUntil } from './lib/stats.mjs';
import { startSystem } from './lib/system.mjs';

const UPLOADS_AT_ONCE = 8;

/**
 * Uploads one photo as a well-behaved tablet does: on 429 (ingest's limit on uploads received at
 * once) or 503 (the bus briefly away) it waits for Retry-After, or a second, and tries again.
 * Resolves with the job and when it was first sent.
 */
async function upload(ingestUrl, { body, contentType }, signed) {
  const sent = performance.now();
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${ingestUrl}/meds/extract`, { method: 'POST', body, headers: { 'content-type': contentType, ...signed('POST', `${ingestUrl}/meds/extract`) } });
    const json = await res.json().catch(() => ({}));
    if (res.status === 202) return { jobId: json.job_id, sent, attempts: attempt };
    if ((res.status !== 429 && res.status !== 503) || attempt >= 20) throw new Error(`upload answered ${res.status}: ${JSON.stringify(json)}`);
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
  }
}

/** Every photo uploaded, at most `parallel` at once; a burst all the same, as each takes milliseconds. */
async function uploadAll(ingestUrl, bodies, parallel, signed) {
  const jobs = [];
  let next = 0;
  const lane = async () => {
    while (next < bodies.length) jobs.push(await upload(ingestUrl, bodies[next++], signed));
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return jobs;
}

/**
 * When each job ended (completed or failed), by its push. A job whose push never came is looked
 * up every 2 s, and then its end is when the lookup saw it (an upper bound), so a dropped socket
 * costs precision, not the run.
 */
async function waitForEnds(jobs, push, sys, timeoutMs) {
  const ends = new Map();
  let lastPoll = performance.now();
  const poll = async (j) => {
    const statusUrl = `${sys.urls.med_store}/meds/extract/${j.jobId}/status`;
    const view = await fetch(statusUrl, { headers: sys.signed('GET', statusUrl) }).then((r) => r.json(), () => null);
    if (view?.status === 'completed' || view?.status === 'failed') ends.set(j.jobId, { at: performance.now(), status: view.status, polled: true });
  };
  const waiting = waitUntil(
    async () => {
      for (const j of jobs) {
        if (ends.has(j.jobId)) continue;
        for (const status of ['completed', 'failed']) {
          const at = push.at(j.jobId, status);
          if (at !== undefined) ends.set(j.jobId, { at, status, polled: false });
        }
      }
      if (ends.size < jobs.length && performance.now() - lastPoll > 2000) {
        lastPoll = performance.now();
        await Promise.all(jobs.filter((j) => !ends.has(j.jobId)).map(poll));
      }
      return ends.size === jobs.length || undefined;
    },
    { timeoutMs, everyMs: 20, what: `${jobs.length} jobs done` },
  );
  try {
    await waiting;
  } catch (err) {
    throw new Error(`${err.message}\n${await whyNotDone(jobs.filter((j) => !ends.has(j.jobId)), sys)}`, { cause: err });
  }
  return ends;
}

/** What the system says of jobs that did not end: their status, the workers' consumer, the services' warnings. */
async function whyNotDone(jobs, sys) {
  const statuses = await Promise.all(
    jobs.slice(0, 5).map((j) => fetch(`${sys.urls.med_store}/meds/extract/${j.jobId}/status`, { headers: sys.signed('GET', `${sys.urls.med_store}/meds/extract/${j.jobId}/status`) }).then((r) => r.json(), (e) => e.message)),
  );
  const c = await sys.bus.jsm.consumers.info('OCR', 'ocr-worker').catch((e) => ({ error: e.message }));
  const consumer = { pending: c.num_pending, ack_pending: c.num_ack_pending, redelivered: c.num_redelivered, waiting: c.num_waiting, error: c.error };
  return `not done: ${JSON.stringify(statuses)}\nocr-worker consumer: ${JSON.stringify(consumer)}\n${sys.tail()}`;
}

async function burst({ scope, workers, uploads, labels, tmp, say }) {
  say(`throughput: starting the system with ${workers} worker(s)`);
  const sys = await startSystem(scope, { dataDir: path.join(tmp, `data-${workers}w`), workers });
  const push = await listenForJobs(scope, sys.urls.med_store, sys.signed('GET', `${sys.urls.med_store}/meds/ws`));
  const photos = await Promise.all(cycle(labels, uploads).map(async (l) => ({ image: await readFile(l.path), file: l.file })));
  // Every upload a new photo of its label (distinct bytes): ingest answers a photo it has seen with the earlier job.
  const fresh = (photo) => multipartBody(distinctPhoto(photo.image), photo.file);
  const bodies = photos.map(fresh);

  // One label alone first (an idle system's latency), then one per worker at once, so that
  // every worker is past its first job before the burst.
  const alone = await upload(sys.urls.ingest, fresh(photos[0]), sys.signed);
  const single = (await waitForEnds([alone], push, sys, 60_000)).get(alone.jobId).at - alone.sent;
  if (workers > 1) {
    const warm = await uploadAll(sys.urls.ingest, photos.slice(0, workers).map(fresh), workers, sys.signed);
    await waitForEnds(warm, push, sys, 60_000);
  }

  say(`throughput: burst of ${uploads} uploads, ${workers} worker(s)`);
  // As many at once as ingest receives at once when it ships (MAX_CONCURRENT_UPLOADS, 8).
  const cpuBefore = cpuSnapshot(await sys.pids());
  const jobs = await uploadAll(sys.urls.ingest, bodies, UPLOADS_AT_ONCE, sys.signed);
  const ends = await waitForEnds(jobs, push, sys, 60_000 + uploads * 15_000);
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(await sys.pids()), os.cpus().length);
  const first = Math.min(...jobs.map((j) => j.sent));
  const last = Math.max(...[...ends.values()].map((e) => e.at));
  const e2e = jobs.map((j) => ends.get(j.jobId).at - j.sent);
  return {
    labels_per_min: round((uploads / (last - first)) * 60_000),
    e2e_p50_ms: round(percentile(e2e, 50), 0),
    e2e_p95_ms: round(percentile(e2e, 95), 0),
    single_ms: round(single, 0),
    polled: [...ends.values()].filter((e) => e.polled).length,
    failed: [...ends.values()].filter((e) => e.status === 'failed').length,
    wall_s: round((last - first) / 1000, 1),
    retried: jobs.filter((j) => j.attempts > 1).length,
    cpu: cpuShares(cpu),
  };
}

/** Where the cores went during a burst: the OCR workers, the rest of the system (and the bench), other processes. */
function cpuShares(cpu) {
  if (!cpu) return null;
  const workers = Object.entries(cpu.procs).filter(([n]) => n.startsWith('ocr-worker')).reduce((s, [, c]) => s + c, 0);
  const r = (x) => Math.round(x * 100) / 100;
  return { workers: r(workers), system: r(cpu.ours - workers), others: cpu.others, steal: cpu.steal, busy: cpu.busy };
}

export async function measureThroughput({ plan, corpus, tmp, say }) {
  const byWorkers = {};
  for (const workers of [1, 2]) {
    byWorkers[workers] = await withScope(`throughput-${workers}w`, (scope) =>
      burst({ scope, workers, uploads: plan.burst, labels: corpus.labels, tmp, say }),
    );
  }
  const [one, two] = [byWorkers[1], byWorkers[2]];
  return {
    values: {
      labels_per_min_1w: one.labels_per_min,
      labels_per_min_2w: two.labels_per_min,
      workers_speedup: ratio(two.labels_per_min, one.labels_per_min),
      e2e_p50_ms: one.e2e_p50_ms,
      e2e_p95_ms: one.e2e_p95_ms,
      e2e_p50_ms_2w: two.e2e_p50_ms,
      e2e_p95_ms_2w: two.e2e_p95_ms,
      e2e_single_ms: one.single_ms,
      burst_uploads: plan.burst,
      burst_failed: one.failed + two.failed,
      // Cores used on average during each burst (null where /proc is missing).
      burst_cpu_1w: one.cpu,
      burst_cpu_2w: two.cpu,
    },
    rows: [1, 2].flatMap((w) => {
      const r = byWorkers[w];
      return [
        [
          `burst ${plan.burst}, ${w} worker${w > 1 ? 's' : ''}`,
          `${r.labels_per_min} labels/min`,
          `e2e p50 ${r.e2e_p50_ms} ms, p95 ${r.e2e_p95_ms} ms; alone ${r.single_ms} ms; ${r.failed} failed; ${r.wall_s} s` +
            (r.polled ? `; ${r.polled} ends seen by polling` : '') +
            (r.retried ? `; ${r.retried} uploads retried after 429/503` : '') +
            (w === 2 ? `; speed-up ${ratio(two.labels_per_min, one.labels_per_min)}` : ''),
        ],
        ...(r.cpu
          ? [
              [
                '  cores used (mean)',
                `workers ${r.cpu.workers}`,
                `rest of the system and the bench ${r.cpu.system}; other processes ${r.cpu.others}; stolen ${r.cpu.steal}; of ${os.cpus().length}`,
              ],
            ]
          : []),
      ];
    }),
  };
}
