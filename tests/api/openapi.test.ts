/**
 * The OpenAPI document: valid OpenAPI 3.1, and describing every /meds route the
 * services actually register (a route added to a router but not to API_ROUTES fails here).
 */
import type Koa from 'koa';
import pino from 'pino';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '@rxscan/contracts';
import { createIngestApp } from '@rxscan/ingest';
import { createMedStoreApp, openApiDocument } from '@rxscan/med-store';

interface RouterLayer {
  path: string | RegExp;
  methods: string[];
}

/** `METHOD /path/{param}` for every route a Koa app's routers register. */
function servedRoutes(app: Koa): string[] {
  const out: string[] = [];
  for (const mw of app.middleware as ((...a: unknown[]) => unknown)[]) {
    const router = (mw as unknown as { router?: { stack: RouterLayer[] } }).router;
    for (const layer of router?.stack ?? []) {
      if (typeof layer.path !== 'string') continue;
      const path = layer.path.replace(/:(\w+)/g, '{$1}');
      // HEAD comes with every GET.
      for (const m of layer.methods.filter((x) => x !== 'HEAD')) out.push(`${m.toLowerCase()} ${path}`);
    }
  }
  return out;
}

const log = pino({ level: 'silent' });
// The apps are only built, never called: their routes are what is looked at.
const medStore = createMedStoreApp({ log, devices: {} as never, busReady: () => true } as never);
const ingest = createIngestApp({ log, limits: { maxUploadBytes: 1, maxPixels: 1 }, busReady: () => true } as never);
const documented = (doc: ReturnType<typeof openApiDocument>) =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) => Object.keys(item as object).filter((k) => ['get', 'post', 'patch', 'put', 'delete'].includes(k)).map((m) => `${m} ${path}`));

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every /meds route med-store and ingest serve', () => {
    const served = [...servedRoutes(medStore), ...servedRoutes(ingest)].filter((r) => r.split(' ')[1]!.startsWith('/meds'));
    // If the walk found nothing, the router internals changed and this test would check nothing.
    expect(served.length).toBeGreaterThanOrEqual(Object.keys(API_ROUTES).length - 1);
    const doc = documented(openApiDocument());
    expect(served.filter((r) => !doc.includes(r))).toEqual([]);
  });

  it('describes no route that nobody serves (the push channel is the one WebSocket)', () => {
    const served = new Set([...servedRoutes(medStore), ...servedRoutes(ingest)]);
    expect(documented(openApiDocument()).filter((r) => !served.has(r))).toEqual(['get /meds/ws']);
  });

  it('declares what web answers before a route is known (421, 431) and, for a JSON body, 408/411/413', () => {
    const paths = openApiDocument().paths as Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: { content: Record<string, unknown> } }>>;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['421', '431']));
        if (op.requestBody?.content['application/json']) expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['408', '411', '413']));
      }
    }
  });

  it('names every body a client author would generate a type from', () => {
    const schemas = Object.keys(openApiDocument().components?.schemas ?? {});
    for (const name of ['JobStatusView', 'ExtractAccepted', 'MedicationView', 'MedicationEdit', 'ErrorBody', 'PairedView', 'DeviceView']) expect(schemas).toContain(name);
  });
});
