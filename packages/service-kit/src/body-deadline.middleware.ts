import type { Context, Middleware } from 'koa';
import { errorBody } from '@rxscan/contracts';

/** How long a JSON body may take to arrive, from the request's headers to its last byte. */
export const JSON_BODY_DEADLINE_MS = 15_000;
/** The same for a photo upload (15 MB over a poor Wi-Fi link). */
export const UPLOAD_BODY_DEADLINE_MS = 60_000;

/**
 * Cuts off a request whose body trickles in: 408 with the JSON error body, then the
 * connection is closed. Node's own limit (server.requestTimeout) is 5 minutes and answers
 * without a body; a client sending a byte a second would otherwise hold a socket and a
 * parser that long. `deadlineMs` picks the time per request (0: no deadline).
 */
export function bodyDeadline(deadlineMs: (ctx: Context) => number): Middleware {
  return async (ctx, next) => {
    const { req, res } = ctx;
    const ms = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined ? deadlineMs(ctx) : 0;
    if (!ms || req.complete) return next();
    const timer = setTimeout(() => {
      if (req.complete || res.writableEnded) return;
      if (!res.headersSent) {
        const body = JSON.stringify(errorBody('request_timeout', `the request body did not arrive within ${Math.round(ms / 1000)} s; try again`));
        res.writeHead(408, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
        res.end(body, () => req.socket.destroy());
      } else req.socket.destroy();
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    res.once('close', clear);
    try {
      await next();
    } finally {
      if (req.complete) clear();
    }
  };
}
