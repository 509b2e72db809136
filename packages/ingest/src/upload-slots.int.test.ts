import http from 'node:http';
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent, type Bus } from '@rxscan/bus';
import { INTERNAL_CALLER_HEADER, internalHeaders, LocalImageStorage, signInternal, INTERNAL_SIGNATURE_HEADER } from '@rxscan/service-kit';
import { distinctPhoto, labelFixture, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';
import { createIngestApp } from './ingest.app.js';

const SECRET = 'upload-slots-test-secret-0123456789';
const BOUNDARY = 'rxscan-boundary';

/** Headers web would send for `device`: its id, signed with the request. */
const asDevice = (device: string) => ({
  [INTERNAL_CALLER_HEADER]: device,
  [INTERNAL_SIGNATURE_HEADER]: signInternal(SECRET, 'POST', '/meds/extract', Date.now(), device),
});

describe('upload slots at ingest are shared between devices', () => {
  let nats: TestNats;
  let bus: Bus;
  let dir: TempDir;
  let server: http.Server;
  let port: number;
  let jpeg: Buffer;
  const held: net.Socket[] = [];

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await testBus(nats.url);
    dir = await tempDir();
    jpeg = await readFile(labelFixture('dev-000-clean').image);
    const app = createIngestApp({
      store: await new LocalImageStorage(path.join(dir.path, 'images')).init(),
      log: pino({ level: 'silent' }),
      limits: { maxUploadBytes: 4 * 1024 * 1024, maxPixels: 50e6, maxConcurrentUploads: 4 },
      busReady: () => true,
      internalSecret: SECRET,
      publishRequested: async (event) => (await publishEvent(bus.js, { type: 'ocr.requested', data: event })).seq,
    });
    server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await bus?.close();
    await nats?.dispose();
    await dir?.remove();
  });

  /** An upload from `device` that sends its start and then waits: it holds a slot. */
  function holdSlot(device: string): Promise<void> {
    return new Promise((resolve) => {
      const headers = { ...asDevice(device), host: 'ingest', 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': '5000000' };
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.write(`POST /meds/extract HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n--${BOUNDARY}\r\n`);
        // Taken once the server has started on it: give it a moment to count the slot.
        setTimeout(resolve, 200);
      });
      sock.on('error', () => {});
      held.push(sock);
    });
  }

  async function upload(device: string): Promise<{ status: number; code?: string }> {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(distinctPhoto(jpeg))], { type: 'image/jpeg' }), 'label.jpg');
    const res = await fetch(`http://127.0.0.1:${port}/meds/extract`, { method: 'POST', body: form, headers: asDevice(device) });
    const body = (await res.json()) as { error?: { code: string } };
    return { status: res.status, code: body.error?.code };
  }

  it('lets one device hold at most half the slots, while another device still gets in', async () => {
    // The greedy tablet starts uploads that never finish.
    await holdSlot('greedy-tablet');
    await holdSlot('greedy-tablet');
    expect(await upload('greedy-tablet')).toEqual({ status: 429, code: 'too_many_uploads' });
    // Everyone else is still served.
    expect((await upload('kitchen-tablet')).status).toBe(202);
    expect((await upload('hall-phone')).status).toBe(202);
  });

  it('refuses an upload web did not sign, or whose device was swapped after signing', async () => {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(distinctPhoto(jpeg))], { type: 'image/jpeg' }), 'label.jpg');
    expect((await fetch(`http://127.0.0.1:${port}/meds/extract`, { method: 'POST', body: form })).status).toBe(401);
    const swapped = { ...asDevice('greedy-tablet'), [INTERNAL_CALLER_HEADER]: 'someone-else' };
    expect((await fetch(`http://127.0.0.1:${port}/meds/extract`, { method: 'POST', body: form, headers: swapped })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/meds/extract`, { method: 'POST', body: form, headers: internalHeaders(SECRET, 'POST', '/meds/extract') })).status).toBe(202);
  });
});
