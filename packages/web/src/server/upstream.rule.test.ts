import { describe, expect, it } from 'vitest';
import { upstreamFor } from './upstream.rule.js';

describe('upstreamFor', () => {
  it('sends only the upload to ingest', () => {
    expect(upstreamFor('POST', '/meds/extract')).toBe('ingest');
    expect(upstreamFor('GET', '/meds/extract')).toBe('med-store');
    expect(upstreamFor('POST', '/meds/extract/abc/retry')).toBe('med-store');
  });

  it('sends every other /meds path to med-store', () => {
    for (const path of ['/meds', '/meds/medications', '/meds/extract/abc/status', '/meds/ws']) {
      expect(upstreamFor('GET', path)).toBe('med-store');
    }
    expect(upstreamFor('DELETE', '/meds/medications/x')).toBe('med-store');
  });

  it('keeps the rest for the web server', () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/healthz', '/medsfoo', '/api/meds']) {
      expect(upstreamFor('GET', path)).toBeNull();
    }
  });
});
