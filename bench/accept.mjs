// 1. Accept latency: POST /meds/extract of a real label photo, in-process ingest against a real
// nats-server and a real image store, beside a bare Koa endpoint that only parses the upload and
// stores it the same way (the floor). The difference is what inspecting the image, checking the
// disk and waiting for JetStream's ack cost. Ingest is configured as it ships (loadConfig) except
// for its limit on uploads received at once, raised to the highest concurrency measured so that
// every upload is processed; one more run at that concurrency with the shipped limit shows the
// share it refuses (429) instead.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, statfs } from 'node:fs/promises';
import path from 'node:path';
import multer from '@koa/multer';
import Koa from 'koa';
import { publishEvent, trackBusWrites } from '@rxscan/bus';
import { createIngestApp, loadConfig } from '@rxscan/ingest';
import { LocalImageStorage } from '@rxscan/service-kit';
import { loadTest } from './lib/load.mjs';
import { benchLogger } from './lib/log.mjs';
import { multipartBody } from './lib/multipart.mjs';
import { openBus, serve, startNats } from './lib/services.mjs';
import { ratio } from './lib/stats.mjs';

/** The floor: the same multipart parsing and the same durable write, no inspection, no bus. */
function floorApp(store, maxUploadBytes) {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxUploadBytes, files: 1 } });
  const app = new Koa();
  app.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/meds/extract') return next();
    await upload.single('image')(ctx, async () => {});
    const jobId = randomUUID();
    await store.put(`${jobId}.jpg`, ctx.request.file.buffer);
    ctx.status = 202;
    ctx.body = { job_id: jobId, status: 'pending' };
  });
  return app;
}

/** Emptied between runs: thousands of photos per run would otherwise pile up on the disk. */
async function emptyDir(dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

export async function measureAccept({ scope, plan, corpus, tmp, say }) {
  const photo = corpus.labels[0];
  const { body, contentType } = multipartBody(await readFile(photo.path), photo.file);
  const nats = await startNats(scope, tmp);
  const bus = await openBus(scope, nats.url, 'bench-ingest');
  const log = benchLogger('ingest');
  const writes = trackBusWrites(bus, 'ingest', log, { streams: ['OCR'] });
  scope.defer(() => writes.stop());
  const busReady = () => writes.ready();
  while (!busReady()) await new Promise((r) => setTimeout(r, 20));

  const ingestDir = path.join(tmp, 'ingest-images');
  const floorDir = path.join(tmp, 'floor-images');
  const ingestStore = await new LocalImageStorage(ingestDir).init();
  const floorStore = await new LocalImageStorage(floorDir).init();
  const maxConcurrency = Math.max(...Object.keys(plan.acceptCounts).map(Number));
  const shipped = loadConfig({ DATA_DIR: tmp, INTERNAL_SECRET: 'bench-accept-internal-secret-0123456789' });
  const ingestApp = (limits) =>
    createIngestApp({
      store: ingestStore,
      log,
      limits,
      // As ingest's main.ts does: the free space is looked up for every upload.
      freeDiskBytes: async () => {
        const s = await statfs(ingestDir);
        return s.bavail * s.bsize;
      },
      busReady,
      publishRequested: async (event) => (await publishEvent(bus.js, { type: 'ocr.requested', data: event })).seq,
    });
  const ingestUrl = await serve(scope, ingestApp({ ...shipped, maxConcurrentUploads: maxConcurrency }));
  const shippedUrl = await serve(scope, ingestApp(shipped));
  const floorUrl = await serve(scope, floorApp(floorStore, shipped.maxUploadBytes));

  const run = async (url, dir, connections, amount) => {
    await emptyDir(dir);
    return loadTest({ url: `${url}/meds/extract`, method: 'POST', connections, amount, body, contentType, expectStatus: 202, tmp });
  };
  // Warm both (JIT, sharp, the first publish) before anything is recorded.
  await run(ingestUrl, ingestDir, 4, plan.acceptWarmup);
  await run(floorUrl, floorDir, 4, plan.acceptWarmup);

  const runs = [];
  for (const [c, amount] of Object.entries(plan.acceptCounts)) {
    // Interleaved, so a noisy neighbour on the machine hits both sides alike.
    say(`accept: ${amount} uploads at concurrency ${c}`);
    const floor = await run(floorUrl, floorDir, Number(c), amount);
    const ingest = await run(ingestUrl, ingestDir, Number(c), amount);
    runs.push({ concurrency: Number(c), ingest, floor });
  }
  say(`accept: ${plan.acceptCounts[maxConcurrency]} uploads at concurrency ${maxConcurrency}, shipped limit of ${shipped.maxConcurrentUploads} at once`);
  const shed = await run(shippedUrl, ingestDir, maxConcurrency, plan.acceptCounts[maxConcurrency]);
  const refused = shed.statuses['429'] ?? 0;

  const at16 = runs.find((r) => r.concurrency === 16) ?? runs[0];
  const values = {
    accept_p50_ms: at16.ingest.p50_ms,
    accept_p99_ms: at16.ingest.p99_ms,
    accept_floor_p50_ms: at16.floor.p50_ms,
    accept_floor_p99_ms: at16.floor.p99_ms,
    accept_vs_floor_p50: ratio(at16.ingest.p50_ms, at16.floor.p50_ms),
    accept_errors: runs.reduce((n, r) => n + r.ingest.errors, 0),
    accept_floor_errors: runs.reduce((n, r) => n + r.floor.errors, 0),
    accept_photo_bytes: body.length,
    accept_max_concurrent_uploads: maxConcurrency,
    [`accept_c${maxConcurrency}_shipped_limit_refused_share`]: Math.round((refused / shed.requests) * 1000) / 1000,
    [`accept_c${maxConcurrency}_shipped_limit_p50_ms`]: shed.p50_ms,
  };
  for (const r of runs) {
    values[`accept_c${r.concurrency}_p50_ms`] = r.ingest.p50_ms;
    values[`accept_c${r.concurrency}_p99_ms`] = r.ingest.p99_ms;
    values[`accept_c${r.concurrency}_rps`] = r.ingest.rps;
    values[`accept_floor_c${r.concurrency}_p50_ms`] = r.floor.p50_ms;
    values[`accept_floor_c${r.concurrency}_p99_ms`] = r.floor.p99_ms;
    values[`accept_floor_c${r.concurrency}_rps`] = r.floor.rps;
  }
  const rows = runs.flatMap((r) => [
    [`accept c=${r.concurrency}`, `p50 ${r.ingest.p50_ms} ms, p99 ${r.ingest.p99_ms} ms`, `${r.ingest.rps} req/s, ${r.ingest.errors} errors of ${r.ingest.requests}`],
    [`  floor c=${r.concurrency}`, `p50 ${r.floor.p50_ms} ms, p99 ${r.floor.p99_ms} ms`, `${r.floor.rps} req/s, ${r.floor.errors} errors; ingest/floor p50 ${ratio(r.ingest.p50_ms, r.floor.p50_ms)}`],
  ]);
  rows.push([
    `  shipped limit c=${maxConcurrency}`,
    `p50 ${shed.p50_ms} ms of those accepted`,
    `${refused} of ${shed.requests} refused with 429 (MAX_CONCURRENT_UPLOADS=${shipped.maxConcurrentUploads}), ${shed.errors - refused} other errors`,
  ]);
  return { values, rows };
}
