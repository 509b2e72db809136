import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { API_ROUTES, DEVICE_COOKIE, errorBodySchema, type ApiRoute } from '@rxscan/contracts';

const errorJson = (description: string) => ({ description, content: { 'application/json': { schema: errorBodySchema } } });

/** What web answers for any route before it is known which (the Host, what Node cannot parse). */
const PERIMETER: ZodOpenApiResponsesObject = {
  400: errorJson('Not well-formed HTTP (`bad_request`), or what the route itself refuses'),
  421: errorJson('A Host this server does not go by (`unknown_host`): set PUBLIC_URL or ALLOWED_HOSTS'),
  431: errorJson('Request line and headers over 16 KB (`headers_too_large`)'),
};
/** … and for a route that takes a body. */
const WITH_BODY: Record<'application/json' | 'multipart/form-data', ZodOpenApiResponsesObject> = {
  'application/json': {
    408: errorJson('The body did not arrive within 15 s (`request_timeout`)'),
    411: errorJson('A body without Content-Length (`length_required`)'),
    413: errorJson('A body over 64 KB (`body_too_large`)'),
  },
  'multipart/form-data': { 408: errorJson('The photos did not arrive within 60 s (`request_timeout`)') },
};

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
  const responses: ZodOpenApiResponsesObject = { ...PERIMETER, ...(route.body && WITH_BODY[route.body.contentType]), ...(route.access === 'public' ? {} : GATE[route.access]) };
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
