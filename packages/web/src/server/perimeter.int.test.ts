import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { INTERNAL_CALLER_HEADER, INTERNAL_SIGNATURE_HEADER, isSignedRequest } from '@rxscan/service-kit';
import { closeWebServer, createWebServer, listenWebServer } from './web.server.js';
import { MAX_SOCKETS_PER_TOKEN } from './auth.gate.js';

const SECRET = 'perimeter-test-secret-0123456789';
const TOKEN = 'rxd_good-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const listenOnFreePort = (server: Server) => listenWebServer(server, 0, '127.0.0.1');

interface Seen {
  method: string;
  url: string;
  signed: boolean;
  caller: string | undefined;
  bytes: number;
}

/** A stand-in upstream that checks web's signature as ingest and med-store do, and records what reached it. */
function upstream(seen: Seen[]): Server {
  return createServer((req: IncomingMessage, res) => {
    const signed = isSignedRequest(SECRET, req);
    if (req.url === '/meds/auth/session') {
      const ok = signed && req.headers.authorization === AUTH.authorization;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(ok ? { kind: 'device', device: { id: 'dev-1', name: 'Kitchen', created_at: '', last_seen_at: null } } : { error: { code: 'unauthorized' } }));
    }
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, signed, caller: req.headers[INTERNAL_CALLER_HEADER] as string | undefined, bytes });
      res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'content-type': 'application/json' });
      res.end(req.method === 'DELETE' ? undefined : JSON.stringify({ ok: true }));
    });
  });
}

/** A raw HTTP exchange, so Host and the pace of the body are ours to choose; resolves with what came back. */
function raw(base: string, text: string, thenWrite?: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve) => {
    const sock = net.connect(Number(port), '127.0.0.1', () => {
      sock.write(text);
      if (thenWrite) setTimeout(() => sock.write(thenWrite), 50);
    });
    let got = '';
    sock.on('data', (d) => {
      got += d.toString();
      // One answer is all we wait for.
      if (/\r\n\r\n/.test(got)) {
        const length = /content-length: (\d+)/i.exec(got);
        const body = got.split('\r\n\r\n')[1] ?? '';
        if (!length || Buffer.byteLength(body) >= Number(length[1])) sock.destroy();
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => resolve(got));
  });
}

function upgradeStatus(base: string, headers: Record<string, string>, path = '/meds/ws'): Promise<number | WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}${path}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!));
    ws.once('error', reject);
  });
}

describe('web server: the perimeter', () => {
  const seen: Seen[] = [];
  const ingest = upstream(seen);
  const medStore = upstream(seen);
  const wss = new WebSocketServer({ server: medStore, path: '/meds/ws', verifyClient: (info: { req: IncomingMessage }) => isSignedRequest(SECRET, info.req) });
  let web: Server;
  let base: string;
  const open: WebSocket[] = [];

  beforeAll(async () => {
    web = createWebServer(
      {
        ingestUrl: new URL(await listenOnFreePort(ingest)),
        medStoreUrl: new URL(await listenOnFreePort(medStore)),
        uiDir: '/nonexistent',
        requestsPerMinute: 40,
        uploadsPerMinute: 1000,
        internalSecret: SECRET,
        allowedHosts: ['localhost', 'rxscan.home.example'],
      },
      { bodyDeadlineMs: { json: 400, upload: 2000 } },
    );
    base = await listenOnFreePort(web);
  });
  afterAll(async () => {
    for (const ws of open) ws.terminate();
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await closeWebServer(web, 500);
    for (const s of [ingest, medStore]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('signs every request it forwards, names the device, and replaces a signature the client sent', async () => {
    const res = await fetch(`${base}/meds/medications?x=1`, { headers: { ...AUTH, [INTERNAL_SIGNATURE_HEADER]: 'forged', [INTERNAL_CALLER_HEADER]: 'someone-else' } });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ url: '/meds/medications?x=1', signed: true, caller: 'dev-1' });
  });

  it('treats a trailing or doubled slash as the same route: forwarded canonical, so a revoke through it counts at once', async () => {
    expect((await fetch(`${base}/meds/devices/dev-9/`, { method: 'DELETE', headers: AUTH })).status).toBe(204);
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/meds/devices/dev-9', signed: true });
    expect((await fetch(`${base}/meds//medications/`, { headers: AUTH })).status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ url: '/meds/medications' });
    const ws = await upgradeStatus(base, AUTH, '/meds/ws/');
    expect(ws).toBeInstanceOf(WebSocket);
    open.push(ws as WebSocket);
  });

  it('answers 421 to a Host it does not go by (DNS rebinding), and serves its names and any IP address', async () => {
    const get = (host: string) => raw(base, `GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    const refused = await get('evil.example:8080');
    expect(refused).toMatch(/^HTTP\/1.1 421/);
    expect(refused).toContain('"code":"unknown_host"');
    for (const host of ['localhost:8080', 'RXScan.home.example', '192.168.1.20:8080', '[::1]:8080', '127.0.0.1']) expect(await get(host), host).toMatch(/^HTTP\/1.1 200/);
    expect(await upgradeStatus(base, { ...AUTH, host: 'evil.example' })).toBe(421);
  });

  it('answers 431 and 400 as JSON for what Node cannot parse (a 20 KB URL, a broken request line), and serves the next request', async () => {
    const long = await raw(base, `GET /meds/medications?q=${'x'.repeat(20 * 1024)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(long).toMatch(/^HTTP\/1.1 431/);
    expect(long).toContain('"code":"headers_too_large"');
    const broken = await raw(base, 'NOT HTTP AT ALL\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1.1 400/);
    expect(broken).toContain('"code":"bad_request"');
    expect((await fetch(`${base}/meds/medications`, { headers: AUTH })).status).toBe(200);
  });

  it('answers 413 JSON for an oversized JSON body (70 KB, 20 MB) without passing it on', async () => {
    const before = seen.length;
    for (const size of [70 * 1024, 20 * 1024 * 1024]) {
      const res = await fetch(`${base}/meds/medications`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(size) }) });
      expect(res.status, `${size} bytes`).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
    }
    expect(seen.length).toBe(before);
  });

  it('cuts off a JSON body that trickles in with 408 JSON', async () => {
    const answer = await raw(
      base,
      `POST /meds/medications HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"name":`,
      '"a',
    );
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(answer).toContain('"code":"request_timeout"');
  });

  it('counts WebSocket upgrades against the device rate and caps its open sockets', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await upgradeStatus(base, AUTH);
      if (r instanceof WebSocket) {
        open.push(r);
        statuses.push(101);
      } else statuses.push(r);
    }
    // A few sockets at most, then refusals: a device cannot pile up hundreds.
    expect(statuses.filter((s) => s === 101).length).toBeLessThanOrEqual(MAX_SOCKETS_PER_TOKEN);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
    // Over the per-minute rate now: plain requests of that device are refused too.
    expect((await fetch(`${base}/meds/medications`, { headers: AUTH })).status).toBe(429);
  });
});
