import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { UNAUTHORIZED, errorBody, type ErrorBody } from '@rxscan/contracts';
import { callerOf, INTERNAL_SIGNATURE_HEADER, signInternal } from '@rxscan/service-kit';
import { PUSH_PATH, UPSTREAM_LABEL, upstreamFor, type Upstream } from './upstream.rule.js';
import { canonicalPath } from './perimeter.middleware.js';

/** Forwards /meds requests and the push WebSocket to the service that owns them. */
export interface UpstreamProxy {
  /** Koa middleware: proxies /meds/* and leaves everything else to the next middleware. */
  middleware: Middleware;
  /** For the http server's 'upgrade' event. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every proxied WebSocket; an upgraded socket would otherwise hold server.close() open. */
  closeSockets(): void;
}

export interface UpstreamProxyOptions {
  targets: Record<Upstream, URL>;
  log: Logger;
  /** An upstream silent this long is given up on (502). */
  timeoutMs?: number;
  /** Decides whether a WebSocket upgrade may go through (false: 401, or the refusal to give); throws when it cannot tell (502). */
  authorizeUpgrade?: (req: IncomingMessage, socket: Duplex) => Promise<boolean | UpgradeRefusal>;
  /** INTERNAL_SECRET: every forwarded request and upgrade is signed with it (ingest and med-store refuse others). */
  internalSecret?: string;
}

/** Why an upgrade is refused, as the HTTP answer written on the raw socket. */
export interface UpgradeRefusal {
  status: number;
  reason: string;
  body: ErrorBody;
  retryAfterS?: number;
}

const unavailableBody = (upstream: Upstream): string =>
  JSON.stringify(errorBody('upstream_unavailable', `${UPSTREAM_LABEL[upstream]} is not answering; try again in a moment`));

function answerUnavailable(res: ServerResponse, upstream: Upstream): void {
  const body = unavailableBody(upstream);
  res.writeHead(502, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** An upgrade refused before any WebSocket exists: a plain HTTP answer on the raw socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, body: string, extraHeaders = ''): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n${extraHeaders}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function createUpstreamProxy({ targets, log, timeoutMs = 60_000, authorizeUpgrade = async () => true, internalSecret }: UpstreamProxyOptions): UpstreamProxy {
  // The request body is piped, never buffered, so a large photo costs no memory here.
  const proxy = httpProxy.createProxyServer({ xfwd: true, proxyTimeout: timeoutMs });
  const target = (u: Upstream) => targets[u].origin;
  const sockets = new Set<Duplex>();
  const upgraded = new WeakSet<Duplex>();

  // Signed here, after the gate let it through; a signature header sent by the client is replaced.
  const sign = (proxyReq: { setHeader(name: string, value: string): void; removeHeader(name: string): void }, req: IncomingMessage) => {
    if (internalSecret) proxyReq.setHeader(INTERNAL_SIGNATURE_HEADER, signInternal(internalSecret, req.method ?? 'GET', req.url ?? '/', Date.now(), callerOf(req)));
    else proxyReq.removeHeader(INTERNAL_SIGNATURE_HEADER);
  };
  proxy.on('proxyReq', (proxyReq, req) => sign(proxyReq, req));

  // http-proxy ends the other side only on a clean close; tie the two sockets together
  // so that a tablet dropping off the Wi-Fi does not leave a connection open to med-store.
  proxy.on('proxyReqWs', (proxyReq, req, socket) => {
    sign(proxyReq, req);
    proxyReq.on('upgrade', (_res, proxySocket) => {
      upgraded.add(socket);
      socket.once('close', () => proxySocket.destroy());
      proxySocket.once('close', () => socket.destroy());
    });
  });

  const middleware: Middleware = async (ctx, next) => {
    const upstream = upstreamFor(ctx.method, ctx.path);
    if (!upstream) return next();
    ctx.respond = false;
    const { req, res } = ctx;
    await new Promise<void>((resolve) => {
      res.once('close', resolve);
      proxy.web(req, res, { target: target(upstream) }, (err) => {
        log.warn({ err, upstream, method: req.method, path: ctx.path }, 'upstream unavailable');
        if (res.headersSent) res.destroy();
        else answerUnavailable(res, upstream);
      });
    });
  };

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => log.debug({ err }, 'websocket client socket error'));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = canonicalPath(url.pathname);
    if (path !== PUSH_PATH) {
      refuseUpgrade(socket, 404, 'Not Found', JSON.stringify(errorBody('not_found', `no WebSocket at ${path}`)));
      return;
    }
    // Browsers send Origin on every WebSocket; a page on another site must not listen in.
    const origin = req.headers.origin;
    if (origin && URL.canParse(origin) ? new URL(origin).host !== req.headers.host : Boolean(origin)) {
      refuseUpgrade(socket, 403, 'Forbidden', JSON.stringify(errorBody('cross_origin', 'the push channel is for this site only')));
      return;
    }
    req.url = `${path}${url.search}`; // the spelling med-store knows, and the one signed
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    authorizeUpgrade(req, socket).then(
      (allowed) => {
        if (!allowed) return refuseUpgrade(socket, 401, 'Unauthorized', JSON.stringify(UNAUTHORIZED));
        if (allowed !== true) {
          const retry = allowed.retryAfterS ? `Retry-After: ${allowed.retryAfterS}\r\n` : '';
          return refuseUpgrade(socket, allowed.status, allowed.reason, JSON.stringify(allowed.body), retry);
        }
        proxy.ws(req, socket, head, { target: target('med-store') }, (err) => {
          log.warn({ err, upstream: 'med-store', path }, 'websocket upstream unavailable');
          if (upgraded.has(socket)) socket.destroy();
          else refuseUpgrade(socket, 502, 'Bad Gateway', unavailableBody('med-store'));
        });
      },
      (err: unknown) => {
        log.warn({ err, path }, 'websocket session check failed');
        refuseUpgrade(socket, 502, 'Bad Gateway', unavailableBody('med-store'));
      },
    );
  }

  function closeSockets(): void {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    proxy.close();
  }

  return { middleware, upgrade, closeSockets };
}
