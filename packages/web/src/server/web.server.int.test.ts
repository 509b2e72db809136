import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { closeWebServer, createWebServer, listenWebServer } from './web.server.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  sha256: string;
  bytes: number;
}

const LIMITS = { requestsPerMinute: 10_000, uploadsPerMinute: 10_000 };
const listenOnFreePort = (server: Server) => listenWebServer(server, 0, '127.0.0.1');
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** The one token the stand-in med-store knows: a paired device's. */
const TOKEN = 'rxd_good-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const sessionChecks: string[] = [];

/** A stand-in service that records each request, hashing the body as it streams in. */
function recordingUpstream(name: string, seen: Seen[], onFirstChunk?: () => void): Server {
  return createServer((req, res) => {
    if (name === 'med-store' && req.url === '/meds/auth/session') {
      sessionChecks.push(req.headers.authorization ?? '');
      const ok = req.headers.authorization === AUTH.authorization;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(ok ? { kind: 'device', device: { id: 'dev-1', name: 'Kitchen', created_at: '', last_seen_at: null } } : { error: { code: 'unauthorized' } }));
    }
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      if (bytes === 0) onFirstChunk?.();
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, sha256: hash.digest('hex'), bytes });
      res.writeHead(req.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ from: name, url: req.url }));
    });
  });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await listenOnFreePort(s);
  const { port } = s.address() as AddressInfo;
  await closeServer(s);
  return port;
}

describe('web server: one origin for the UI, ingest and med-store', () => {
  const ingestSeen: Seen[] = [];
  const medSeen: Seen[] = [];
  let firstUploadChunk: () => void = () => {};
  const ingest = recordingUpstream('ingest', ingestSeen, () => firstUploadChunk());
  const medStore = recordingUpstream('med-store', medSeen);
  const wss = new WebSocketServer({ server: medStore, path: '/meds/ws' });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${data.toString()}`)));
  let uiDir: string;
  let web: Server;
  let down: Server;
  let base: string;
  let downBase: string;

  beforeAll(async () => {
    uiDir = await mkdtemp(path.join(tmpdir(), 'rxscan-web-ui-'));
    await mkdir(path.join(uiDir, 'assets'));
    await writeFile(path.join(uiDir, 'index.html'), '<!doctype html><html><body><div id="app"></div></body></html>');
    await writeFile(path.join(uiDir, 'assets', 'app-abc123.js'), 'console.log("hi")');
    const ingestUrl = new URL(await listenOnFreePort(ingest));
    const medStoreUrl = new URL(await listenOnFreePort(medStore));
    web = createWebServer({ ingestUrl, medStoreUrl, uiDir, ...LIMITS });
    base = await listenOnFreePort(web);
    const nowhere = new URL(`http://127.0.0.1:${await closedPort()}`);
    down = createWebServer({ ingestUrl: nowhere, medStoreUrl: nowhere, uiDir: path.join(uiDir, 'missing'), ...LIMITS });
    downBase = await listenOnFreePort(down);
  });

  afterAll(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await Promise.all([web, down].filter(Boolean).map((s) => closeWebServer(s, 500)));
    await Promise.all([ingest, medStore].map(closeServer));
    if (uiDir) await rm(uiDir, { recursive: true, force: true });
  });

  it('answers /healthz itself', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('serves the built UI at / with security headers', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toMatch(/<div id="app">/);

    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('answers an unknown path with the JSON error shape', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /nope' } });
  });

  it('sends the upload to ingest with the body intact', async () => {
    const photo = randomBytes(3 * 1024 * 1024);
    const boundary = 'rxscan-test-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="label.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      photo,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${base}/meds/extract`, {
      method: 'POST',
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...AUTH },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ from: 'ingest', url: '/meds/extract' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');

    const got = ingestSeen.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toBe(`multipart/form-data; boundary=${boundary}`);
    expect(got.headers['x-forwarded-for']).toBeDefined();
    expect(got.bytes).toBe(body.length);
    expect(got.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(medSeen.some((s) => s.url === '/meds/extract')).toBe(false);
  });

  it('streams the upload: ingest sees the first bytes before the tablet has sent the last', async () => {
    const body = randomBytes(256 * 1024);
    const firstChunkArrived = new Promise<void>((resolve) => (firstUploadChunk = resolve));
    const { port } = new URL(base);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/meds/extract', headers: { 'content-type': 'application/octet-stream', 'content-length': body.length * 2, ...AUTH } }, resolve);
      req.on('error', reject);
      req.write(body);
      // Only once ingest has seen the first half does the second half go: proof that nothing buffers the whole upload.
      void firstChunkArrived.then(() => req.end(body));
    });
    expect(res.statusCode).toBe(202);
    res.resume();
    const got = ingestSeen.at(-1)!;
    expect(got.bytes).toBe(body.length * 2);
    expect(got.sha256).toBe(createHash('sha256').update(body).update(body).digest('hex'));
  }, 10_000); // a proxy that buffered would wait for the end that never comes: fail fast

  it('sends every other /meds request to med-store, path and query kept', async () => {
    const res = await fetch(`${base}/meds/x?seq=7`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from: 'med-store', url: '/meds/x?seq=7' });

    const del = await fetch(`${base}/meds/medications/abc`, { method: 'DELETE', headers: AUTH });
    expect(await del.json()).toEqual({ from: 'med-store', url: '/meds/medications/abc' });
    const confirm = await fetch(`${base}/meds/medications/abc/confirm`, { method: 'POST', body: '{"medication":{}}', headers: { 'content-type': 'application/json', ...AUTH } });
    expect(confirm.status).toBe(202);
    expect(medSeen.at(-1)).toMatchObject({ method: 'POST', url: '/meds/medications/abc/confirm', bytes: 17 });
  });

  it('proxies the /meds/ws WebSocket to med-store', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/meds/ws`, { headers: AUTH });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.once('open', () => ws.send('ping'));
      ws.once('message', (data) => resolve(data.toString()));
      ws.once('error', reject);
    });
    expect(reply).toBe('echo:ping');
    ws.close();
  });

  it('refuses changes and the push channel asked for by a page on another site', async () => {
    const evil = { origin: 'http://evil.example', ...AUTH };
    const del = await fetch(`${base}/meds/medications/abc`, { method: 'DELETE', headers: evil });
    expect(del.status).toBe(403);
    expect((await del.json()).error.code).toBe('cross_origin');
    expect(medSeen.filter((r) => r.method === 'DELETE' && r.url === '/meds/medications/abc')).toHaveLength(1);
    const same = await fetch(`${base}/meds/medications/abc`, { method: 'DELETE', headers: { origin: base, ...AUTH } });
    expect(same.status).toBe(200);
    // Reading is allowed from anywhere the network reaches; no CORS header lets another site see it.
    const read = await fetch(`${base}/meds/x`, { headers: evil });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();

    const ws = new WebSocket(`${base.replace('http', 'ws')}/meds/ws`, { headers: evil });
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    expect(status).toBe(403);
  });

  it('refuses a WebSocket on any other path', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/elsewhere`);
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    expect(status).toBe(404);
  });

  it('lets nothing under /meds through without a token med-store vouches for, and says nothing about what exists', async () => {
    const before = medSeen.length + ingestSeen.length;
    const wrong = { authorization: 'Bearer rxd_guess' };
    for (const [path, init] of [
      ['/meds/medications', {}],
      ['/meds/medications', { headers: wrong }],
      ['/meds/no-such-route', {}],
      ['/meds/extract/abc/image', { headers: { cookie: 'rxscan_device=rxd_guess' } }],
      ['/meds/extract', { method: 'POST', body: 'x', headers: wrong }],
      ['/meds/medications/abc', { method: 'DELETE', headers: { authorization: 'Basic Zm9vOmJhcg==' } }],
    ] as const) {
      const res = await fetch(`${base}${path}`, init);
      expect(res.status, `${path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/pair/) } });
    }
    expect(medSeen.length + ingestSeen.length).toBe(before);

    const ws = new WebSocket(`${base.replace('http', 'ws')}/meds/ws`, { headers: wrong });
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    expect(status).toBe(401);
    // The pairing endpoint is the one way in without a token.
    const pair = await fetch(`${base}/meds/auth/pair`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(pair.status).toBe(202);
  });

  it('takes the token from the HttpOnly cookie the tablet was given', async () => {
    const res = await fetch(`${base}/meds/x`, { headers: { cookie: `other=1; rxscan_device=${TOKEN}` } });
    expect(res.status).toBe(200);
  });

  it('asks med-store about a token once per few seconds, not on every request', async () => {
    const checks = sessionChecks.length;
    for (let i = 0; i < 5; i++) expect((await fetch(`${base}/meds/x`, { headers: AUTH })).status).toBe(200);
    expect(sessionChecks.length - checks).toBeLessThanOrEqual(1);
  });

  it('limits the requests and uploads of one device, and pairing attempts from one address', async () => {
    const limited = createWebServer({
      ingestUrl: new URL(base),
      medStoreUrl: new URL(`http://127.0.0.1:${(medStore.address() as AddressInfo).port}`),
      uiDir,
      requestsPerMinute: 5,
      uploadsPerMinute: 2,
    });
    const limitedBase = await listenOnFreePort(limited);
    try {
      const upload = () => fetch(`${limitedBase}/meds/extract`, { method: 'POST', body: 'x', headers: AUTH }).then((r) => r.status);
      const read = () => fetch(`${limitedBase}/meds/x`, { headers: AUTH });
      expect([await upload(), await upload(), await upload()]).toEqual([202, 202, 429]);
      expect([(await read()).status, (await read()).status]).toEqual([200, 200]);
      const over = await read();
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await over.json()).error.code).toBe('rate_limited');

      const pair = () => fetch(`${limitedBase}/meds/auth/pair`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }).then((r) => r.status);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push(await pair());
      expect(statuses.slice(0, 10).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await closeWebServer(limited, 500);
    }
  });

  it('answers 502 JSON when an upstream is down, and keeps running', async () => {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(randomBytes(1024))], { type: 'image/jpeg' }), 'label.jpg');
    // med-store, which checks tokens, is down too: the tablet hears 502, not a misleading 401.
    const upload = await fetch(`${downBase}/meds/extract`, { method: 'POST', body: form, headers: AUTH });
    expect(upload.status).toBe(502);
    expect(await upload.json()).toEqual({
      error: { code: 'upstream_unavailable', message: expect.stringMatching(/medication list/) },
    });

    const list = await fetch(`${downBase}/meds/medications`, { headers: AUTH });
    expect(list.status).toBe(502);
    expect(((await list.json()) as { error: { code: string } }).error.code).toBe('upstream_unavailable');

    const ws = new WebSocket(`${downBase.replace('http', 'ws')}/meds/ws`, { headers: AUTH });
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    expect(status).toBe(502);

    expect((await fetch(`${downBase}/healthz`)).status).toBe(200);
  });

  it('says the UI is not built rather than 404 when index.html is missing', async () => {
    const res = await fetch(`${downBase}/`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ui_not_built');
  });

  it('closes promptly with a WebSocket still open', async () => {
    const extra = createWebServer({ ingestUrl: new URL(base), medStoreUrl: new URL(`http://127.0.0.1:${(medStore.address() as AddressInfo).port}`), uiDir, ...LIMITS });
    const extraBase = await listenOnFreePort(extra);
    const ws = new WebSocket(`${extraBase.replace('http', 'ws')}/meds/ws`, { headers: AUTH });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    const started = Date.now();
    await closeWebServer(extra, 5000);
    expect(Date.now() - started).toBeLessThan(1000);
    await closed;
  });
});
