import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import pino, { type Logger } from 'pino';
import type { WebConfig } from './config.js';
import { errorMiddleware, healthz, notFound, sameOriginWrites, securityHeaders } from './http.middleware.js';
import { serveUi } from './ui.static.js';
import { createUpstreamProxy, type UpstreamProxy } from './upstream.proxy.js';

export type WebServerConfig = Pick<WebConfig, 'ingestUrl' | 'medStoreUrl' | 'uiDir'>;

export interface WebServerOptions {
  log?: Logger;
  /** An upstream silent this long is answered with 502. */
  upstreamTimeoutMs?: number;
}

const proxies = new WeakMap<Server, UpstreamProxy>();

/**
 * The one origin the tablet talks to: the built UI, plus /meds/* and the /meds/ws
 * WebSocket proxied to ingest and med-store, as the ingress does in k3s.
 * Not listening yet; call `listen` on it.
 */
export function createWebServer(config: WebServerConfig, options: WebServerOptions = {}): Server {
  const log = options.log ?? pino({ level: 'silent' });
  const proxy = createUpstreamProxy({
    targets: { ingest: config.ingestUrl, 'med-store': config.medStoreUrl },
    log,
    ...(options.upstreamTimeoutMs !== undefined && { timeoutMs: options.upstreamTimeoutMs }),
  });

  const app = new Koa();
  app.use(errorMiddleware(log));
  app.use(securityHeaders);
  app.use(notFound);
  app.use(healthz);
  app.use(sameOriginWrites);
  app.use(proxy.middleware);
  app.use(serveUi(config.uiDir));
  app.on('error', () => {}); // logged once by errorMiddleware

  const server = createServer(app.callback());
  server.on('upgrade', proxy.upgrade);
  proxies.set(server, proxy);
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
    proxies.get(server)?.closeSockets();
  });
}

/** Listens and resolves with the URL it can be reached at (the real port when `port` is 0). */
export { listen as listenWebServer } from '@rxscan/service-kit';
