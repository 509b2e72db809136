import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { API_ROUTES, DEVICE_COOKIE, errorBodySchema, type ApiRoute } from '@rxscan/contracts';

/** Answers web gives before any service sees the request. */
const GATE: Record<Exclude<ApiRoute['access'], 'public'>, ZodOpenApiResponsesObject> = {
  device: {
    401: { description: 'No valid device token or admin secret (the same answer whatever was asked)', content: { 'application/json': { schema: errorBodySchema } } },
    429: { description: 'Too many requests from this device (see `Retry-After`)', content: { 'application/json': { schema: errorBodySchema } } },
  },
  admin: {
    401: { description: 'No valid admin secret', content: { 'application/json': { schema: errorBodySchema } } },
    403: { description: 'A device token: only the admin secret may manage devices (`admin_only`)', content: { 'application/json': { schema: errorBodySchema } } },
  },
};

function operation(name: string, route: ApiRoute): ZodOpenApiOperationObject {
  const responses: ZodOpenApiResponsesObject = route.access === 'public' ? {} : { ...GATE[route.access] };
  for (const [status, r] of Object.entries(route.responses)) {
    const type = r.contentType ?? 'application/json';
    responses[status as `${1 | 2 | 3 | 4 | 5}${string}`] = {
      description: r.description,
      ...(status !== '204' && status !== '101' && { content: { [type]: r.schema ? { schema: r.schema } : {} } }),
    };
  }
  return {
    operationId: name,
    summary: route.summary,
    ...(route.description && { description: route.description }),
    tags: [route.service],
    security: route.access === 'public' ? [] : route.access === 'admin' ? [{ bearerToken: [] }] : [{ deviceCookie: [] }, { bearerToken: [] }],
    ...((route.params || route.query) && { requestParams: { ...(route.params && { path: route.params }), ...(route.query && { query: route.query }) } }),
    ...(route.body && { requestBody: { required: true, content: { [route.body.contentType]: { schema: route.body.schema } } } }),
    responses,
  };
}

/**
 * The OpenAPI 3.1 description of every route under /meds, generated from the route
 * declarations and zod schemas in @rxscan/contracts: the same ones the services
 * register and validate with, so the document cannot describe another API.
 */
export function openApiDocument(version = '0.1.0'): ReturnType<typeof createDocument> {
  const paths: ZodOpenApiPathsObject = {};
  for (const [name, route] of Object.entries(API_ROUTES as Record<string, ApiRoute>)) {
    paths[route.path] = { ...paths[route.path], [route.method]: operation(name, route) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'RxScan',
      version,
      description:
        'A self-hosted prescription-label scanner. Every route is reached through the web server (one origin); ' +
        'it checks the caller before a service sees the request.',
    },
    servers: [{ url: '/', description: 'the web server RxScan is opened at' }],
    tags: [
      { name: 'ingest', description: 'The upload' },
      { name: 'med-store', description: 'Scans, the medication list, devices' },
    ],
    components: {
      securitySchemes: {
        deviceCookie: { type: 'apiKey', in: 'cookie', name: DEVICE_COOKIE, description: 'Set by pairing, for the tablet’s browser' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'A device token (returned once by pairing) or the admin secret' },
      },
    },
    paths,
  });
}
