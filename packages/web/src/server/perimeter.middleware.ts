import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Middleware } from 'koa';
import { errorBody } from '@rxscan/contracts';

/**
 * One spelling per route: `//meds//devices/ID/` is `/meds/devices/ID`. Done first, on the
 * URL itself, so the gate, the routing to ingest or med-store and the request forwarded
 * all see the same path (a revoke through a trailing slash takes effect at once).
 */
export function canonicalPath(pathname: string): string {
  const collapsed = pathname.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, '') : collapsed;
}

export const canonicalUrl: Middleware = async (ctx, next) => {
  const canonical = canonicalPath(ctx.path);
  if (canonical !== ctx.path) ctx.path = canonical; // Koa rewrites req.url, query kept
  await next();
};

/** The name part of a Host header (`[::1]:8080` → `::1`, `Tablet.Local:80` → `tablet.local`). */
export function hostName(host: string | undefined): string | null {
  if (!host) return null;
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(host) ?? /^([^:]+)(?::\d+)?$/.exec(host);
  return m ? m[1]!.toLowerCase().replace(/\.$/, '') : null;
}

/**
 * Whether a request names this server. A page on another site that rebinds its DNS name
 * to this address (DNS rebinding) still sends its own name in Host, so only the names
 * this server answers to pass: PUBLIC_URL's, ALLOWED_HOSTS, its listen address and host
 * name, localhost, and any IP address (an address cannot be rebound).
 */
export function hostAllowed(allowed: ReadonlySet<string>, host: string | undefined): boolean {
  const name = hostName(host);
  if (!name) return false;
  return isIP(name) !== 0 || allowed.has(name);
}

export function hostAllowList(allowed: ReadonlySet<string>): Middleware {
  return async (ctx, next) => {
    if (hostAllowed(allowed, ctx.get('Host'))) return next();
    ctx.status = 421;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = errorBody('unknown_host', `this server does not answer to "${hostName(ctx.get('Host')) ?? ''}"; open it by its address, or set PUBLIC_URL (or ALLOWED_HOSTS) to the name you use`);
  };
}

/** JSON bodies the API takes are small (med-store reads at most 64 KB); uploads have their own limit at ingest. */
export const MAX_JSON_BYTES = 64 * 1024;
/** What a refused body may still send before the connection is cut (read so the client sees the answer). */
const MAX_DRAIN_BYTES = 32 * 1024 * 1024;

const hasBody = (req: IncomingMessage) => req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;

/** Reads and drops the rest of a refused body, so the client gets the answer rather than a reset; cut off past a bound. */
function drain(req: IncomingMessage): void {
  let read = 0;
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > MAX_DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
}

/**
 * Bodies of /meds requests other than the upload: 413 when Content-Length says more than
 * `MAX_JSON_BYTES` (answered here, before anything reaches med-store), 411 for a body
 * without a length (web forwards bodies as they stream and will not pass on one of
 * unknown size).
 */
export function jsonBodyLimit(isUpload: (method: string, path: string) => boolean, maxBytes = MAX_JSON_BYTES): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/meds') || isUpload(ctx.method, ctx.path) || !hasBody(ctx.req)) return next();
    const declared = ctx.req.headers['content-length'];
    if (declared === undefined) {
      ctx.status = 411;
      ctx.body = errorBody('length_required', 'send the request body with a Content-Length');
      drain(ctx.req);
      return;
    }
    if (Number(declared) > maxBytes) {
      ctx.status = 413;
      ctx.body = errorBody('body_too_large', `the request body is ${declared} bytes; at most ${maxBytes} are accepted`);
      drain(ctx.req);
      return;
    }
    await next();
  };
}
