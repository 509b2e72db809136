import { randomUUID } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import type { FilterQuery, MikroORM } from '@mikro-orm/core';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { medicationSchema, type EventOf, type MedEvent } from '@rxscan/contracts';
import { errorMiddleware, httpError, isMissingFile, metricsMiddleware, notFoundMiddleware } from '@rxscan/service-kit';
import { MedSchema, OcrJobSchema, type Med, type OcrJob } from './entities.js';
import type { Projector } from './projector.js';
import { nextAttempt, replayBlocker } from './job.replay.js';
import { authRoutes } from './auth.routes.js';
import type { DeviceRegistry } from './device.registry.js';
import type { DisplayImages } from './display.image.js';
import { jobView, medicationOf, medView } from './views.js';

export interface MedStoreDeps {
  orm: MikroORM;
  projector: Pick<Projector, 'waitFor' | 'streamHead' | 'positionOf'>;
  /** Publishes a change to the MEDS stream; resolves with its sequence once stored. */
  publishMed(event: MedEvent): Promise<number>;
  /** Publishes a new attempt of a job (a retry); resolves with its sequence. */
  publishRequest(event: EventOf<'ocr.requested'>): Promise<number>;
  /** Whether the photo of a job is still stored; retries of a purged photo are refused. */
  imageExists?(key: string): Promise<boolean>;
  /** The photos as shown (oriented, metadata stripped); absent when this replica has no image store. */
  displayImages?: Pick<DisplayImages, 'read' | 'contentType'>;
  /** Pairing, sessions and devices; without it /meds/auth and /meds/devices do not exist. */
  devices?: DeviceRegistry;
  /** True while the bus connection is up. */
  busReady(): boolean;
  log: Logger;
  /** How long a read waits for the projection to catch up with an event it knows of. */
  readWaitMs?: number;
  /** A job with no result this long after its attempt was requested is reported as stuck. */
  stuckAfterMs?: number;
  /** Served at `/metrics`. */
  registry?: Registry;
  now?: () => Date;
}

const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
const editSchema = medicationSchema.partial().strict();

/** The read API over the projected tables, and the writes people make to their list. */
export function createMedStoreApp(deps: MedStoreDeps): Koa {
  const { orm, projector, log } = deps;
  const readWaitMs = deps.readWaitMs ?? 3000;
  const stuckAfterMs = deps.stuckAfterMs ?? 10 * 60_000;
  const now = deps.now ?? (() => new Date());
  const em = () => orm.em.fork();

  /** A job, waiting briefly for the projection when it is not there yet (the 202 came before the projection). */
  async function findJob(jobId: string, seqHint: unknown): Promise<OcrJob> {
    const found = await em().findOne(OcrJobSchema, { job_id: jobId });
    if (found) return found;
    const hinted = Number(seqHint);
    const seq = Number.isInteger(hinted) && hinted > 0 ? hinted : await projector.streamHead('OCR').catch(() => 0);
    if (seq > projector.positionOf('OCR')) await projector.waitFor('OCR', seq, readWaitMs);
    // Look again even without waiting: the projection may have passed `seq` since the first look.
    const late = await em().findOne(OcrJobSchema, { job_id: jobId });
    if (late) return late;
    throw httpError(404, 'job_not_found', `no scan with id ${jobId}`);
  }

  async function findMed(id: string): Promise<Med> {
    const med = await em().findOne(MedSchema, { id, deleted_at: null });
    if (!med) throw httpError(404, 'medication_not_found', `no medication with id ${id}`);
    return med;
  }

  async function publishOrUnavailable(publish: () => Promise<number>): Promise<number> {
    if (!deps.busReady()) throw httpError(503, 'bus_unavailable', 'the service is briefly unavailable; try again in a few seconds');
    try {
      return await publish();
    } catch (err) {
      log.warn({ err }, 'publish failed');
      throw httpError(503, 'bus_unavailable', 'the service is briefly unavailable; try again in a few seconds');
    }
  }

  /** Publishes a change and answers only once the tables show it. */
  async function write(event: MedEvent): Promise<void> {
    const seq = await publishOrUnavailable(() => deps.publishMed(event));
    if (!(await projector.waitFor('MEDS', seq, 10_000))) {
      throw httpError(503, 'projection_lagging', 'the change was saved but is not visible yet; refresh in a moment');
    }
  }

  /** Fields a person sent; unknown fields are refused so a typo is not silently dropped. */
  const parseMedication = (body: unknown) => {
    const parsed = editSchema.safeParse(body ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      throw httpError(400, 'invalid_medication', detail);
    }
    return parsed.data;
  };

  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  router.get('/readyz', async (ctx) => {
    const db = await orm.isConnected();
    const nats = deps.busReady();
    ctx.status = db && nats ? 200 : 503;
    ctx.body = { ok: db && nats, db, nats };
  });

  router.get('/meds/extract/:job_id/status', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = jobView(await findJob(ctx.params.job_id!, ctx.query.seq));
  });

  router.get('/meds/extract/:job_id/result', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const view = jobView(await findJob(ctx.params.job_id!, ctx.query.seq));
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

  router.get('/meds/extract/:job_id/image', async (ctx) => {
    const job = await findJob(ctx.params.job_id!, ctx.query.seq);
    const gone = () => httpError(404, 'image_not_found', 'the photo of this scan is no longer stored');
    if (!deps.displayImages || job.image_purged_at) throw gone();
    let data: Buffer;
    try {
      // By job id only: the key comes from the job's own record, never from the request.
      data = await deps.displayImages.read(job.image.key);
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
  });

  router.post('/meds/extract/:job_id/retry', async (ctx) => {
    const job = await findJob(ctx.params.job_id!, undefined);
    const blocked = replayBlocker(job);
    if (blocked) throw httpError(blocked.code === 'image_gone' ? 410 : 409, blocked.code, `this scan is ${blocked.message}`);
    if (deps.imageExists && !(await deps.imageExists(job.image.key))) {
      throw httpError(410, 'image_gone', 'the photo of this scan is no longer stored; scan the label again');
    }
    const event = { type: 'ocr.requested' as const, data: nextAttempt(job, 'retry', now()) };
    const seq = await publishOrUnavailable(() => deps.publishRequest(event));
    await projector.waitFor('OCR', seq, readWaitMs);
    ctx.status = 202;
    ctx.body = jobView(await findJob(job.job_id, seq));
  });

  router.get('/meds/jobs', async (ctx) => {
    const status = ctx.query.status;
    if (status !== undefined && status !== 'stuck' && !JOB_STATUSES.includes(status as never)) {
      throw httpError(400, 'invalid_status', `status must be one of ${JOB_STATUSES.join(', ')}, stuck`);
    }
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

  router.get('/meds/medications', async (ctx) => {
    const meds = await em().find(MedSchema, { deleted_at: null }, { orderBy: { created_at: 'desc' } });
    ctx.body = meds.map(medView);
  });

  router.post('/meds/medications', async (ctx) => {
    const fields = parseMedication(ctx.request.body);
    if (!fields.name) throw httpError(400, 'invalid_medication', 'name: a medication needs a name');
    const id = randomUUID();
    await write({
      type: 'med.confirmed',
      data: { med_id: id, source_job_id: null, medication: { ...medicationOf({} as Med), ...fields }, confirmed_at: now().toISOString() },
    });
    ctx.status = 201;
    ctx.body = medView(await findMed(id));
  });

  router.post('/meds/medications/:id/confirm', async (ctx) => {
    const med = await findMed(ctx.params.id!);
    const body = (ctx.request.body ?? {}) as { medication?: unknown };
    const edits = parseMedication(body.medication);
    const medication = { ...medicationOf(med), ...edits };
    if (!medication.name) throw httpError(400, 'invalid_medication', 'name: a medication needs a name before it is confirmed');
    await write({
      type: 'med.confirmed',
      data: { med_id: med.id, source_job_id: med.source_job_id, medication, confirmed_at: now().toISOString() },
    });
    ctx.body = medView(await findMed(med.id));
  });

  router.patch('/meds/medications/:id', async (ctx) => {
    const med = await findMed(ctx.params.id!);
    const changes = parseMedication(ctx.request.body);
    if (Object.keys(changes).length === 0) throw httpError(400, 'invalid_medication', 'body: no field to change');
    await write({ type: 'med.updated', data: { med_id: med.id, changes, updated_at: now().toISOString() } });
    ctx.body = medView(await findMed(med.id));
  });

  router.delete('/meds/medications/:id', async (ctx) => {
    const med = await findMed(ctx.params.id!);
    await write({ type: 'med.deleted', data: { med_id: med.id, deleted_at: now().toISOString() } });
    ctx.status = 204;
  });

  const app = new Koa();
  // Reached only through web (or the ingress): X-Forwarded-Proto says whether the tablet used https.
  app.proxy = true;
  app.use(errorMiddleware(log));
  app.use(notFoundMiddleware);
  if (deps.registry) app.use(metricsMiddleware(deps.registry));
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '64kb',
      onError: () => {
        throw httpError(400, 'invalid_json', 'the request body is not valid JSON');
      },
    }),
  );
  if (deps.devices) {
    const auth = authRoutes(deps.devices);
    app.use(auth.routes());
    app.use(auth.allowedMethods());
  }
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.on('error', () => {});
  return app;
}
