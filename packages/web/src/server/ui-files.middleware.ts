import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';
import { errorBody } from '@rxscan/contracts';

/**
 * The built tablet page. Hashed files under /assets never change, so they are cached
 * for a year; index.html is revalidated so a new build is picked up at once.
 */
export function serveUi(uiDir: string): Middleware {
  const files = serve(uiDir, {
    index: 'index.html',
    setHeaders: (res, file) => {
      const immutable = file.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const indexFile = path.join(uiDir, 'index.html');
  return async (ctx, next) => {
    // Source maps are not built (vite.config.ts); one left in the folder is still not served.
    if (ctx.path.endsWith('.map')) return next();
    await files(ctx, next);
    // A server started before `npm run build` should say why the page is missing.
    if (ctx.path === '/' && ctx.body == null && !existsSync(indexFile)) {
      ctx.status = 503;
      ctx.body = errorBody('ui_not_built', 'the tablet page is not built yet: run npm run build');
    }
  };
}
