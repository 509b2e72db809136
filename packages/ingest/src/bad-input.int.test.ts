import http from 'node:http';
import net from 'node:net';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAMS } from '@rxscan/contracts';
import { publishEvent, type Bus } from '@rxscan/bus';
import { LocalImageStorage } from '@rxscan/service-kit';
import { labelFixture, startTestNats, tempDir, testBus, type TempDir, type TestNats } from '@rxscan/test-utils';
import { createIngestApp } from './ingest.app.js';

/** CRC-32 as PNG chunks use it, to forge a header that a decoder believes. */
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A real 1×1 PNG whose header claims `w`×`h` pixels: a decompression bomb's calling card. */
async function pngClaiming(w: number, h: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } }).png().toBuffer();
  png.writeUInt32BE(w, 16);
  png.writeUInt32BE(h, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

describe('bad input: every crafted upload is refused cleanly, leaving nothing behind', () => {
  let nats: TestNats;
  let bus: Bus;
  let dir: TempDir;
  let store: LocalImageStorage;
  let app: ReturnType<typeof createIngestApp>;
  let jpeg: Buffer;
  let freeDisk = Number.MAX_SAFE_INTEGER;

  beforeAll(async () => {
    nats = await startTestNats();
    bus = await testBus(nats.url);
    dir = await tempDir();
    store = await new LocalImageStorage(path.join(dir.path, 'images')).init();
    jpeg = await readFile(labelFixture('dev-000-clean').image);
    app = createIngestApp({
      store,
      log: pino({ level: 'silent' }),
      limits: { maxUploadBytes: 2 * 1024 * 1024, maxScanBytes: 3 * 1024 * 1024, maxPixels: 50e6, maxConcurrentUploads: 4, minFreeDiskBytes: 64 * 1024 * 1024 },
      busReady: () => true,
      freeDiskBytes: async () => freeDisk,
      publishRequested: async (event) => (await publishEvent(bus.js, { type: 'ocr.requested', data: event })).seq,
    });
  });
  afterAll(async () => {
    await bus?.close();
    await nats?.dispose();
    await dir?.remove();
  });

  const state = async () => ({ files: (await readdir(store.dir)).sort(), events: (await bus.jsm.streams.info(STREAMS.OCR)).state.messages });
  const post = () => request(app.callback()).post('/meds/extract');

  it.each([
    ['an empty file', () => post().attach('image', Buffer.alloc(0), 'a.jpg'), 400, 'empty_file'],
    ['a truncated JPEG', () => post().attach('image', jpeg.subarray(0, 5000), 'a.jpg'), 400, 'corrupt_image'],
    ['plain text', () => post().attach('image', Buffer.from('just words'), 'a.jpg'), 400, 'not_an_image'],
    ['an HTML page', () => post().attach('image', Buffer.from('<!doctype html><script>alert(1)</script>'), { filename: 'a.html', contentType: 'text/html' }), 400, 'not_an_image'],
    ['an SVG with a script', () => post().attach('image', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script>alert(1)</script></svg>'), 'a.svg'), 415, 'unsupported_image_type'],
    ['a zip archive', () => post().attach('image', Buffer.from('504b0304140000000800', 'hex'), 'a.jpg'), 400, 'not_an_image'],
    ['a JPEG with a zip appended (polyglot)', () => post().attach('image', Buffer.concat([jpeg, Buffer.from('PK\u0003\u0004 payload')]), 'a.jpg'), 400, 'data_after_image'],
    ['a huge multipart field name', () => post().field('x'.repeat(5000), 'v').attach('image', jpeg, 'a.jpg'), 400, 'field_name_too_long'],
    ['five photos in one scan', () => [1, 2, 3, 4, 5].reduce((r, i) => r.attach('image', jpeg, `${i}.jpg`), post()), 413, 'too_many_images'],
    ['a good photo and a second that is not one', () => post().attach('image', jpeg, 'a.jpg').attach('image', Buffer.from('just words'), 'b.jpg'), 400, 'not_an_image'],
    ['a file in another field', () => post().attach('photo', jpeg, 'a.jpg'), 400, 'unexpected_file_field'],
    ['no file at all', () => post().field('image', 'not a file'), 400, 'missing_image'],
    ['a body that is not multipart', () => post().set('content-type', 'application/json').send('{"image":"x"}'), 415, 'expected_multipart'],
    ['two photos each under the limit but together over the one for a scan', () => post().attach('image', Buffer.concat([jpeg, Buffer.alloc(1.6 * 1024 * 1024)]), 'a.jpg').attach('image', Buffer.concat([jpeg, Buffer.alloc(1.6 * 1024 * 1024)]), 'b.jpg'), 413, 'scan_too_large'],
    ['a file over the size limit', () => post().attach('image', Buffer.concat([jpeg, Buffer.alloc(2.2 * 1024 * 1024)]), 'a.jpg'), 413, 'file_too_large'],
  ])('%s', async (_what, send, status, code) => {
    const before = await state();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error).toEqual({ code, message: expect.any(String) });
    expect(await state()).toEqual(before);
    expect((await post().attach('image', jpeg, 'good.jpg')).status).toBe(202);
  });

  it('a PNG claiming 100000×100000 pixels is refused before it is decoded', async () => {
    const before = await state();
    const res = await post().attach('image', await pngClaiming(100_000, 100_000), 'bomb.png');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('image_too_large');
    expect(await state()).toEqual(before);
  });

  it('a path in the file name changes nothing about where the photo goes', async () => {
    const res = await post().attach('image', jpeg, '../../../../tmp/evil.jpg');
    expect(res.status).toBe(202);
    expect(await readdir(store.dir)).toContain(`${res.body.job_id}.jpg`);
    expect(await readdir(dir.path)).toEqual(['images']);
  });

  it('a PNG named .jpg is stored as what it is', async () => {
    const png = await sharp(jpeg).png().toBuffer();
    const res = await post().attach('image', png, 'photo.jpg');
    expect(res.status).toBe(202);
    expect(await readdir(store.dir)).toContain(`${res.body.job_id}.png`);
  });

  it('refuses with 507 when the photo would eat into the disk margin', async () => {
    freeDisk = 64 * 1024 * 1024 + 50 * 1024;
    try {
      const before = await state();
      const res = await post().attach('image', jpeg, 'a.jpg');
      expect(res.status).toBe(507);
      expect(res.body.error.code).toBe('insufficient_storage');
      expect(await state()).toEqual(before);
    } finally {
      freeDisk = Number.MAX_SAFE_INTEGER;
    }
  });

  it('a declared length past the limit for a scan is refused before the body is read', async () => {
    const server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const before = await state();
      // Only the headers are sent: the answer must come without the 8 MB that were announced.
      const answer = await new Promise<string>((resolve) => {
        const sock = net.connect(port, '127.0.0.1', () => {
          sock.write(`POST /meds/extract HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${8 * 1024 * 1024}\r\n\r\n--b\r\n`);
        });
        let got = '';
        sock.on('data', (d) => {
          got += d.toString();
          if (got.includes('}')) sock.destroy();
        });
        sock.on('close', () => resolve(got));
      });
      expect(answer).toMatch(/^HTTP\/1.1 413/);
      expect(answer).toContain('"code":"scan_too_large"');
      expect(await state()).toEqual(before);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('a slow, never-finished upload is cut off and the next one is served normally', async () => {
    const server = http.createServer({ requestTimeout: 1000, connectionsCheckingInterval: 100 }, app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const closed = await new Promise<string>((resolve) => {
        const sock = net.connect(port, '127.0.0.1', () => {
          sock.write('POST /meds/extract HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n');
        });
        let got = '';
        sock.on('data', (d) => (got += d.toString()));
        sock.on('close', () => resolve(got));
      });
      expect(closed).toMatch(/^HTTP\/1.1 408/);
      expect((await request(server).post('/meds/extract').attach('image', jpeg, 'a.jpg')).status).toBe(202);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('answers 429 when more uploads arrive at once than it takes', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => post().attach('image', jpeg, 'a.jpg')));
    const statuses = results.map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses.every((s) => s === 202 || s === 429)).toBe(true);
    expect(results.find((r) => r.status === 429)!.headers['retry-after']).toBe('2');
  });

  it('survives a few thousand mutated uploads with no 5xx', async () => {
    const png = await sharp(jpeg).resize(200).png().toBuffer();
    const seeds = [jpeg.subarray(0, 60_000), png];
    let rnd = 12345;
    const next = () => (rnd = (rnd * 1103515245 + 12345) & 0x7fffffff);
    const deadline = Date.now() + 60_000;
    const seen = new Map<number, number>();
    for (let i = 0; i < 2000 && Date.now() < deadline; i++) {
      const seed = seeds[i % seeds.length]!;
      const buf = Buffer.from(seed);
      const kind = next() % 3;
      if (kind === 0) for (let k = 0; k < 1 + (next() % 8); k++) buf[next() % buf.length] = next() & 0xff;
      const data = kind === 1 ? buf.subarray(0, next() % buf.length) : kind === 2 ? Buffer.concat([buf.subarray(0, 100), Buffer.from(String(next())), buf.subarray(100)]) : buf;
      const res = await post().attach('image', data, `f${i}.bin`);
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      expect(res.status).toBeLessThan(500);
    }
    expect([...seen.keys()].some((s) => s >= 400)).toBe(true);
    expect((await post().attach('image', jpeg, 'a.jpg')).status).toBe(202);
  });
});
