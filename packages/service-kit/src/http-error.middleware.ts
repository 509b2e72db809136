import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { errorBody } from '@rxscan/contracts';

/** An error meant for the client: its status, a stable code and a message a person can act on. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const httpError = (status: number, code: string, message: string) => new HttpError(status, code, message);

interface StatusError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  code?: string;
  message?: string;
}

/**
 * One error contract for every service: `{ error: { code, message } }`.
 * A 4xx says what was wrong; a 5xx hides its detail from the client and logs it once.
 */
export function errorMiddleware(log: Logger): Middleware {
  return async (ctx: Context, next) => {
    try {
      await next();
    } catch (raw) {
      const err = (raw ?? {}) as StatusError;
      const status = err.status ?? err.statusCode ?? 500;
      if (status >= 500 && !(raw instanceof HttpError)) {
        // An error nobody planned for: the detail goes to the log, never to the client.
        log.error({ err: raw, method: ctx.method, path: ctx.path }, 'request failed');
        ctx.status = 500;
        ctx.body = errorBody('internal', 'internal server error');
        return;
      }
      ctx.status = status;
      ctx.body = errorBody(
        err instanceof HttpError ? err.code : (err.code?.toLowerCase() ?? `http_${status}`),
        err.expose !== false && err.message ? err.message : 'bad request',
      );
    }
  };
}

/**
 * Unmatched routes, and methods a route does not take (the router's 405 and 501), answer with
 * the same JSON shape as every other error (a proxied response is left alone).
 */
export const notFoundMiddleware: Middleware = async (ctx, next) => {
  await next();
  if (ctx.body != null || ctx.respond === false) return;
  if (ctx.status === 404) {
    ctx.status = 404;
    ctx.body = errorBody('not_found', `no route for ${ctx.method} ${ctx.path}`);
  } else if (ctx.status === 405 || ctx.status === 501) {
    const status = ctx.status;
    ctx.body = errorBody(status === 405 ? 'method_not_allowed' : 'not_implemented', `${ctx.method} is not a method ${ctx.path} takes${ctx.response.get('Allow') ? ` (${ctx.response.get('Allow')})` : ''}`);
    ctx.status = status;
  }
};
