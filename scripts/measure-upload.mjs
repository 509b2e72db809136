#!/usr/bin/env node
// A one-off measure for docs/ui.md: what a phone-size photo costs to upload from the
// tablet over a slow connection, before and after the tablet scales photos in the
// browser. Starts the whole system (after `npm run build`) on a free port, opens the
// page in Chromium at a phone's size, limits the connection to 5 Mbit/s each way with
// Chromium's own network emulation (CDP), and sends 4000×3000 JPEGs made with sharp:
//   before: the original file, as a multipart POST (what the tablet sent until now);
//   after:  through the scan button, as a person does (scaled to 2400 px, then sent).
// Reports the request body's bytes and the time from choosing the photo to the 202.
// Usage: node scripts/measure-upload.mjs [--runs=3] [--mbit=5]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { startSystem } from '@rxscan/test-utils';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LABEL = path.join(ROOT, 'tests/fixtures/labels/dev-000-clean.jpg');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const arg = (name, dflt) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const RUNS = arg('runs', 3);
const MBIT = arg('mbit', 5);
const log = (line) => process.stdout.write(`[measure-upload] ${line}\n`);

let seed = 0;
/** A phone camera's photo: 4000×3000 stored on its side with EXIF orientation 6, a grainy table around the label, a tint of its own. */
async function phonePhoto() {
  seed += 1;
  const label = await sharp(await readFile(LABEL)).resize({ width: 2600 }).toBuffer();
  const upright = await sharp({
    create: { width: 3000, height: 4000, channels: 3, background: { r: 150 + seed, g: 140, b: 120 }, noise: { type: 'gaussian', mean: 128, sigma: 14 } },
  })
    .composite([{ input: label, gravity: 'centre' }])
    .jpeg()
    .toBuffer();
  return sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Records, in the page, each upload's body size and when its answer came (XMLHttpRequest, as the tablet sends). */
function watchUploads() {
  const w = /** @type {any} */ (window);
  w.__uploads = [];
  document.addEventListener('change', () => (w.__chosenAt = performance.now()), true);
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (body) {
    const rec = { startedAt: performance.now(), chosenAt: w.__chosenAt, bytes: 0, status: 0, answeredAt: 0 };
    w.__uploads.push(rec);
    if (body instanceof FormData) void new Response(body).blob().then((b) => (rec.bytes = b.size));
    this.addEventListener('load', () => {
      rec.status = this.status;
      rec.answeredAt = performance.now();
    });
    return send.call(this, body);
  };
}

async function main() {
  log('starting the system');
  const sys = await startSystem({ env: { LOG_LEVEL: 'warn' } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const results = { before: [], after: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(sys.url);
    await page.getByTestId('pair-code').fill(await sys.pairingCode());
    await page.getByTestId('pair-name').fill('Measuring phone');
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('scan-button').waitFor();
    await page.evaluate(watchUploads);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const bytesPerSecond = (MBIT * 1e6) / 8;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
    log(`connection limited to ${MBIT} Mbit/s each way, 20 ms latency; ${RUNS} photos each way`);

    for (let i = 0; i < RUNS; i++) {
      const photo = await phonePhoto();
      // Before: the original file in a multipart POST, as the tablet sent it until now.
      const before = await page.evaluate(async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const form = new FormData();
        form.append('image', new File([bytes], 'IMG_0001.jpg', { type: 'image/jpeg' }));
        const size = (await new Response(form).blob()).size;
        const t0 = performance.now();
        const res = await fetch('/meds/extract', { method: 'POST', body: form });
        return { ms: performance.now() - t0, status: res.status, bytes: size, photoBytes: bytes.length };
      }, photo.toString('base64'));
      results.before.push(before);
      log(`before #${i + 1}: ${before.status}, ${before.bytes} bytes, ${before.ms.toFixed(0)} ms`);

      // After: the same kind of photo through the scan button (scaled in the browser, then sent).
      const next = await phonePhoto();
      const count = await page.evaluate(() => /** @type {any} */ (window).__uploads.length);
      await page.getByTestId('scan-input').setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: next });
      await page.waitForFunction((n) => {
        const u = /** @type {any} */ (window).__uploads[n];
        return u && u.status && u.bytes;
      }, count, { timeout: 120_000 });
      const after = await page.evaluate((n) => {
        const u = /** @type {any} */ (window).__uploads[n];
        return { ms: u.answeredAt - u.chosenAt, uploadMs: u.answeredAt - u.startedAt, status: u.status, bytes: u.bytes };
      }, count);
      results.after.push({ ...after, photoBytes: next.length });
      log(`after  #${i + 1}: ${after.status}, ${after.bytes} bytes, ${after.ms.toFixed(0)} ms from choosing (${after.uploadMs.toFixed(0)} ms on the wire)`);
    }
  } finally {
    await browser.close();
    await sys.stop();
  }
  const b = { bytes: median(results.before.map((r) => r.bytes)), ms: median(results.before.map((r) => r.ms)) };
  const a = { bytes: median(results.after.map((r) => r.bytes)), ms: median(results.after.map((r) => r.ms)), wire: median(results.after.map((r) => r.uploadMs)) };
  log(`median before: ${(b.bytes / 1e6).toFixed(2)} MB, ${(b.ms / 1000).toFixed(2)} s to 202`);
  log(`median after:  ${(a.bytes / 1e6).toFixed(2)} MB, ${(a.ms / 1000).toFixed(2)} s to 202 (${(a.wire / 1000).toFixed(2)} s of it on the wire)`);
  log(`ratio: ${(b.bytes / a.bytes).toFixed(1)}x fewer bytes, ${(b.ms / a.ms).toFixed(1)}x sooner`);
  process.stdout.write(`${JSON.stringify({ mbit: MBIT, runs: RUNS, before: results.before, after: results.after })}\n`);
}

main().catch((err) => {
  process.stderr.write(`[measure-upload] ${err.stack ?? err}\n`);
  process.exit(1);
});
