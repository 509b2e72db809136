import type { FilterQuery } from '@mikro-orm/core';
import Router from '@koa/router';
import type { Context } from 'koa';
import { API_ROUTES, imagesOf, isRecordId, JOB_FILTERS, koaPath } from '@rxscan/contracts';
import { httpError, isMissingFile } from '@rxscan/service-kit';
import { OcrJobSchema, type OcrJob } from './table.schema.js';
import { nextAttempt, replayBlocker } from './job-replay.rule.js';
import { publishOrUnavailable, type MedStoreDeps } from './med-store.deps.js';
import { jobView } from './api.views.js';

/** `/meds/extract/:job_id/*` and `/meds/jobs`: what became of a scan, its photo, and a retry. */
export function jobRoutes(deps: MedStoreDeps): Router {
  const { orm, projector, log } = deps;
  const readWaitMs = deps.readWaitMs ?? 3000;
  const stuckAfterMs = deps.stuckAfterMs ?? 10 * 60_000;
  const now = deps.now ?? (() => new Date());
  const em = () => orm.em.fork();

  /**
   * A job, waiting briefly for the projection when it is not there yet (the 202 came
   * before the projection). 404 only once the tables hold every event the stream had
   * when the request came: while they do not (the projector is catching up, or a
   * restarted med-store is taking its lease over), the answer is 503 with Retry-After,
   * which the tablet polls through.
   */
  async function findJob(ctx: Context, jobId: string, seqHint: unknown): Promise<OcrJob> {
    if (!isRecordId(jobId)) throw httpError(404, 'job_not_found', 'no such scan');
    const found = await em().findOne(OcrJobSchema, { job_id: jobId });
    if (found) return found;
    const hinted = Number(seqHint);
    const head = () => projector.streamHead('OCR').catch(() => null);
    const seq = Number.isInteger(hinted) && hinted > 0 ? hinted : await head();
    const reached = seq === null ? false : seq <= projector.positionOf('OCR') || (await projector.waitFor('OCR', seq, readWaitMs));
    // Look again even without waiting: the projection may have passed `seq` since the first look.
    const late = await em().findOne(OcrJobSchema, { job_id: jobId });
    if (late) return late;
    if (!reached) {
      // A `seq` beyond the stream's end names no event: nothing to wait for.
      const end = seq === null ? null : await head();
      if (end === null || seq! <= end) {
        ctx.set('Retry-After', '1');
        throw httpError(503, 'not_projected_yet', 'this scan is still being recorded; ask again in a moment');
      }
    }
    throw httpError(404, 'job_not_found', `no scan with id ${jobId}`);
  }

  const router = new Router();
  router.get(koaPath(API_ROUTES.jobStatus), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = jobView(await findJob(ctx, ctx.params.job_id!, ctx.query.seq));
  });

  router.get(koaPath(API_ROUTES.jobResult), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const view = jobView(await findJob(ctx, ctx.params.job_id!, ctx.query.seq));
    if (view.status === 'completed') {
      ctx.body = { job_id: view.job_id, status: view.status, ...view.result };
    } else if (view.status === 'failed') {
      ctx.status = 422;
      ctx.body = { job_id: view.job_id, status: view.status, error: view.error };
    } else {
      ctx.status = 202;
      ctx.body = { job_id: view.job_id, status: view.status };
    }
  });

  /** The display copy of the photo at `index` of a scan (0: the first, the only one of older scans). */
  async function serveImage(ctx: Context, index: number): Promise<void> {
    const job = await findJob(ctx, ctx.params.job_id!, ctx.query.seq);
    const gone = () => httpError(404, 'image_not_found', 'the photo of this scan is no longer stored');
    const ref = imagesOf({ image: job.image, images: job.images ?? undefined })[index];
    if (!ref) throw httpError(404, 'image_not_found', `this scan has no photo ${index + 1}`);
    if (!deps.displayImages || job.image_purged_at) throw gone();
    let data: Buffer;
    try {
      // By job id and index only: the key comes from the job's own record, never from the request.
      data = await deps.displayImages.read(ref.key);
    } catch (err) {
      if (isMissingFile(err)) throw gone();
      log.warn({ err, job_id: job.job_id }, 'could not make the display copy');
      throw httpError(422, 'image_unreadable', 'the photo of this scan cannot be shown');
    }
    ctx.set('Content-Type', deps.displayImages.contentType);
    ctx.set('X-Content-Type-Options', 'nosniff');
    // Private: a shared cache must never keep one household's photo for another device.
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.set('Content-Disposition', 'inline');
    ctx.body = data;
  }

  router.get(koaPath(API_ROUTES.jobImage), (ctx) => serveImage(ctx, 0));
  router.get(koaPath(API_ROUTES.jobImageAt), async (ctx) => {
    const index = API_ROUTES.jobImageAt.params.shape.index.safeParse(ctx.params.index);
    if (!index.success) throw httpError(404, 'image_not_found', 'a scan has photos 0 to 3');
    await serveImage(ctx, Number(index.data));
  });

  router.post(koaPath(API_ROUTES.retryJob), async (ctx) => {
    const job = await findJob(ctx, ctx.params.job_id!, undefined);
    const blocked = replayBlocker(job);
    if (blocked) throw httpError(blocked.code === 'image_gone' ? 410 : 409, blocked.code, `this scan is ${blocked.message}`);
    const exists = deps.imageExists;
    if (exists && !(await Promise.all(imagesOf({ image: job.image, images: job.images ?? undefined }).map((i) => exists(i.key)))).every(Boolean)) {
      throw httpError(410, 'image_gone', 'the photo of this scan is no longer stored; scan the label again');
    }
    const event = { type: 'ocr.requested' as const, data: nextAttempt(job, 'retry', now()) };
    // One of many retried at once waits behind every scan someone is waiting for.
    const lane = ctx.query.lane === 'bulk' ? 'bulk' : 'interactive';
    const seq = await publishOrUnavailable(deps, () => deps.publishRequest(event, lane));
    await projector.waitFor('OCR', seq, readWaitMs);
    ctx.status = 202;
    ctx.body = jobView(await findJob(ctx, job.job_id, seq));
  });

  router.get(koaPath(API_ROUTES.listJobs), async (ctx) => {
    const query = API_ROUTES.listJobs.query.shape.status.safeParse(ctx.query.status);
    if (!query.success) throw httpError(400, 'invalid_status', `status must be one of ${JOB_FILTERS.join(', ')}`);
    const status = query.data;
    const limit = Math.min(200, Math.max(1, Number(ctx.query.limit) || 50));
    // Stuck: no result long after its attempt was requested, whatever the reason (no worker, lost message).
    const where: FilterQuery<OcrJob> =
      status === 'stuck'
        ? { status: { $in: ['pending', 'processing'] }, requested_at: { $lt: new Date(now().getTime() - stuckAfterMs).toISOString() } }
        : status
          ? { status: status as OcrJob['status'] }
          : {};
    const jobs = await em().find(OcrJobSchema, where, { orderBy: { created_at: 'desc' }, limit });
    ctx.body = jobs.map(jobView);
  });

  return router;
}
