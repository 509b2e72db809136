import type { Middleware } from 'koa';
import { Histogram, type Registry } from 'prom-client';

/** A request's route as Prometheus sees it: the pattern (`/meds/extract/{job_id}/status`), never the raw path. */
export type RouteOf = (method: string, path: string) => string;

/** Seconds: from a 1 ms status read to a large upload on a slow link. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * `rxscan_http_request_duration_seconds{method,route,status}` for a Koa app, timed
 * until the response is sent (or the client goes away), so forwarded and streamed
 * responses count their whole time. Labelled by route pattern to keep the series few.
 */
export function httpRequestMetrics(registry: Registry, routeOf: RouteOf): Middleware {
  const duration = new Histogram({
    name: 'rxscan_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, from arrival to the last byte sent',
    labelNames: ['method', 'route', 'status'],
    buckets: BUCKETS,
    registers: [registry],
  });
  return async (ctx, next) => {
    const end = duration.startTimer({ method: ctx.method, route: routeOf(ctx.method, ctx.path) });
    let done = false;
    const observe = () => {
      if (done) return;
      done = true;
      // A client that left before the answer was sent shows as status 499, as nginx logs it.
      end({ status: ctx.res.writableFinished ? String(ctx.res.statusCode) : '499' });
    };
    ctx.res.once('finish', observe);
    ctx.res.once('close', observe);
    await next();
  };
}
