import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { bodyDeadline, callerCheck, errorMiddleware, httpError, JSON_BODY_DEADLINE_MS, metricsMiddleware, notFoundMiddleware } from '@rxscan/service-kit';
import { authRoutes } from './auth.routes.js';
import { jobRoutes } from './job.routes.js';
import type { MedStoreDeps } from './med-store.deps.js';
import { medicationRoutes } from './medication.routes.js';
import { medicationLifecycleRoutes } from './medication-lifecycle.routes.js';
import { personRoutes } from './person.routes.js';
import { exportRoutes } from './export.routes.js';
import { openApiRoutes } from './openapi.routes.js';
import { pathIdMiddleware } from './path-id.middleware.js';

export type { MedStoreDeps } from './med-store.deps.js';

/** The household's record: medications, what happens to them, its people, and the exports. */
const householdRoutes = (deps: MedStoreDeps) => [medicationLifecycleRoutes(deps), medicationRoutes(deps), personRoutes(deps), exportRoutes(deps)];

/** The read API over the projected tables (jobs, medications), the writes people make, pairing and health. */
export function createMedStoreApp(deps: MedStoreDeps): Koa {
  const { orm } = deps;
  const health = new Router();
  health.get('/healthz', (ctx) => {
    ctx.body = { ok: true };
  });
  health.get('/readyz', async (ctx) => {
    const db = await orm.isConnected();
    const nats = deps.busReady();
    // A projection stuck on one event makes every write wait in vain: not ready. Parked events do
    // not (the projection moves on without them); they are counted for whoever looks (ops parked).
    const stuck = deps.projectionProblem?.() ?? null;
    const parked = db && deps.parkedEvents ? await deps.parkedEvents().catch(() => null) : null;
    const ok = db && nats && !stuck;
    ctx.status = ok ? 200 : 503;
    ctx.body = {
      ok,
      db,
      nats,
      ...(!nats && { nats_problem: deps.busProblem?.() ?? 'not connected' }),
      projection: stuck ? 'stuck' : 'moving',
      ...(stuck && { projection_problem: stuck }),
      ...(parked !== null && { parked }),
    };
  });

  const app = new Koa();
  // Reached only through web (or the ingress): X-Forwarded-Proto says whether the tablet used https.
  app.proxy = true;
  app.use(errorMiddleware(deps.log));
  app.use(notFoundMiddleware);
  if (deps.trustedCaller) app.use(callerCheck({ allow: deps.trustedCaller }));
  // A body that trickles in is cut off with 408 rather than held for Node's 5 minutes.
  app.use(bodyDeadline(() => deps.bodyDeadlineMs ?? JSON_BODY_DEADLINE_MS));
  if (deps.registry) app.use(metricsMiddleware(deps.registry));
  app.use(pathIdMiddleware);
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '64kb',
      onError: (err) => {
        // Too large is not the same mistake as malformed: 413, as web answers for the same body.
        if ((err as { status?: number }).status === 413) throw httpError(413, 'body_too_large', 'the request body is larger than the 64 KB accepted');
        throw httpError(400, 'invalid_json', 'the request body is not valid JSON');
      },
    }),
  );
  const routers = [health, ...(deps.devices ? [authRoutes(deps.devices)] : []), jobRoutes(deps), ...householdRoutes(deps), openApiRoutes()];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.on('error', () => {});
  return app;
}
