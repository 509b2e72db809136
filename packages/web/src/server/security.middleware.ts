import type { Middleware } from 'koa';
import { errorBody } from '@rxscan/contracts';

/**
 * No inline script or style anywhere: the vite build emits only files, so the page
 * works under this policy and an injected <script> does not run.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // Thumbnails of the photo being sent are blob: URLs.
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: Middleware = async (ctx, next) => {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  await next();
};

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

/**
 * CSRF by design: a browser always sends Origin on a cross-site POST, PATCH or
 * DELETE, so one naming another site is refused before it reaches a service.
 * Requests without Origin (scripts, curl) are not from a page and pass; no CORS
 * headers are ever sent, so other origins cannot read answers either.
 */
export const sameOriginWrites: Middleware = async (ctx, next) => {
  const origin = ctx.get('Origin');
  // Hosts only: behind an ingress that ends TLS the page is https while this server sees http.
  if (!SAFE.has(ctx.method) && origin && hostOf(origin) !== ctx.host) {
    ctx.status = 403;
    ctx.body = errorBody('cross_origin', 'requests that change data must come from this site');
    return;
  }
  await next();
};

export const healthz: Middleware = async (ctx, next) => {
  if (ctx.path !== '/healthz') return next();
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { ok: true };
};
