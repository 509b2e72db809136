import type { Middleware } from 'koa';
import { API_ROUTES, errorBody, isRecordId, type ApiRoute } from '@rxscan/contracts';

/** Each med-store route with ids in its path: its method and a pattern that captures them. */
const WITH_IDS = (Object.values(API_ROUTES) as ApiRoute[])
  .filter((r) => r.service === 'med-store' && r.path.includes('{'))
  .map((r) => ({
    method: r.method.toUpperCase(),
    pattern: new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '([^/]+)')}/?$`),
    /** The path's parameters in order; `index` (a photo of a scan) is a small number, not an id. */
    names: [...r.path.matchAll(/\{(\w+)\}/g)].map((p) => p[1]!),
  }));

const decoded = (raw: string): string | null => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
};

const validParam = (name: string, raw: string): boolean => (name === 'index' ? /^\d{1,2}$/.test(raw) : isRecordId(decoded(raw)));

/**
 * An id in the path that is not the shape of an id the system makes (a NUL, a quote, a
 * thousand characters, broken percent-encoding) names nothing: 404, before any route looks
 * it up in the database.
 */
export const pathIdMiddleware: Middleware = async (ctx, next) => {
  const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  for (const route of WITH_IDS) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(ctx.path);
    if (!m) continue;
    if (m.slice(1).every((raw, i) => validParam(route.names[i]!, raw))) break;
    ctx.status = 404;
    ctx.body = errorBody('not_found', 'no such id: an id is 8 to 64 letters, digits, - or _');
    return;
  }
  await next();
};
