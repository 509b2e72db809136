import type { Middleware } from 'koa';
import { API_ROUTES, errorBody, type ApiRoute } from '@rxscan/contracts';

/** Each med-store route with parameters in its path: its method, a pattern that captures them, their names, and the schema they are declared with. */
const WITH_PARAMS = (Object.values(API_ROUTES) as ApiRoute[])
  .filter((r) => r.service === 'med-store' && r.params)
  .map((r) => ({
    method: r.method.toUpperCase(),
    pattern: new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '([^/]+)')}/?$`),
    names: [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
    schema: r.params!,
  }));

/** Paths served as they are (`/meds/medications/deleted`): never taken for an id. */
const LITERAL = new Set((Object.values(API_ROUTES) as ApiRoute[]).filter((r) => !r.path.includes('{')).map((r) => `${r.method.toUpperCase()} ${r.path}`));

const decoded = (raw: string): string | null => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
};

/**
 * A path parameter that its route's declared schema refuses (an id that is not the shape of an
 * id the system makes: a NUL, a quote, a thousand characters, broken percent-encoding; a photo
 * index out of range) names nothing: 404, before any route looks it up in the database.
 */
export const pathIdMiddleware: Middleware = async (ctx, next) => {
  const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  if (LITERAL.has(`${method} ${ctx.path.replace(/(.)\/$/, '$1')}`)) return next();
  for (const route of WITH_PARAMS) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(ctx.path);
    if (!m) continue;
    const values = m.slice(1).map(decoded);
    if (values.every((v) => v !== null) && route.schema.safeParse(Object.fromEntries(route.names.map((n, i) => [n, values[i]]))).success) break;
    ctx.status = 404;
    ctx.body = errorBody('not_found', 'nothing has that id: an id is 8 to 64 letters, digits, - or _');
    return;
  }
  await next();
};
