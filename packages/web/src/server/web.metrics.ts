import type { Middleware } from 'koa';
import type { Registry } from 'prom-client';
import { matchApiRoute } from '@rxscan/contracts';
import { createRegistry, httpRequestMetrics } from '@rxscan/service-kit';

/**
 * The route label of a request: the declared API pattern (`/meds/extract/{job_id}/status`),
 * `/meds/*` for a /meds path no route declares, `/healthz`, or `ui` for the tablet's files.
 * Never the raw path, so ids do not make a series each.
 */
export function webRouteOf(method: string, path: string): string {
  const route = matchApiRoute(method, path);
  if (route) return route.path;
  if (path === '/meds' || path.startsWith('/meds/')) return '/meds/*';
  if (path === '/healthz') return path;
  return 'ui';
}

export interface WebMetrics {
  registry: Registry;
  /** Times every request web answers, by method, route pattern and status. */
  middleware: Middleware;
}

export function createWebMetrics(): WebMetrics {
  const registry = createRegistry('web');
  return { registry, middleware: httpRequestMetrics(registry, webRouteOf) };
}
