/** The services behind the one origin the tablet talks to. */
export type Upstream = 'ingest' | 'med-store';

/** Where the WebSocket push channel lives (served by med-store). */
export const PUSH_PATH = '/meds/ws';

/**
 * Which service answers a request, as the k3s ingress routes it: the upload to
 * ingest, everything else under /meds to med-store; null for the web server itself.
 */
export function upstreamFor(method: string, path: string): Upstream | null {
  if (path === '/meds/extract' && method === 'POST') return 'ingest';
  if (path === '/meds' || path.startsWith('/meds/')) return 'med-store';
  return null;
}

/** Plain words for the tablet when a service does not answer. */
export const UPSTREAM_LABEL: Record<Upstream, string> = {
  ingest: 'the scanner (upload) service',
  'med-store': 'the medication list service',
};
