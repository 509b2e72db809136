import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import pino, { type Logger } from 'pino';
import { errorMiddleware, notFoundMiddleware } from '@rxscan/service-kit';
import type { WebConfig } from './config.js';
import { healthz, sameOriginWrites, securityHeaders } from './security.middleware.js';
import { serveUi } from './ui-files.middleware.js';
import { createUpstreamProxy } from './upstream.proxy.js';
import { createAuthGate } from './auth.gate.js';

export type WebServerConfig = Pick<WebConfig, 'ingestUrl' | 'medStoreUrl' | 'uiDir' | 'requestsPerMinute' | 'uploadsPerMinute'> &
  Partial<Pick<WebConfig, 'internalSecret'>>;

export interface WebServerOptions {
  log?: Logger;
  /** An upstream silent this long is answered with 502. */
  upstreamTimeoutMs?: number;
  /** Times each request (web.metrics.ts); none in tests that do not look. */
  requestMetrics?: Koa.Middleware;
}

const closers = new WeakMap<Server, () => void>();

/**
 * The one origin the tablet talks to: the built UI, plus /meds/* and the /meds/ws
 * WebSocket proxied to ingest and med-store, as the ingress does in k3s.
 * Not listening yet; call `listen` on it.
 */
export function createWebServer(config: WebServerConfig, options: WebServerOptions = {}): Server {
  const log = options.log ?? pino({ level: 'silent' });
  const gate = createAuthGate({
    medStoreUrl: config.medStoreUrl,
    log,
    requestsPerMinute: config.requestsPerMinute,
    uploadsPerMinute: config.uploadsPerMinute,
    internalSecret: config.internalSecret,
  });
  const proxy = createUpstreamProxy({
    targets: { ingest: config.ingestUrl, 'med-store': config.medStoreUrl },
    log,
    authorizeUpgrade: async (req, socket) => (await gate.authorizeUpgrade(req, socket)) !== null,
    internalSecret: config.internalSecret,
    ...(options.upstreamTimeoutMs !== undefined && { timeoutMs: options.upstreamTimeoutMs }),
  });

  const app = new Koa();
  if (options.requestMetrics) app.use(options.requestMetrics);
  app.use(errorMiddleware(log));
  app.use(securityHeaders);
  app.use(notFoundMiddleware);
  app.use(healthz);
  app.use(sameOriginWrites);
  app.use(gate.middleware);
  app.use(proxy.middleware);
  app.use(serveUi(config.uiDir));
  app.on('error', () => {}); // logged once by errorMiddleware

  const server = createServer(app.callback());
  server.on('upgrade', proxy.upgrade);
  closers.set(server, () => {
    proxy.closeSockets();
    gate.close();
  });
  return server;
}

/**
 * Stops taking connections and resolves once the open ones are gone: idle keep-alive
 * sockets and WebSockets at once, requests still in flight after `graceMs` cut off.
 */
export function closeWebServer(server: Server, graceMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
    closers.get(server)?.();
  });
}

/** Listens and resolves with the URL it can be reached at (the real port when `port` is 0). */
export { listen as listenWebServer } from '@rxscan/service-kit';
