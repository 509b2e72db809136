import Router from '@koa/router';
import { API_ROUTES, koaPath } from '@rxscan/contracts';
import { openApiDocument } from './openapi.document.js';

/** `GET /meds/openapi.json`: the API description, behind the same device check as the rest of /meds. */
export function openApiRoutes(): Router {
  let document: string | null = null;
  const router = new Router();
  router.get(koaPath(API_ROUTES.openApi), (ctx) => {
    document ??= JSON.stringify(openApiDocument());
    ctx.type = 'application/json';
    ctx.set('Cache-Control', 'private, max-age=300');
    ctx.body = document;
  });
  return router;
}
