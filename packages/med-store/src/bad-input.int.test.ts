import net from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { API_ROUTES, MEDICATION_FIELDS, type ApiRoute, type MedicationView, type PersonView, type PushMessage } from '@rxscan/contracts';

import { type MedStoreService } from './med-store.service.js';
import { startMedStoreWorld, type MedStoreWorld } from './med-store.fixture.js';
import { ParkedEventRepository } from './parked-event.repository.js';

const ADMIN = 'rxa_test-admin-secret-of-enough-length';
/** The JSON routes med-store answers (the upload is ingest's; the push channel is fuzzed below). */
const ROUTES = Object.entries(API_ROUTES as Record<string, ApiRoute>)
  .filter(([, r]) => r.service === 'med-store' && r.path !== '/meds/ws')
  .map(([name]) => name);

/** Text as an attacker would send it: every kind of character, control characters, broken surrogates and markup included. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('a\u0000b', '\u001b[2J\u001b]0;pwned\u0007', 'evil\u202Etxt', '\ud800', "'; drop table med; --", '<script>alert(1)</script>', '../../etc/passwd', '%00', '\u0085\u2028', 'x'.repeat(70_000)),
);
/** `s` percent-encoded for a URL, whatever it holds (half a surrogate pair goes as the bytes Node would send). */
const urlEncoded = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
};
/** Any JSON value, deep or odd. */
const value = fc.oneof(nasty, fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(null, true, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, [], {}));
/** A body that is almost right: the fields a route knows, with any values, and unknown or dangerous keys. */
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...MEDICATION_FIELDS, 'person_id', 'new_person', 'of', 'into', 'code', 'medication', '__proto__', 'constructor'), value, { maxKeys: 5 }),
  fc.record({ medication: fc.dictionary(fc.constantFrom(...MEDICATION_FIELDS), value, { maxKeys: 4 }) }),
  value,
);
/** A body that is not JSON at all, or JSON that lies about itself. */
const rawBody = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('{"name": "a', '{"name": "\\u0000"}', '{"name": "\\ud800"}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '{"__proto__": {"admin": true}}', 'null', '1e999', '\u0000'),
  fc.constant(`${'['.repeat(20_000)}${']'.repeat(20_000)}`),
);

describe('bad input to the JSON routes and the push channel: never a 5xx, never a wedged projection', () => {
  let world: MedStoreWorld;
  let svc: MedStoreService;
  let medId: string;
  let personId: string;
  const api = () => request(svc.url);

  beforeAll(async () => {
    world = await startMedStoreWorld({ ready: true, options: { adminToken: ADMIN } });
    ({ svc } = world);
    const person = (await api().post('/meds/people').send({ name: 'Sarah Smith' }).expect(201)).body as PersonView;
    personId = person.id;
    medId = ((await api().post('/meds/medications').send({ name: 'Metformin', person_id: personId }).expect(201)).body as MedicationView).id;
  });
  afterAll(() => world?.stop());

  /** After any of it: alive, ready, nothing parked (the API let no poison through), and a person's change is applied and read back. */
  async function stillWritable(name: string): Promise<void> {
    expect((await api().get('/healthz')).status).toBe(200);
    const ready = await api().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ projection: 'moving', parked: 0 });
    const target = ((await api().post('/meds/medications').send({ name: 'Check' }).expect(201)).body as MedicationView).id;
    const patched = await api().patch(`/meds/medications/${target}`).send({ name });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe(name);
    expect(await new ParkedEventRepository(svc.orm).open()).toBe(0);
  }

  it('answers every random request to every JSON route below 500, in JSON', async () => {
    const pathId = fc.oneof(fc.constant(medId), fc.constant(personId), nasty.map(urlEncoded), fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2e%2e%2f', 'a'.repeat(300)));
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(pathId, { minLength: 2, maxLength: 2 }),
        fc.oneof(body.map((b) => ({ json: b })), rawBody.map((raw) => ({ raw }))),
        fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'),
        fc.dictionary(fc.constantFrom('seq', 'status', 'limit', 'person'), nasty.map(urlEncoded), { maxKeys: 2 }),
        fc.boolean(),
        async (name, [a, b], payload, contentType, query, admin) => {
          const route = (API_ROUTES as Record<string, ApiRoute>)[name]!;
          let i = 0;
          const path = route.path.replace(/\{\w+\}/g, () => (i++ === 0 ? a! : b!));
          const qs = Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&');
          let req = api()[route.method](`${path}${qs ? `?${qs}` : ''}`);
          if (admin) req = req.set('Authorization', `Bearer ${ADMIN}`);
          const sent = 'json' in payload ? JSON.stringify(payload.json) ?? 'null' : payload.raw;
          const res = await req.set('content-type', 'json' in payload ? 'application/json' : contentType).send(sent);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${route.method} ${path} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
          // A URL past Node's 16 KB header limit is refused by its HTTP parser (431) before any middleware: no body to check.
          if (res.status >= 400 && res.status !== 431) expect(res.body.error?.code, `${route.method} ${path}${qs ? `?${qs}` : ''} → ${res.status} ${res.text.slice(0, 200)}`).toEqual(expect.any(String));
        },
      ),
      { numRuns: 1000, interruptAfterTimeLimit: 60_000 },
    );
    // The run reached the routes (not only their refusals).
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    await stillWritable('After the JSON fuzz');
  });

  /** Opens the push channel; resolves once open. */
  const openPush = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${svc.url.replace(/^http/, 'ws')}/meds/ws`);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });

  /** Upgrades a raw TCP connection to the push channel, then writes `bytes` as they are: frames no client library would make. */
  const rawFrames = (bytes: Uint8Array) =>
    new Promise<void>((resolve) => {
      const { port } = new URL(svc.url);
      const sock = net.connect(Number(port), '127.0.0.1', () => {
        sock.write('GET /meds/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
      });
      let upgraded = false;
      sock.on('data', (d) => {
        if (!upgraded && d.toString().startsWith('HTTP/1.1 101')) {
          upgraded = true;
          sock.write(bytes);
          setTimeout(() => sock.destroy(), 20);
        }
      });
      sock.on('error', () => {});
      sock.on('close', () => resolve());
    });

  it('survives random frames on the push channel, and a listening tablet still gets every change', async () => {
    const listener = await openPush();
    const pushed: PushMessage[] = [];
    listener.on('message', (data) => void pushed.push(JSON.parse(String(data)) as PushMessage));

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(nasty, fc.uint8Array({ maxLength: 300 }), fc.constant(new Uint8Array(10_000))), { maxLength: 5 }),
        async (frames) => {
          const ws = await openPush();
          const closed = new Promise((r) => ws.once('close', r));
          ws.on('error', () => {});
          for (const f of frames) if (ws.readyState === ws.OPEN) ws.send(f);
          ws.close();
          await closed;
        },
      ),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 200 }),
          // A frame header claiming 2^63 bytes, an unmasked frame, reserved bits, an unknown opcode.
          fc.constantFrom(Uint8Array.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Uint8Array.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]), Uint8Array.from([0xf1, 0x80, 0, 0, 0, 0]), Uint8Array.from([0x8b, 0x80, 1, 2, 3, 4])),
        ),
        async (bytes) => rawFrames(bytes),
      ),
      { numRuns: 60 },
    );

    expect(listener.readyState).toBe(listener.OPEN);
    await stillWritable('After the frame fuzz');
    await expect.poll(() => pushed.some((m) => m.type === 'medication' && m.medication.name === 'After the frame fuzz')).toBe(true);
    listener.close();
  });
});
