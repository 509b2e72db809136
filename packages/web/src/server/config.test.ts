import { describe, expect, it } from 'vitest';
import { ConfigError } from '@rxscan/service-kit';
import { loadConfig } from './config.js';

const SECRET = 'test-internal-secret-0123456789';

describe('loadConfig', () => {
  it('has defaults for a single machine', () => {
    const c = loadConfig({ INTERNAL_SECRET: SECRET });
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', logLevel: 'info', metricsPort: 8084, metricsHost: '127.0.0.1' });
    expect(c.ingestUrl.origin).toBe('http://127.0.0.1:8081');
    expect(c.medStoreUrl.origin).toBe('http://127.0.0.1:8082');
    expect(c.uiDir).toMatch(/ui\/$/);
  });

  it('reads the environment', () => {
    const c = loadConfig({ INTERNAL_SECRET: SECRET, PORT: '0', HOST: '0.0.0.0', INGEST_URL: 'http://ingest:8081', MED_STORE_URL: 'https://med-store' });
    expect(c).toMatchObject({ port: 0, host: '0.0.0.0', metricsHost: '0.0.0.0' });
    expect(loadConfig({ INTERNAL_SECRET: SECRET, HOST: '0.0.0.0', WEB_METRICS_PORT: '0', WEB_METRICS_HOST: '127.0.0.1' })).toMatchObject({ metricsPort: 0, metricsHost: '127.0.0.1' });
    expect(c.ingestUrl.host).toBe('ingest:8081');
    expect(c.medStoreUrl.origin).toBe('https://med-store');
  });

  it.each([
    [{ PORT: '80a' }, /^PORT must be a whole number/],
    [{ PORT: '70000' }, /^PORT /],
    [{ INGEST_URL: 'ingest:8081' }, /^INGEST_URL must (be a URL|start with http)/],
    [{ MED_STORE_URL: 'ftp://x' }, /^MED_STORE_URL must start with http/],
    [{ MED_STORE_URL: 'http://x/api' }, /^MED_STORE_URL must be just scheme, host and port/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ INTERNAL_SECRET: '' }, /^INTERNAL_SECRET must be set/],
    [{ INTERNAL_SECRET: 'short' }, /^INTERNAL_SECRET must be at least 24 characters/],
  ])('refuses %o naming the variable', (partial, message) => {
    const env = { INTERNAL_SECRET: SECRET, ...partial };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
