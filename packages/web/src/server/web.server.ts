import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import Koa from 'koa';
import pino, { type Logger } from 'pino';
import { errorBody } from '@rxscan/contracts';
import { bodyDeadline, errorMiddleware, JSON_BODY_DEADLINE_MS, notFoundMiddleware, UPLOAD_BODY_DEADLINE_MS } from '@rxscan/service-kit';
import type { WebConfig } from './config.js';
import { healthz, sameOriginWrites, securityHeaders } from './security.middleware.js';
import { serveUi } from './ui-files.middleware.js';
import { createUpstreamProxy, refuseUpgrade } from './upstream.proxy.js';
import { canonicalUrl, hostAllowed, hostAllowList, jsonBodyLimit } from './perimeter.middleware.js';
import { upstreamFor } from './upstream.rule.js';
import { createAuthGate } from './auth.gate.js';

export type WebServerConfig = Pick<WebConfig, 'ingestUrl' | 'medStoreUrl' | 'uiDir' | 'requestsPerMinute' | 'uploadsPerMinute'> &
  Partial<Pick<WebConfig, 'internalSecret' | 'allowedHosts'>>;

export interface WebServerOptions {
  log?: Logger;
  /** An upstream silent this long is answered with 502. */
  upstreamTimeoutMs?: number;
  /** Times each request (web.metrics.ts); none in tests that do not look. */
  requestMetrics?: Koa.Middleware;
  /** How long a request body may take to arrive (JSON, upload); default 15 s and 60 s. */
  bodyDeadlineMs?: { json: number; upload: number };
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
    authorizeUpgrade: (req, socket) => gate.authorizeUpgrade(req, socket),
    internalSecret: config.internalSecret,
    ...(options.upstreamTimeoutMs !== undefined && { timeoutMs: options.upstreamTimeoutMs }),
  });

  const isUpload = (method: string, path: string) => upstreamFor(method, path) === 'ingest';
  const deadline = options.bodyDeadlineMs ?? { json: JSON_BODY_DEADLINE_MS, upload: UPLOAD_BODY_DEADLINE_MS };
  const allowedHosts = config.allowedHosts && new Set(config.allowedHosts);

  const app = new Koa();
  app.use(canonicalUrl);
  if (options.requestMetrics) app.use(options.requestMetrics);
  app.use(errorMiddleware(log));
  app.use(securityHeaders);
  if (allowedHosts) app.use(hostAllowList(allowedHosts));
  app.use(notFoundMiddleware);
  app.use(healthz);
  app.use(bodyDeadline((ctx) => (isUpload(ctx.method, ctx.path) ? deadline.upload : deadline.json)));
  app.use(sameOriginWrites);
  app.use(jsonBodyLimit(isUpload));
  app.use(gate.middleware);
  app.use(proxy.middleware);
  app.use(serveUi(config.uiDir));
  app.on('error', () => {}); // logged once by errorMiddleware

  const server = createServer(app.callback());
  // Node's own backstop behind the deadlines above (its default is 5 minutes).
  server.requestTimeout = 2 * deadline.upload;
  server.on('upgrade', (req, socket, head) => {
    if (allowedHosts && !hostAllowed(allowedHosts, req.headers.host)) {
      socket.on('error', () => {});
      return refuseUpgrade(socket, 421, 'Misdirected Request', JSON.stringify(errorBody('unknown_host', 'this server does not answer to that name')));
    }
    proxy.upgrade(req, socket, head);
  });
  server.on('clientError', answerClientError);
  closers.set(server, () => {
    proxy.closeSockets();
    gate.close();
  });
  return server;
}

/** What Node's parser refuses before any middleware runs, answered in the same JSON shape as everything else. */
const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request line and headers are larger than 16 KB'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'the request took too long to arrive'],
};

/**
 * Node answers a request it cannot parse (a URL or headers over 16 KB, bad framing) with a bare
 * status line; a client that reads every error as JSON then gets nothing to show. Same status,
 * with the error body.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const [status, reason, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'bad_request', 'the request is not well-formed HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
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
