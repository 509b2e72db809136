import http from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Middleware } from 'koa';
import { errorBody } from '@rxscan/contracts';

/** One Prometheus registry per service, with the process's default metrics and a `service` label. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** `GET /metrics` for a Koa app. */
export function metricsMiddleware(registry: Registry): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== '/metrics') return next();
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  };
}

export interface Probe {
  /** Whether the service's dependencies answer. */
  ready(): Promise<Record<string, boolean>>;
}

/**
 * A small HTTP server for a service without an API of its own (the worker):
 * `/healthz` (alive), `/readyz` (dependencies reachable) and `/metrics`.
 */
export function createOpsServer(registry: Registry, probe: Probe): http.Server {
  return http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    void (async () => {
      if (req.url === '/healthz') return send(200, '{"ok":true}');
      if (req.url === '/readyz') {
        const checks = await probe.ready();
        const ok = Object.values(checks).every(Boolean);
        return send(ok ? 200 : 503, JSON.stringify({ ok, ...checks }));
      }
      if (req.url === '/metrics') return send(200, await registry.metrics(), registry.contentType);
      send(404, JSON.stringify(errorBody('not_found', 'no such route')));
    })().catch(() => send(500, JSON.stringify(errorBody('internal', 'internal server error'))));
  });
}
