import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, Middleware } from 'koa';
import { UNAUTHORIZED } from '@rxscan/contracts';
import { ConfigError } from './env.config.js';

/**
 * ingest and med-store check who is calling them: web signs every request it forwards
 * (and its own session checks) with the secret the three share, INTERNAL_SECRET. The
 * signature covers the method, the path with its query and the time, so a header seen
 * once cannot be replayed on another route or after `MAX_SKEW_MS`; the secret itself is
 * never sent.
 */
export const INTERNAL_SIGNATURE_HEADER = 'x-rxscan-signature';
/** Which paired device web let through (its id, or "admin"); part of what is signed. ingest shares upload slots by it. */
export const INTERNAL_CALLER_HEADER = 'x-rxscan-device';

/** How far the signer's clock may be from ours (and how long a seen signature could be replayed on the same route). */
const MAX_SKEW_MS = 60_000;

/** Paths every service answers without a caller check: they say whether it runs, and counts (nothing about anyone). */
export const OPEN_PATHS: readonly string[] = ['/healthz', '/readyz', '/metrics'];

const mac = (secret: string, t: string, method: string, url: string, caller: string) =>
  createHmac('sha256', secret).update(`${t}\n${method.toUpperCase()}\n${url}\n${caller}`).digest();

/** The header value that proves a request (for `caller`, the device web let through) comes from a holder of `secret`. */
export function signInternal(secret: string, method: string, url: string, now = Date.now(), caller = ''): string {
  const t = String(now);
  return `t=${t},s=${mac(secret, t, method, url, caller).toString('base64url')}`;
}

/** The headers to add to a request for `method url` (url: path and query). */
export const internalHeaders = (secret: string, method: string, url: string): Record<string, string> => ({
  [INTERNAL_SIGNATURE_HEADER]: signInternal(secret, method, url),
});

/** Whether `header` is a fresh signature of `method url` by a holder of `secret`. */
export function verifyInternal(secret: string, header: string | string[] | undefined, method: string, url: string, now = Date.now(), caller = ''): boolean {
  if (typeof header !== 'string') return false;
  const m = /^t=(\d{1,15}),s=([\w-]{43})$/.exec(header);
  if (!m) return false;
  const [, t, s] = m as unknown as [string, string, string];
  if (Math.abs(now - Number(t)) > MAX_SKEW_MS) return false;
  const given = Buffer.from(s, 'base64url');
  const expected = mac(secret, t, method, url, caller);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Whether a raw request (a WebSocket upgrade) was signed by web. */
export const isSignedRequest = (secret: string, req: IncomingMessage): boolean =>
  verifyInternal(secret, req.headers[INTERNAL_SIGNATURE_HEADER], req.method ?? 'GET', req.url ?? '/', Date.now(), callerOf(req));

/** The caller web named in a request (empty when none). */
export const callerOf = (req: IncomingMessage): string => {
  const v = req.headers[INTERNAL_CALLER_HEADER];
  return typeof v === 'string' ? v : '';
};

/** INTERNAL_SECRET as read from the environment: long enough not to be guessed. */
export function checkInternalSecret(value: string): string {
  if (value.length < 24 || /\s/.test(value)) {
    throw new ConfigError('INTERNAL_SECRET must be at least 24 characters with no spaces (e.g. `openssl rand -base64 32`); npm start makes one in DATA_DIR/internal-secret');
  }
  return value;
}

export interface CallerCheckOptions {
  /** INTERNAL_SECRET: requests web signed with it pass. */
  secret?: string;
  /** A second way in for requests web did not sign: e.g. a valid device token or the admin secret. */
  allow?: (ctx: Context) => Promise<boolean>;
}

/**
 * Koa middleware: 401 (the body the front door gives a stranger) unless the request was
 * signed by web or `allow` accepts it; `OPEN_PATHS` pass.
 */
export function callerCheck({ secret, allow }: CallerCheckOptions): Middleware {
  return async (ctx, next) => {
    if (OPEN_PATHS.includes(ctx.path.replace(/\/+$/, '')) && (ctx.method === 'GET' || ctx.method === 'HEAD')) return next();
    if ((secret && isSignedRequest(secret, ctx.req)) || (allow && (await allow(ctx)))) return next();
    ctx.status = 401;
    ctx.set('WWW-Authenticate', 'Bearer realm="rxscan"');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = UNAUTHORIZED;
  };
}
