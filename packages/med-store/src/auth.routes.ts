import Router from '@koa/router';
import type { Context } from 'koa';
import { API_ROUTES, DEVICE_COOKIE, koaPath, UNAUTHORIZED, type PairedView, type SessionView } from '@rxscan/contracts';
import { httpError, tokenOf } from '@rxscan/service-kit';
import type { DeviceRegistry } from './device.repository.js';

/** Browsers cap a cookie's life at 400 days; each session check renews it. */
const COOKIE_MAX_AGE_MS = 400 * 24 * 3600_000;

/** The same answer for a missing, unknown or revoked token: it says nothing about what exists. */
const unauthorized = () => httpError(401, UNAUTHORIZED.error.code, UNAUTHORIZED.error.message);

function setDeviceCookie(ctx: Context, token: string | null): void {
  ctx.cookies.set(DEVICE_COOKIE, token ?? '', {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    // Behind an ingress that ends TLS (X-Forwarded-Proto: https) the cookie never goes out in clear.
    secure: ctx.secure,
    overwrite: true,
    ...(token ? { maxAge: COOKIE_MAX_AGE_MS } : { maxAge: 0, expires: new Date(0) }),
  });
}

/**
 * Pairing, sessions and devices. These routes check credentials themselves, because
 * they need to know who is asking; the rest of /meds is guarded by the web gateway.
 */
export function authRoutes(registry: DeviceRegistry): Router {
  const router = new Router();

  async function sessionOf(ctx: Context): Promise<{ session: SessionView; token: string }> {
    const token = tokenOf(ctx.req.headers, DEVICE_COOKIE);
    const session = token ? await registry.session(token) : null;
    if (!session || !token) throw unauthorized();
    return { session, token };
  }

  async function requireAdmin(ctx: Context): Promise<void> {
    const { session } = await sessionOf(ctx);
    if (session.kind !== 'admin') throw httpError(403, 'admin_only', 'only the admin secret can manage devices');
  }

  router.get(koaPath(API_ROUTES.getSession), async (ctx) => {
    const { session, token } = await sessionOf(ctx);
    ctx.set('Cache-Control', 'no-store');
    // A tablet that keeps using the app keeps its cookie.
    if (session.kind === 'device' && !ctx.get('Authorization')) setDeviceCookie(ctx, token);
    ctx.body = session;
  });

  router.post(koaPath(API_ROUTES.pair), async (ctx) => {
    const parsed = API_ROUTES.pair.body.schema.safeParse(ctx.request.body ?? {});
    if (!parsed.success) throw httpError(400, 'invalid_pairing', 'send { "code": "ABCD-EFGH", "name": "Kitchen tablet" }');
    const paired = await registry.pair(parsed.data.code, parsed.data.name ?? 'Tablet');
    if (!paired) throw httpError(400, 'invalid_pairing_code', 'that pairing code is wrong, used or expired; ask for a new one');
    setDeviceCookie(ctx, paired.token);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = paired satisfies PairedView;
  });

  /** "Forget this tablet": the device revokes its own token. */
  router.delete(koaPath(API_ROUTES.forgetDevice), async (ctx) => {
    const { session } = await sessionOf(ctx);
    if (session.device) await registry.revoke(session.device.id);
    setDeviceCookie(ctx, null);
    ctx.status = 204;
  });

  router.post(koaPath(API_ROUTES.makePairingCode), async (ctx) => {
    await requireAdmin(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = await registry.createPairingCode();
  });

  router.get(koaPath(API_ROUTES.listDevices), async (ctx) => {
    await requireAdmin(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await registry.list();
  });

  router.delete(koaPath(API_ROUTES.revokeDevice), async (ctx) => {
    await requireAdmin(ctx);
    if (!(await registry.revoke(ctx.params.id!))) throw httpError(404, 'device_not_found', `no paired device with id ${ctx.params.id}`);
    ctx.status = 204;
  });

  return router;
}
