import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ExtractAccepted, JobStatusView } from '@rxscan/contracts';
import { distinctPhoto, eventually, labelFixture, startSystem, type RunningSystem } from '@rxscan/test-utils';
import { internalHeaders } from '@rxscan/service-kit';
import { DeviceRegistry, openDatabase } from '@rxscan/med-store';

/** A raw HTTP exchange, so Host and the pace of the body are ours to choose; resolves with all that came back. */
function rawHttp(url: string, head: string, body = ''): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname, () => sock.write(head + body));
    let got = '';
    sock.on('data', (d) => (got += d.toString()));
    sock.on('error', () => {});
    sock.on('close', () => resolve(got));
  });
}

const photoForm = async () => {
  const form = new FormData();
  form.append('image', new Blob([distinctPhoto(await readFile(labelFixture('dev-000-clean').image))], { type: 'image/jpeg' }), 'label.jpg');
  return form;
};

/** Opens the push channel; resolves with the socket once open, or the HTTP status that refused it. */
function openPush(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/meds/ws`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode!));
    ws.once('error', reject);
  });
}

const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });

describe('who may use the running system', () => {
  let sys: RunningSystem;
  let stored: () => Promise<string[]>;
  beforeAll(async () => {
    // Listening on every interface, as a home server would to reach the tablets; started
    // with the usual umask 022, under which files come out readable by every local user.
    const umask = process.umask(0o022);
    try {
      sys = await startSystem({ env: { HOST: '0.0.0.0', MEDS_ADMIN_TOKEN: '', INTERNAL_SECRET: '' } });
    } finally {
      process.umask(umask);
    }
    stored = () => readdir(path.join(sys.dataDir, 'prescription_images')).catch(() => []);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('makes the admin secret on first start, shows it once, and keeps it readable by its owner only', async () => {
    const token = await sys.adminToken();
    expect(token).toMatch(/^rxa_[\w-]{40,}$/);
    expect((await stat(path.join(sys.dataDir, 'admin-token'))).mode & 0o777).toBe(0o600);
    expect(sys.output.join('\n').split(token).length - 1).toBe(1);
  });

  it('answers a stranger 401 on every /meds route and the push channel, and keeps nothing they send', async () => {
    const device = await sys.pair('Kitchen tablet');
    const job = (await (await fetch(`${sys.url}/meds/extract`, { method: 'POST', body: await photoForm(), headers: device.headers })).json()) as ExtractAccepted;
    const before = await stored();

    const strangers: Record<string, string>[] = [{}, { authorization: 'Bearer rxd_guessed' }, { cookie: 'rxscan_device=rxd_guessed' }, { authorization: `Bearer ${device.token}x` }];
    for (const headers of strangers) {
      const requests: [string, RequestInit][] = [
        ['/meds/medications', {}],
        ['/meds/jobs', {}],
        [`/meds/extract/${job.job_id}/status`, {}],
        [`/meds/extract/${job.job_id}/image`, {}],
        [`/meds/extract/${job.job_id}/retry`, { method: 'POST' }],
        ['/meds/extract', { method: 'POST', body: await photoForm() }],
        ['/meds/medications', { method: 'POST', body: JSON.stringify({ name: 'Injected' }), headers: { 'content-type': 'application/json' } }],
        ['/meds/devices', {}],
        ['/meds/devices/pairing-codes', { method: 'POST' }],
        ['/meds/no-such-thing', {}],
      ];
      for (const [route, init] of requests) {
        const res = await fetch(`${sys.url}${route}`, { ...init, headers: { ...headers, ...(init.headers as object) } });
        expect(res.status, `${init.method ?? 'GET'} ${route}`).toBe(401);
        // The same words whether the thing exists or not.
        expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'this device is not paired; enter a pairing code' } });
      }
      expect(await openPush(sys.url, headers)).toBe(401);
    }
    expect(await stored()).toEqual(before);
    const meds = await (await fetch(`${sys.url}/meds/medications`, { headers: device.headers })).json();
    expect(JSON.stringify(meds)).not.toContain('Injected');
  });

  it('pairs a tablet with a code from `ops pair`; its cookie opens the API, the photos and the push channel', async () => {
    const printed = await sys.ops('pair');
    const code = /pairing code: ([A-Z2-9]{4}-[A-Z2-9]{4})/.exec(printed)![1]!;
    const res = await fetch(`${sys.url}/meds/auth/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: sys.url },
      body: JSON.stringify({ code, name: 'Hall tablet' }),
    });
    expect(res.status).toBe(201);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^rxscan_device=rxd_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const asTablet = { cookie: cookie.split(';')[0]!, origin: sys.url };

    const upload = await fetch(`${sys.url}/meds/extract`, { method: 'POST', body: await photoForm(), headers: asTablet });
    expect(upload.status).toBe(202);
    const { job_id } = (await upload.json()) as ExtractAccepted;
    const status = await fetch(`${sys.url}/meds/extract/${job_id}/status`, { headers: asTablet });
    expect(((await status.json()) as JobStatusView).job_id).toBe(job_id);
    const image = await fetch(`${sys.url}/meds/extract/${job_id}/image`, { headers: asTablet });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\//);
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');

    const ws = await openPush(sys.url, asTablet);
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();

    const again = await fetch(`${sys.url}/meds/auth/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name: 'Stranger' }) });
    expect(again.status).toBe(400);
  });

  it('lets only the admin secret make codes and see the devices', async () => {
    const device = await sys.pair('Bedroom tablet');
    expect((await fetch(`${sys.url}/meds/devices`, { headers: device.headers })).status).toBe(403);
    expect((await fetch(`${sys.url}/meds/devices/pairing-codes`, { method: 'POST', headers: device.headers })).status).toBe(403);
    const admin = { authorization: `Bearer ${await sys.adminToken()}` };
    const list = (await (await fetch(`${sys.url}/meds/devices`, { headers: admin })).json()) as { name: string }[];
    expect(list.map((d) => d.name)).toEqual(expect.arrayContaining(['Kitchen tablet', 'Hall tablet', 'Bedroom tablet']));
    expect(JSON.stringify(list)).not.toMatch(/rxd_|token/);
    expect((await fetch(`${sys.url}/meds/devices/pairing-codes`, { method: 'POST', headers: admin })).status).toBe(201);
  });

  it('shuts a revoked device out at once, its open push channel included', async () => {
    const device = await sys.pair('Lost tablet');
    expect((await fetch(`${sys.url}/meds/medications`, { headers: device.headers })).status).toBe(200);
    const ws = (await openPush(sys.url, device.headers)) as WebSocket;
    const closed = new Promise((resolve) => ws.once('close', resolve));

    const admin = { authorization: `Bearer ${await sys.adminToken()}` };
    expect((await fetch(`${sys.url}/meds/devices/${device.device.id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect((await fetch(`${sys.url}/meds/medications`, { headers: device.headers })).status).toBe(401);
    await closed;
    expect(await openPush(sys.url, device.headers)).toBe(401);
  });

  it('shuts out a device revoked with `ops revoke` within seconds', async () => {
    const device = await sys.pair('Old phone');
    expect((await fetch(`${sys.url}/meds/medications`, { headers: device.headers })).status).toBe(200);
    const ws = (await openPush(sys.url, device.headers)) as WebSocket;
    const closed = new Promise((resolve) => ws.once('close', resolve));
    expect(await sys.ops('devices')).toMatch(new RegExp(`^${device.device.id}\\s+Old phone`, 'm'));
    expect(await sys.ops('revoke', device.device.id)).toMatch(/revoked/);
    expect(await sys.ops('devices')).not.toContain(device.device.id);
    await eventually(async () => ((await fetch(`${sys.url}/meds/medications`, { headers: device.headers })).status === 401 ? true : undefined), 15_000, 250);
    await closed;
  });

  it('keeps ingest and med-store on loopback, so nobody can walk around the front door', async () => {
    const runtime = JSON.parse(await readFile(path.join(sys.dataDir, 'runtime.json'), 'utf8')) as { urls: Record<string, string> };
    expect(new URL(runtime.urls.ingest!).hostname).toBe('127.0.0.1');
    expect(new URL(runtime.urls.med_store!).hostname).toBe('127.0.0.1');
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!lan) return; // no other interface on this machine: loopback is all there is
    expect(await connects(lan, Number(new URL(sys.url).port))).toBe(true);
    expect(await connects(lan, Number(new URL(runtime.urls.ingest!).port))).toBe(false);
    expect(await connects(lan, Number(new URL(runtime.urls.med_store!).port))).toBe(false);
  });

  it('refuses requests straight to ingest and med-store that web did not sign: routes, photos and the push channel', async () => {
    const { urls } = JSON.parse(await readFile(path.join(sys.dataDir, 'runtime.json'), 'utf8')) as { urls: Record<string, string> };
    const device = await sys.pair('Side door tablet');
    const job = (await (await fetch(`${sys.url}/meds/extract`, { method: 'POST', body: await photoForm(), headers: device.headers })).json()) as ExtractAccepted;
    const before = await stored();
    // No token; a made-up signature; the signature header of some other request.
    const forged = { 'x-rxscan-signature': `t=${Date.now()},s=${'A'.repeat(43)}` };
    for (const headers of [{}, forged, { 'x-rxscan-signature': 'anything' }]) {
      const direct: [string, RequestInit][] = [
        [`${urls.ingest}/meds/extract`, { method: 'POST', body: await photoForm() }],
        [`${urls.med_store}/meds/medications`, {}],
        [`${urls.med_store}/meds/jobs`, {}],
        [`${urls.med_store}/meds/extract/${job.job_id}/status`, {}],
        [`${urls.med_store}/meds/extract/${job.job_id}/image`, {}],
        [`${urls.med_store}/meds/medications`, { method: 'POST', body: JSON.stringify({ name: 'Injected' }), headers: { 'content-type': 'application/json' } }],
        [`${urls.med_store}/meds/auth/pair`, { method: 'POST', body: JSON.stringify({ code: 'ABCD-EFGH' }), headers: { 'content-type': 'application/json' } }],
      ];
      for (const [url, init] of direct) {
        const res = await fetch(url, { ...init, headers: { ...headers, ...(init.headers as object) } });
        expect(res.status, `${init.method ?? 'GET'} ${url}`).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
      }
      expect(await openPush(urls.med_store!, headers)).toBe(401);
    }
    expect(await stored()).toEqual(before);
    // Whether they run says nothing about anyone: open, for probes and Prometheus.
    for (const url of [urls.ingest, urls.med_store]) for (const probe of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${url}${probe}`)).status, `${url}${probe}`).toBe(200);
    // med-store also takes a token it issued itself (scripts on the server); ingest only web's signature.
    expect((await fetch(`${urls.med_store}/meds/medications`, { headers: device.headers })).status).toBe(200);
    expect((await fetch(`${urls.ingest}/meds/extract`, { method: 'POST', body: await photoForm(), headers: device.headers })).status).toBe(401);
    // Through the front door the same device still gets everything.
    expect((await fetch(`${sys.url}/meds/extract/${job.job_id}/image`, { headers: device.headers })).status).toBe(200);
    const ws = await openPush(sys.url, device.headers);
    expect(ws).toBeInstanceOf(WebSocket);
    (ws as WebSocket).close();
  });

  it('keeps DATA_DIR and everything in it readable by its owner only, though started with umask 022', async () => {
    // Something in every corner first: a photo and its display copy, the database and its WAL.
    const device = await sys.pair('Study tablet');
    const job = (await (await fetch(`${sys.url}/meds/extract`, { method: 'POST', body: await photoForm(), headers: device.headers })).json()) as ExtractAccepted;
    expect((await fetch(`${sys.url}/meds/extract/${job.job_id}/image`, { headers: device.headers })).status).toBe(200);
    const seen: string[] = [];
    const open: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const name of await readdir(dir)) {
        const file = path.join(dir, name);
        const st = await lstat(file);
        if (st.isSymbolicLink()) continue;
        seen.push(path.relative(sys.dataDir, file));
        if ((st.mode & 0o077) !== 0) open.push(`${path.relative(sys.dataDir, file)} ${(st.mode & 0o777).toString(8)}`);
        if (st.isDirectory()) await walk(file);
      }
    };
    expect((await stat(sys.dataDir)).mode & 0o777).toBe(0o700);
    await walk(sys.dataDir);
    expect(seen).toEqual(expect.arrayContaining(['meds.sqlite', 'meds.sqlite-wal', 'runtime.json', 'internal-secret', 'admin-token', 'nats-auth.json', 'nats', 'prescription_images', 'display_images']));
    expect(seen.some((f) => f.startsWith('nats/jetstream/'))).toBe(true);
    expect(open).toEqual([]);
  });

  it('revokes through DELETE /meds/devices/ID/ (trailing slash) at once, like without it', async () => {
    const device = await sys.pair('Slashed tablet');
    expect((await fetch(`${sys.url}/meds/medications`, { headers: device.headers })).status).toBe(200);
    const admin = { authorization: `Bearer ${await sys.adminToken()}` };
    expect((await fetch(`${sys.url}/meds/devices/${device.device.id}/`, { method: 'DELETE', headers: admin })).status).toBe(204);
    expect((await fetch(`${sys.url}/meds/medications`, { headers: device.headers })).status).toBe(401);
    expect((await fetch(`${sys.url}/meds/medications/`, { headers: device.headers })).status).toBe(401);
  });

  it('answers 413 JSON for oversized JSON bodies, at web and behind it, and 408 for bodies that trickle in', async () => {
    const device = await sys.pair('Big talker');
    const { urls } = JSON.parse(await readFile(path.join(sys.dataDir, 'runtime.json'), 'utf8')) as { urls: Record<string, string> };
    const secret = (await readFile(path.join(sys.dataDir, 'internal-secret'), 'utf8')).trim();
    for (const size of [70 * 1024, 20 * 1024 * 1024]) {
      const body = JSON.stringify({ name: 'x'.repeat(size) });
      const json = { 'content-type': 'application/json' };
      const atWeb = await fetch(`${sys.url}/meds/medications`, { method: 'POST', headers: { ...device.headers, ...json }, body });
      expect(atWeb.status, `${size} bytes at web`).toBe(413);
      expect(((await atWeb.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
      // Straight to med-store, signed as web would: the same answer, not a 400 for "invalid JSON".
      const behind = await fetch(`${urls.med_store}/meds/medications`, { method: 'POST', headers: { ...internalHeaders(secret, 'POST', '/meds/medications'), ...json }, body });
      expect(behind.status, `${size} bytes at med-store`).toBe(413);
      expect(((await behind.json()) as { error: { code: string } }).error.code).toBe('body_too_large');
    }
    // A body that never finishes: cut off, at web and at med-store alike.
    const slow = (url: string, headers: Record<string, string>) =>
      rawHttp(url, `POST /meds/medications HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Content-Type: application/json\r\nContent-Length: 500\r\n\r\n`, '{"name": "Slo');
    const [web, med] = await Promise.all([slow(sys.url, device.headers), slow(urls.med_store!, internalHeaders(secret, 'POST', '/meds/medications'))]);
    for (const answer of [web, med]) {
      expect(answer).toMatch(/^HTTP\/1.1 408/);
      expect(answer).toContain('"code":"request_timeout"');
    }
  });

  it('answers only to its own names: 421 for a Host another site could rebind to it', async () => {
    const answer = await rawHttp(sys.url, 'GET /meds/medications HTTP/1.1\r\nHost: rebind.evil.example\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1.1 421/);
    expect(answer).toContain('"code":"unknown_host"');
    expect(await rawHttp(sys.url, `GET /healthz HTTP/1.1\r\nHost: localhost:${new URL(sys.url).port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1.1 200/);
  });

  it('serves the tablet page without source maps', async () => {
    const html = await (await fetch(`${sys.url}/`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const res = await fetch(`${sys.url}${asset}`);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toMatch(/sourceMappingURL/);
      expect(res.headers.get('sourcemap')).toBeNull();
      expect((await fetch(`${sys.url}${asset}.map`)).status, `${asset}.map`).toBe(404);
    }
  });

  it('shows device names in `ops devices` with control characters escaped, not obeyed', async () => {
    // Stored before names were checked at the API: written straight into the database.
    const orm = await openDatabase({ url: path.join(sys.dataDir, 'meds.sqlite') });
    try {
      const registry = new DeviceRegistry(orm);
      const { code } = await registry.createPairingCode();
      await registry.pair(code, 'Evil\u001b[2J\u001b]0;pwned\u0007 tab\u202Elet');
    } finally {
      await orm.close();
    }
    const printed = await sys.ops('devices');
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(printed).toContain('Evil\\u{1b}[2J\\u{1b}]0;pwned\\u{07} tab\\u{202e}let');
  });
});
