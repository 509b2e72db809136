import { describe, expect, it } from 'vitest';
import { webRouteOf } from './web.metrics.js';

describe('the route label of a request', () => {
  it.each([
    ['GET', '/meds/extract/0b9c1e3a-6f1d-4a59-9b1e-2f1d7c1e9a77/status', '/meds/extract/{job_id}/status'],
    ['POST', '/meds/extract', '/meds/extract'],
    ['PATCH', '/meds/medications/abc123456', '/meds/medications/{id}'],
    ['DELETE', '/meds/medications/abc123456', '/meds/medications/{id}'],
    ['GET', '/meds/openapi.json', '/meds/openapi.json'],
    ['GET', '/meds/no-such-thing/123', '/meds/*'],
    ['PUT', '/meds/extract', '/meds/*'],
    ['GET', '/healthz', '/healthz'],
    ['GET', '/assets/index-BF-wIJya.js', 'ui'],
    ['GET', '/', 'ui'],
  ])('%s %s is %s, never the raw path', (method, path, label) => {
    expect(webRouteOf(method, path)).toBe(label);
  });
});
