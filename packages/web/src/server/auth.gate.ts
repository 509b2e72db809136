import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DEVICE_COOKIE, UNAUTHORIZED, errorBody, type SessionView } from '@rxscan/contracts';
import { INTERNAL_CALLER_HEADER, tokenOf } from '@rxscan/service-kit';
import { AuthUnavailableError, createSessionClient, tokenKey as hashOf } from './session.client.js';
import type { UpgradeRefusal } from './upstream.proxy.js';

const PAIR_PATH = '/meds/auth/pair';
/** Push sockets one token may hold open at once: a tablet needs one (a few with several tabs). */
export const MAX_SOCKETS_PER_TOKEN = 8;

export interface AuthGateOptions {
  /** med-store, which keeps the devices and answers `GET /meds/auth/session`. */
  medStoreUrl: URL;
  log: Logger;
  /** Requests per minute one device may make (the admin secret is not limited). */
  requestsPerMinute: number;
  /** Uploads per minute one device may make. */
  uploadsPerMinute: number;
  /** Pairing attempts per minute from one address: a code cannot be guessed in its lifetime. */
  pairAttemptsPerMinute?: number;
  /** How long a verified token is trusted before med-store is asked again. */
  cacheMs?: number;
  /** How long a token med-store accepted still works while med-store does not answer. */
  staleMs?: number;
  /** INTERNAL_SECRET, to sign the session checks. */
  internalSecret?: string;
}

export interface AuthGate {
  /** Koa middleware for /meds/*: 401 without a valid token, 429 over a device's rate. */
  middleware: Middleware;
  /**
   * Whether a WebSocket upgrade may go through: true, false (401), or a 429 when the device
   * is over its request rate (upgrades count like requests) or holds too many sockets;
   * throws when med-store cannot be asked.
   */
  authorizeUpgrade(req: IncomingMessage, socket: Duplex): Promise<boolean | UpgradeRefusal>;
  close(): void;
}

/**
 * The front door: every /meds request and the push WebSocket need a paired device's
 * token or the admin secret. med-store owns the devices; this gate asks it and trusts
 * the answer for a few seconds, longer while med-store does not answer (session.client.ts). ingest and med-store are reachable only from here
 * (loopback under `npm start`, a NetworkPolicy in k3s).
 */
export function createAuthGate(options: AuthGateOptions): AuthGate {
  const { log } = options;
  const cacheMs = options.cacheMs ?? 5000;
  const sessions = createSessionClient({ medStoreUrl: options.medStoreUrl, log, freshMs: cacheMs, staleMs: options.staleMs, internalSecret: options.internalSecret });
  const sessionOf = (token: string) => sessions.sessionOf(token);
  /** Open push sockets by token hash, so a revoked device stops hearing at once. */
  const sockets = new Map<string, Set<Duplex>>();
  const tokenBySocket = new WeakMap<Duplex, string>();
  const perDevice = new RateLimiterMemory({ keyPrefix: 'device', points: options.requestsPerMinute, duration: 60 });
  const uploads = new RateLimiterMemory({ keyPrefix: 'upload', points: options.uploadsPerMinute, duration: 60 });
  const pairing = new RateLimiterMemory({ keyPrefix: 'pair', points: options.pairAttemptsPerMinute ?? 10, duration: 60 });

  /** A device revoked (by itself or the admin) through this gate: forget it and close its sockets now. */
  function forget(predicate: (session: SessionView, key: string) => boolean): void {
    for (const key of sessions.forget(predicate)) for (const socket of sockets.get(key) ?? []) socket.destroy();
  }

  // Other gates (replicas) revoke too: re-check the tokens of open sockets as their cache entries expire.
  const sweep = setInterval(() => {
    for (const set of sockets.values()) {
      const token = [...set].map((s) => tokenBySocket.get(s)).find(Boolean);
      if (!token) continue;
      sessionOf(token)
        .then((session) => {
          if (!session) for (const socket of set) socket.destroy();
        })
        .catch(() => {}); // med-store away: keep the sockets; they die with it anyway
    }
  }, cacheMs);
  sweep.unref();

  async function limited(limiter: RateLimiterMemory, key: string): Promise<number> {
    try {
      await limiter.consume(key);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw res;
    }
  }

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== '/meds' && !ctx.path.startsWith('/meds/')) return next();
    if (ctx.path === PAIR_PATH && ctx.method === 'POST') {
      const wait = await limited(pairing, ctx.ip);
      if (wait) return tooMany(ctx, wait, 'too many pairing attempts; wait a minute and try again');
      return next();
    }
    delete ctx.req.headers[INTERNAL_CALLER_HEADER]; // only this gate names the caller
    const token = tokenOf(ctx.req.headers, DEVICE_COOKIE);
    let session: SessionView | null = null;
    try {
      session = token ? await sessionOf(token) : null;
    } catch (err) {
      log.warn({ err }, 'session check failed');
      ctx.status = 502;
      ctx.body = errorBody('upstream_unavailable', 'the medication list service is not answering; try again in a moment');
      return;
    }
    if (!session) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="rxscan"');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = UNAUTHORIZED;
      return;
    }
    // Named to ingest and med-store (signed with the request): ingest shares upload slots by it.
    ctx.req.headers[INTERNAL_CALLER_HEADER] = session.device?.id ?? 'admin';
    if (session.device) {
      const id = session.device.id;
      const wait = (await limited(perDevice, id)) || (ctx.path === '/meds/extract' && ctx.method === 'POST' ? await limited(uploads, id) : 0);
      if (wait) return tooMany(ctx, wait, 'this device is sending too many requests; wait a moment');
    }
    await next();
    // Revocations made through this gate take effect here at once, not after the cache expires
    // (the path is canonical by now: no trailing or doubled slash, canonicalUrl in perimeter.middleware.ts).
    const revoked = /^\/meds\/devices\/([^/]+)$/.exec(ctx.path);
    if (ctx.method === 'DELETE' && ctx.res.statusCode === 204) {
      if (revoked) forget((s) => s.device?.id === decodeURIComponent(revoked[1]!));
      else if (ctx.path === '/meds/auth/session') forget((_s, key) => key === hashOf(token!));
    }
  };

  async function authorizeUpgrade(req: IncomingMessage, socket: Duplex): Promise<boolean | UpgradeRefusal> {
    delete req.headers[INTERNAL_CALLER_HEADER];
    const token = tokenOf(req.headers, DEVICE_COOKIE);
    const session = token ? await sessionOf(token) : null;
    if (!session || !token) return false;
    req.headers[INTERNAL_CALLER_HEADER] = session.device?.id ?? 'admin';
    const key = hashOf(token);
    const tooMany = (retryAfterS: number, message: string): UpgradeRefusal => ({ status: 429, reason: 'Too Many Requests', body: errorBody('rate_limited', message), retryAfterS });
    if (session.device) {
      const wait = await limited(perDevice, session.device.id);
      if (wait) return tooMany(wait, 'this device is sending too many requests; wait a moment');
    }
    if ((sockets.get(key)?.size ?? 0) >= MAX_SOCKETS_PER_TOKEN) return tooMany(5, `this device already has ${MAX_SOCKETS_PER_TOKEN} push channels open; close one`);
    const set = sockets.get(key) ?? new Set<Duplex>();
    sockets.set(key, set.add(socket));
    tokenBySocket.set(socket, token);
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0) sockets.delete(key);
    });
    return true;
  }

  return {
    middleware,
    authorizeUpgrade: (req, socket) =>
      authorizeUpgrade(req, socket).catch((err: unknown) => {
        if (err instanceof AuthUnavailableError) throw err;
        throw new AuthUnavailableError('session check failed', { cause: err });
      }),
    close: () => clearInterval(sweep),
  };
}

function tooMany(ctx: Parameters<Middleware>[0], retryAfterS: number, message: string): void {
  ctx.status = 429;
  ctx.set('Retry-After', String(retryAfterS));
  ctx.body = errorBody('rate_limited', message);
}
