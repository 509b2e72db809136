import { createHash, randomUUID } from 'node:crypto';
import multer from '@koa/multer';
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import { API_ROUTES, koaPath, MAX_SCAN_IMAGES, type ExtractAccepted, type ImageRef, type OcrRequested } from '@rxscan/contracts';
import { Counter, type Registry } from 'prom-client';
import { bodyDeadline, callerCheck, callerOf, eatsIntoReserve, UPLOAD_BODY_DEADLINE_MS, errorMiddleware, httpError, HttpError, metricsMiddleware, notFoundMiddleware, type ImageStorage } from '@rxscan/service-kit';
import { inspectImage, type InspectedImage } from './image.inspector.js';
import { boundedMemoryStorage, uploadError } from './upload.errors.js';
import type { PhotoIndex, PhotoUpload } from './photo-index.storage.js';

export interface IngestDeps {
  store: ImageStorage;
  /** Publishes `ocr.requested` and resolves with its stream sequence once JetStream has stored it. */
  publishRequested(event: OcrRequested): Promise<number>;
  /** False while the bus accepts no writes: uploads are refused with 503 rather than queued in memory. */
  busReady(): boolean;
  /** Why the bus is not ready, for /readyz. */
  busProblem?(): string | null;
  log: Logger;
  limits: { maxUploadBytes: number; maxScanBytes?: number; maxPixels: number; maxConcurrentUploads?: number; minFreeDiskBytes?: number };
  /** Free bytes on the image store's disk (statfs); checked before each photo is written. */
  freeDiskBytes?(): Promise<number>;
  now?: () => Date;
  /** Where `rxscan_uploads_total` is counted and `/metrics` is served from. */
  registry?: Registry;
  /** Photos accepted before, by SHA-256: the same photo again is answered with its job. Without it every upload is new. */
  photos?: PhotoIndex;
  /** INTERNAL_SECRET: only requests web signed with it are served (besides /healthz, /readyz, /metrics). */
  internalSecret?: string;
}

const MB = 1024 * 1024;
/** What multipart adds around the photos (boundaries, part headers, a few small fields), generously. */
const FORM_OVERHEAD = 64 * 1024;

/** Where the photo at `index` of a job is stored: the first as `<job_id>.<ext>` (as before several photos), then `<job_id>_<index>.<ext>`. */
export const imageKeyOf = (jobId: string, index: number, ext: string): string => (index === 0 ? `${jobId}.${ext}` : `${jobId}_${index}.${ext}`);

/**
 * What the photo index knows a scan by: one photo by its own SHA-256 (as before several photos),
 * several by the SHA-256 of their sorted hashes, so the same photos in any order are the same scan.
 */
export function photoSetKey(sha256s: readonly string[]): string {
  if (sha256s.length === 1) return sha256s[0]!;
  return createHash('sha256').update([...sha256s].sort().join('\n')).digest('hex');
}

/** The upload endpoint: store the photo durably, put the job on the bus, answer 202. */
export function createIngestApp(deps: IngestDeps): Koa {
  const { store, log, limits } = deps;
  const now = deps.now ?? (() => new Date());
  const uploads = new Counter({
    name: 'rxscan_uploads_total',
    help: 'Uploads by outcome: accepted, or the error code they were refused with',
    labelNames: ['outcome'],
    registers: deps.registry ? [deps.registry] : [],
  });
  const countUploads: Koa.Middleware = async (ctx, next) => {
    try {
      await next();
      uploads.inc({ outcome: ctx.status === 202 ? 'accepted' : `http_${ctx.status}` });
    } catch (err) {
      uploads.inc({ outcome: err instanceof HttpError ? err.code : 'internal' });
      throw err;
    }
  };
  const maxScanBytes = limits.maxScanBytes ?? limits.maxUploadBytes * MAX_SCAN_IMAGES;
  const upload = multer({
    storage: boundedMemoryStorage(maxScanBytes),
    limits: { fileSize: limits.maxUploadBytes, files: MAX_SCAN_IMAGES, fields: 8, parts: 12, fieldNameSize: 100, fieldSize: 4096 },
  });
  let receiving = 0;
  const slots = limits.maxConcurrentUploads ?? Infinity;
  /** Slots one device may hold: half of them (at least one), so one device cannot take every slot. */
  const perDevice = Math.max(1, Math.floor(slots / 2));
  const byDevice = new Map<string, number>();
  // Refused before the body is read, so a flood of uploads cannot hold memory or sockets.
  const limitConcurrency: Koa.Middleware = async (ctx, next) => {
    // The device web let through (signed with the request); everything else shares one name.
    const device = callerOf(ctx.req) || 'unnamed';
    const held = byDevice.get(device) ?? 0;
    if (receiving >= slots || held >= perDevice) {
      ctx.set('Retry-After', '2');
      throw httpError(429, 'too_many_uploads', held >= perDevice ? 'this device is already sending several photos; wait for them to finish' : 'too many photos are being uploaded at once; try again in a moment');
    }
    receiving++;
    byDevice.set(device, held + 1);
    try {
      await next();
    } finally {
      receiving--;
      const left = (byDevice.get(device) ?? 1) - 1;
      if (left > 0) byDevice.set(device, left);
      else byDevice.delete(device);
    }
  };
  const parseUpload: Koa.Middleware = async (ctx, next) => {
    if (!ctx.is('multipart/form-data')) {
      throw httpError(415, 'expected_multipart', 'send the photo as multipart/form-data in the field "image"');
    }
    // A declared length past what one scan may be is refused before a byte of it is read.
    if (Number(ctx.get('content-length')) > maxScanBytes + FORM_OVERHEAD) throw uploadError(Object.assign(new Error('scan too large'), { code: 'LIMIT_SCAN_SIZE', limit: maxScanBytes }), limits.maxUploadBytes);
    try {
      await upload.array('image', MAX_SCAN_IMAGES)(ctx as never, async () => {});
    } catch (err) {
      throw uploadError(err, limits.maxUploadBytes);
    }
    await next();
  };

  const reserve = limits.minFreeDiskBytes ?? 0;
  let belowReserve = false;
  /** 507 while storing the photo would leave less than the reserve free; says so in the log once each way. */
  async function checkDiskReserve(bytes: number): Promise<void> {
    if (!deps.freeDiskBytes) return;
    const free = await deps.freeDiskBytes();
    const refuse = eatsIntoReserve(free, bytes, reserve);
    if (refuse !== belowReserve) {
      belowReserve = refuse;
      const figures = { free_mb: Math.floor(free / MB), reserve_mb: Math.floor(reserve / MB) };
      if (refuse) log.error(figures, 'data disk below its reserve (MIN_FREE_DISK_MB): uploads refused with 507 until space is freed');
      else log.info(figures, 'data disk above its reserve again: uploads accepted');
    }
    if (refuse) {
      throw httpError(507, 'insufficient_storage', 'the scanner is out of storage space; ask whoever runs it to free some (uploads resume by themselves once there is room)');
    }
  }

  /**
   * The job of an earlier upload of the same bytes, while its photo is still stored (after
   * retention deleted it, the job could not be retried: a new one is better). A lookup that
   * fails makes the upload a new job: a duplicate is a nuisance, a lost upload is not.
   */
  async function earlierUpload(sha256: string): Promise<PhotoUpload | null> {
    // The index is keyed by the photos' hashes: one photo by its own, several by the hash of their sorted hashes.
    if (!deps.photos) return null;
    try {
      const earlier = await deps.photos.find(sha256);
      return earlier && (await store.exists(earlier.image_key)) ? earlier : null;
    } catch (err) {
      log.warn({ err }, 'photo index unavailable; taking the upload as new');
      return null;
    }
  }

  const accepted = (jobId: string, seq: number, duplicate?: PhotoUpload): ExtractAccepted => ({
    job_id: jobId,
    status: duplicate ? 'duplicate' : 'pending',
    message: duplicate ? 'This photo was scanned before; here is that scan.' : 'Photo received; reading the label.',
    poll_url: `/meds/extract/${jobId}/status`,
    seq,
    ...(duplicate && { duplicate: { submitted_at: duplicate.submitted_at } }),
  });

  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  // A full disk does not make ingest unready: it still answers, with a 507 that says why.
  router.get('/readyz', async (ctx) => {
    const ready = deps.busReady();
    const free = deps.freeDiskBytes ? await deps.freeDiskBytes().catch(() => null) : null;
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      ok: ready,
      nats: ready,
      ...(!ready && { nats_problem: deps.busProblem?.() ?? 'not connected' }),
      ...(free !== null && { disk: !eatsIntoReserve(free, 0, reserve), disk_free_mb: Math.floor(free / MB), disk_reserve_mb: Math.floor(reserve / MB) }),
    };
  });
  router.post(koaPath(API_ROUTES.uploadPhoto), countUploads, limitConcurrency, parseUpload, async (ctx) => {
    const files = (Array.isArray(ctx.request.files) ? ctx.request.files : []) as { buffer: Buffer; size: number }[];
    if (files.length === 0) throw httpError(400, 'missing_image', 'no photo received: send it in the multipart field "image"');
    // Every photo is judged before any is stored: one refused refuses the scan, and nothing is half-written.
    const images: InspectedImage[] = [];
    for (const [i, file] of files.entries()) {
      try {
        images.push(await inspectImage(file.buffer, limits.maxPixels));
      } catch (err) {
        if (files.length > 1 && err instanceof HttpError) throw new HttpError(err.status, err.code, `photo ${i + 1} of ${files.length}: ${err.message}`, { cause: err });
        throw err;
      }
    }
    // The disk first: a full disk also stops the bus, and 507 says what to do about it.
    await checkDiskReserve(files.reduce((n, f) => n + f.size, 0));
    if (!deps.busReady()) throw httpError(503, 'bus_unavailable', 'the scanner is briefly unavailable; try again in a few seconds');

    const scanKey = photoSetKey(images.map((i) => i.sha256));
    const earlier = await earlierUpload(scanKey);
    if (earlier) {
      log.info({ job_id: earlier.job_id, sha256: scanKey, photos: images.length }, 'same photos as an earlier upload; answered with its job');
      ctx.status = 200;
      ctx.set('Location', `/meds/extract/${earlier.job_id}/status`);
      ctx.body = accepted(earlier.job_id, earlier.seq, earlier);
      return;
    }
    const jobId = randomUUID();
    const refs: ImageRef[] = images.map((image, i) => ({
      key: imageKeyOf(jobId, i, image.ext),
      sha256: image.sha256,
      content_type: image.contentType,
      bytes: image.bytes,
      width: image.width,
      height: image.height,
      ...(image.orientation && { orientation: image.orientation }),
    }));
    /** Not accepted after all: take back every photo stored so far, so nothing is orphaned. */
    const takeBack = async (written: ImageRef[]) => {
      for (const ref of written) await store.remove(ref.key).catch((rmErr: unknown) => log.error({ err: rmErr, job_id: jobId, key: ref.key }, 'could not remove unpublished image'));
    };
    for (const [i, ref] of refs.entries()) {
      try {
        await store.put(ref.key, files[i]!.buffer);
      } catch (err) {
        await takeBack(refs.slice(0, i));
        // Filled by something else since the check: the same answer, not a 500.
        if ((err as { code?: string }).code === 'ENOSPC') throw httpError(507, 'insufficient_storage', 'the scanner is out of storage space; ask whoever runs it to free some (uploads resume by themselves once there is room)');
        throw err;
      }
    }
    const event: OcrRequested = {
      job_id: jobId,
      image: refs[0]!,
      images: refs,
      submitted_at: now().toISOString(),
      attempt: 1,
      reason: 'new',
    };
    let seq: number;
    try {
      seq = await deps.publishRequested(event);
    } catch (err) {
      // Not on the bus means not accepted: take the photos back so nothing is orphaned.
      await takeBack(refs);
      log.warn({ err, job_id: jobId }, 'publish failed; upload refused');
      throw httpError(503, 'bus_unavailable', 'the scanner is briefly unavailable; try again in a few seconds');
    }
    log.info({ job_id: jobId, seq, photos: refs.length, bytes: refs.map((r) => r.bytes), sizes: refs.map((r) => `${r.width}x${r.height}`) }, 'job accepted');
    await deps.photos
      ?.remember(scanKey, { job_id: jobId, image_key: refs[0]!.key, seq, submitted_at: event.submitted_at })
      .catch((err: unknown) => log.warn({ err, job_id: jobId }, 'could not index the photo; a second upload of it will be a new job'));
    const body = accepted(jobId, seq);
    ctx.status = 202;
    ctx.set('Location', body.poll_url);
    ctx.body = body;
  });

  const app = new Koa();
  app.use(errorMiddleware(log));
  app.use(notFoundMiddleware);
  if (deps.internalSecret) app.use(callerCheck({ secret: deps.internalSecret }));
  // A photo that trickles in is cut off with a 408 that says so (server.requestTimeout is the backstop).
  app.use(bodyDeadline(() => UPLOAD_BODY_DEADLINE_MS));
  if (deps.registry) app.use(metricsMiddleware(deps.registry));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.on('error', () => {}); // logged once by errorMiddleware
  return app;
}
