import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { JobStatusView } from '@rxscan/contracts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { distinctPhoto, labelFixture, startSystem, type RunningSystem } from '@rxscan/test-utils';
import { PHONE, VIEWPORT, cardOf, launchChromium, openTablet, pairThroughPage, scanPhoto, widthOverflow } from './tablet.harness.js';

const LABEL = labelFixture('dev-000-clean').image;
const OTHER_LABEL = labelFixture('dev-001-clean').image;
const READ_MS = 120_000;
const photoOf = async (file: string) => ({ name: path.basename(file), mimeType: 'image/jpeg', buffer: distinctPhoto(await readFile(file)) });

let photoSeed = 0;
/**
 * A phone camera's photo of a label: 4000×3000 pixels as stored, with the EXIF tag that
 * says "turn me a quarter clockwise" (a phone held upright), a grainy table around the
 * label (so it weighs what a camera's photo weighs), and a tint of its own (no two alike).
 */
async function phonePhoto(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  photoSeed += 1;
  const label = await sharp(LABEL).resize({ width: 2600 }).toBuffer();
  const upright = await sharp({
    create: { width: 3000, height: 4000, channels: 3, background: { r: 150 + photoSeed, g: 140, b: 120 }, noise: { type: 'gaussian', mean: 128, sigma: 14 } },
  })
    .composite([{ input: label, gravity: 'centre' }])
    .jpeg()
    .toBuffer();
  // Stored on its side, as a phone camera does, and tagged to be shown upright.
  const buffer = await sharp(upright).rotate(270).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer();
  return { name: `IMG_${1000 + photoSeed}.jpg`, mimeType: 'image/jpeg', buffer };
}

/** Keeps, in the page, the `image` parts of every upload it sends: what went over the wire. */
function recordUploads(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __sent: Blob[][] };
    w.__sent = [];
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
      if (body instanceof FormData) w.__sent.push(body.getAll('image').filter((p): p is File => p instanceof Blob));
      return send.call(this, body);
    };
  });
}

/** The photos of each upload the page sent, as bytes. */
async function uploadsSent(page: Page): Promise<Buffer[][]> {
  const sent = await page.evaluate(async () => {
    const w = window as unknown as { __sent: Blob[][] };
    const b64 = async (blob: Blob) => {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    };
    return Promise.all(w.__sent.map((parts) => Promise.all(parts.map(b64))));
  });
  return sent.map((parts) => parts.map((p) => Buffer.from(p, 'base64')));
}

/** The card of a scan not yet accepted by the server (it has no job id yet). */
const waitingCards = (page: Page) => page.locator('article[data-status="waiting"]');

/**
 * The capture side of the tablet in a real Chromium against the whole system: every
 * screen at a phone's and a tablet's width, photos scaled before they leave, photos
 * kept on the tablet while the server cannot be reached.
 */
describe('capturing a label in Chromium, against the whole system', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let admin: { authorization: string };
  const api = async <T>(p: string): Promise<T> => (await (await fetch(`${sys.url}${p}`, { headers: admin })).json()) as T;

  beforeAll(async () => {
    sys = await startSystem();
    admin = { authorization: `Bearer ${await sys.adminToken()}` };
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (sys) expect(await sys.stop()).toBe(0);
  });

  // Each size reads a label of its own: a second reading of the same prescription would be offered as a refill.
  for (const [size, viewport, label] of [
    ['a phone', PHONE, LABEL],
    ['a tablet', VIEWPORT, OTHER_LABEL],
  ] as const) {
    it(`every screen fits ${size} (${viewport.width} px) without sideways scrolling`, { timeout: 240_000 }, async () => {
      const page = await browser.newPage({ viewport, colorScheme: 'light' });
      const fits = async (screen: string) => {
        const o = await widthOverflow(page);
        expect(o.innerWidth).toBe(viewport.width);
        expect(o.scrollWidth, `${screen} at ${viewport.width} px is ${o.scrollWidth} px wide: ${o.widest.join(', ')}`).toBeLessThanOrEqual(o.innerWidth);
      };
      try {
        await page.goto(sys.url);
        await page.getByTestId('pairing').waitFor();
        await fits('the pairing screen');
        await pairThroughPage(page, await sys.pairingCode(), `Layout ${viewport.width}`);
        await page.getByTestId('med-list').or(page.getByText('No medications yet')).first().waitFor();
        await fits('the empty list');

        const jobId = await scanPhoto(page, await photoOf(label));
        await fits('a scan in progress');
        await expect.poll(() => cardOf(page, jobId).getAttribute('data-status'), { timeout: READ_MS }).toBe('completed');
        await fits('a finished scan');

        await page.getByTestId(`review-${jobId}`).click();
        const dialog = page.getByTestId('review-dialog');
        await dialog.waitFor();
        await fits('the review');
        expect(await dialog.locator('.body').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
        await dialog.getByTestId('zoom-in').click();
        await dialog.getByTestId('photo-size').click();
        await fits('the review with the photo large and zoomed');
        await dialog.getByTestId('review-save').click();
        await dialog.waitFor({ state: 'detached' });
        await page.getByTestId(`med-${jobId}`).waitFor();
        await fits('the list with a medication');

        await page.getByTestId('side-input').setInputFiles([await photoOf(LABEL), await photoOf(OTHER_LABEL)]);
        await page.getByTestId('sides-tray').waitFor();
        await fits('several sides of one label, before sending');
        await page.getByTestId('cancel-sides').click();

        await page.route('**/meds/extract', (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback()));
        await page.getByTestId('scan-input').setInputFiles(await photoOf(LABEL));
        await waitingCards(page).first().waitFor();
        await fits('a photo waiting to be sent');
        await waitingCards(page).first().getByRole('button', { name: /^Do not send/ }).click();
        await page.unroute('**/meds/extract');

        await page.getByTestId('tab-scans').click();
        await page.getByTestId('recent-list').waitFor();
        await fits('recent scans');
      } finally {
        await page.close();
      }
    });
  }

  it('a phone-size photo is scaled on the tablet before it is sent, upright, with the upload progress shown', { timeout: 240_000 }, async () => {
    const tablet = await openTablet(browser, sys.url, { pairingCode: await sys.pairingCode() });
    const { page } = tablet;
    try {
      await page.getByTestId('scan-button').waitFor();
      // Slow enough (5 Mbit/s up) for the progress to be seen, as on a home Wi-Fi far from the router.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 5e6 / 8, uploadThroughput: 5e6 / 8 });
      await page.evaluate(() => {
        const w = window as unknown as { __percents: string[] };
        w.__percents = [];
        new MutationObserver(() => {
          const t = document.querySelector('[data-testid="upload-percent"]')?.textContent;
          if (t && w.__percents.at(-1) !== t) w.__percents.push(t);
        }).observe(document, { subtree: true, childList: true, characterData: true });
      });
      await recordUploads(page);

      const original = await phonePhoto();
      expect(await sharp(original.buffer).metadata()).toMatchObject({ width: 4000, height: 3000, orientation: 6 });
      const jobId = await scanPhoto(page, original);

      // One part, upright (portrait), 2400 px on the long side, a fraction of the camera's bytes.
      const uploads = await uploadsSent(page);
      expect(uploads.map((parts) => parts.length)).toEqual([1]);
      const [sent] = uploads[0]!;
      const meta = await sharp(sent!).metadata();
      expect({ width: meta.width, height: meta.height, format: meta.format }).toEqual({ width: 1800, height: 2400, format: 'jpeg' });
      expect(meta.orientation ?? 1).toBe(1);
      expect(sent!.length).toBeLessThan(original.buffer.length / 2);
      // The card said how far the upload had got, in whole percents, on the way.
      const percents = await page.evaluate(() => (window as unknown as { __percents: string[] }).__percents);
      expect(percents.some((p) => /^\d+%$/.test(p) && Number.parseInt(p, 10) < 100)).toBe(true);

      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      // Upright, the label is read.
      await expect.poll(() => cardOf(page, jobId).getAttribute('data-status'), { timeout: READ_MS }).toBe('completed');
      expect((await api<JobStatusView>(`/meds/extract/${jobId}/status`)).result?.medication.name).toMatch(/Buspirone/i);
      expect(tablet.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('another client may still send a full-size photo', { timeout: 60_000 }, async () => {
    const full = await phonePhoto();
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(full.buffer)], { type: 'image/jpeg' }), full.name);
    const res = await fetch(`${sys.url}/meds/extract`, { method: 'POST', body: form, headers: admin });
    expect(res.status).toBe(202);
  });

  it('a photo taken while the server cannot be reached waits on the tablet, survives a reload, and is sent by itself once it can', { timeout: 240_000 }, async () => {
    const tablet = await openTablet(browser, sys.url, { pairingCode: await sys.pairingCode() });
    const { page } = tablet;
    const context = page.context();
    try {
      await page.getByTestId('scan-button').waitFor();
      // The Wi-Fi drops: the photo is taken anyway.
      await context.setOffline(true);
      await page.getByTestId('scan-input').setInputFiles(await photoOf(LABEL));
      const waiting = waitingCards(page);
      await waiting.first().waitFor();
      expect(await waiting.first().textContent()).toMatch(/kept on this tablet and will be sent by itself/);
      expect(await waiting.first().textContent()).toMatch(/Wi-Fi/);

      // The page is reloaded while RxScan still cannot take photos (the page loads; uploads fail).
      await page.route('**/meds/extract', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.fallback()));
      await context.setOffline(false);
      await page.reload();
      await waitingCards(page).first().waitFor();
      // The tablet tries the kept scan again on its own (its card is 'uploading' for that moment,
      // then waiting again): one card, never two, and it comes back to waiting.
      expect(await page.locator('article[data-testid^="upload-"]').count()).toBe(1);
      await expect.poll(() => waitingCards(page).count()).toBe(1);
      const kept = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('rxscan-outbox');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const count = open.result.transaction('scans').objectStore('scans').count();
              count.onsuccess = () => resolve(count.result);
              count.onerror = () => reject(count.error);
            };
          }),
      );
      expect(kept).toBe(1);

      // RxScan answers again: nobody touches the page, and the scan is sent and read.
      await page.unroute('**/meds/extract');
      await expect.poll(() => waitingCards(page).count(), { timeout: 60_000 }).toBe(0);
      const card = page.locator('article[data-testid^="job-"]').first();
      await expect.poll(() => card.getAttribute('data-status'), { timeout: READ_MS }).toBe('completed');
      expect(await card.textContent()).toMatch(/Buspirone/i);
      // Sent once, and gone from the tablet.
      await page.reload();
      await page.getByTestId('scan-button').waitFor();
      await page.waitForTimeout(1000);
      expect(await waitingCards(page).count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('two photos of one label go in one request as one scan, are read as one, and the review shows both', { timeout: 240_000 }, async () => {
    const tablet = await openTablet(browser, sys.url, { pairingCode: await sys.pairingCode() });
    const { page } = tablet;
    try {
      await page.getByTestId('scan-button').waitFor();
      await recordUploads(page);
      // The label as two photos taken from either side: each misses a part the other shows.
      const [left, right] = await halvesOf(LABEL);
      await page.getByTestId('start-sides').waitFor();
      await page.getByTestId('side-input').setInputFiles(left!);
      expect(await page.getByTestId('add-side').isEnabled()).toBe(true);
      await page.getByTestId('side-input').setInputFiles(right!);
      expect(await page.getByTestId('sides-tray').locator('img').count()).toBe(2);
      // The scans the server already has: the page brings back earlier tests' scans from the server
      // in its own time, so the new scan is told by its id, not by counting cards (a count taken
      // before they came back saw 4 cards for 1 on a busy CI run).
      const earlier = new Set((await api<JobStatusView[]>('/meds/jobs?limit=200')).map((j) => j.job_id));
      const newIds = async () =>
        (await page.locator('article[data-testid^="job-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('job-'.length)))).filter((id) => !earlier.has(id));
      await page.getByTestId('send-sides').click();
      await expect.poll(newIds, { timeout: 30_000 }).toHaveLength(1);
      const [jobId] = (await newIds()) as [string];
      expect((await uploadsSent(page)).map((parts) => parts.length)).toEqual([2]);
      expect(await cardOf(page, jobId).getByTestId('photo-count').textContent()).toMatch(/2 photos/);
      await expect.poll(() => cardOf(page, jobId).getAttribute('data-status'), { timeout: READ_MS }).toBe('completed');
      const status = await api<JobStatusView & { images?: { url: string }[] }>(`/meds/extract/${jobId}/status`);
      expect(status.images?.map((i) => i.url)).toEqual([`/meds/extract/${jobId}/image/0`, `/meds/extract/${jobId}/image/1`]);
      expect(status.result?.medication.name).toMatch(/Buspirone/i);
      // One request, one scan: the server has one scan more, this one.
      expect((await api<JobStatusView[]>('/meds/jobs?limit=200')).map((j) => j.job_id).filter((id) => !earlier.has(id))).toEqual([jobId]);

      // After a reload the photos are the server's, from the status: both shown, both load.
      await page.reload();
      await page.getByTestId(`review-${jobId}`).click();
      const dialog = page.getByTestId('review-dialog');
      await dialog.waitFor();
      const stage = dialog.getByTestId('photo-stage').locator('img');
      await expect.poll(() => stage.getAttribute('src')).toBe(`/meds/extract/${jobId}/image/0`);
      await dialog.getByTestId('photo-thumb-1').click();
      await expect.poll(() => stage.getAttribute('src')).toBe(`/meds/extract/${jobId}/image/1`);
      await expect.poll(() => stage.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

      // Opened from the list once its card is put away: both photos still, from the job's status.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await cardOf(page, jobId).getByRole('button', { name: /^Remove Scan/ }).click();
      await page.getByTestId(`open-${jobId}`).click();
      await dialog.waitFor();
      expect(await dialog.locator('[data-testid^="photo-thumb-"]').count()).toBe(2);
      expect(tablet.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("the review's photo zooms, and the field being checked is outlined where it was read", { timeout: 240_000 }, async () => {
    const tablet = await openTablet(browser, sys.url, { pairingCode: await sys.pairingCode() });
    const { page } = tablet;
    try {
      await page.getByTestId('scan-button').waitFor();
      const jobId = await scanPhoto(page, await photoOf(OTHER_LABEL));
      await expect.poll(() => cardOf(page, jobId).getAttribute('data-status'), { timeout: READ_MS }).toBe('completed');
      const status = await api<JobStatusView & { result?: { boxes?: Record<string, { image: number; x: number; y: number; w: number; h: number }> } }>(
        `/meds/extract/${jobId}/status`,
      );
      const boxes = status.result?.boxes ?? {};
      const field = ['dosage', 'name', 'rx_number', 'quantity'].find((f) => boxes[f]);
      expect(field, `boxes read: ${Object.keys(boxes).join(', ')}`).toBeDefined();
      const box = boxes[field!]!;

      await page.getByTestId(`review-${jobId}`).click();
      const dialog = page.getByTestId('review-dialog');
      await dialog.waitFor();
      const img = dialog.getByTestId('photo-stage').locator('img');
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
      // Zoomed in twice, then the field is tapped: its box is outlined, on the zoomed photo.
      await dialog.getByTestId('zoom-in').click();
      await dialog.getByTestId('zoom-in').click();
      await expect.poll(async () => Number(await dialog.getByTestId('photo-stage').getAttribute('data-scale'))).toBeGreaterThan(1.5);
      await dialog.getByTestId(`field-${field}`).click();
      const outline = dialog.getByTestId('box-highlight');
      await outline.waitFor();
      expect(await outline.getAttribute('data-field')).toBe(field);
      expect(await dialog.getByTestId('box-caption').textContent()).toMatch(/Outlined: where the .+ was read/);
      // Wait for the pan that brings the box to the middle to settle, then compare where it is drawn with where the box says.
      let last = '';
      await expect
        .poll(async () => {
          const now = JSON.stringify(await outline.boundingBox());
          const settled = now === last;
          last = now;
          return settled;
        }, { interval: 300 })
        .toBe(true);
      const drawn = await dialog.evaluate((el) => {
        const image = el.querySelector<HTMLImageElement>('[data-testid="photo-stage"] img')!;
        const r = image.getBoundingClientRect();
        // The photo is fitted whole (object-fit: contain) in its element, zoomed with it.
        const s = Math.min(r.width / image.naturalWidth, r.height / image.naturalHeight);
        const photo = { left: r.left + (r.width - image.naturalWidth * s) / 2, top: r.top + (r.height - image.naturalHeight * s) / 2, width: image.naturalWidth * s, height: image.naturalHeight * s };
        const o = el.querySelector('[data-testid="box-highlight"]')!.getBoundingClientRect();
        return { photo, outline: { left: o.left, top: o.top, width: o.width, height: o.height } };
      });
      const near = (a: number, b: number) => Math.abs(a - b) <= 3;
      const want = {
        left: drawn.photo.left + box.x * drawn.photo.width,
        top: drawn.photo.top + box.y * drawn.photo.height,
        width: box.w * drawn.photo.width,
        height: box.h * drawn.photo.height,
      };
      // The outline's border is drawn around the box.
      expect(near(drawn.outline.left, want.left) && near(drawn.outline.top, want.top), JSON.stringify({ drawn, want })).toBe(true);
      expect(near(drawn.outline.width, want.width) && near(drawn.outline.height, want.height), JSON.stringify({ drawn, want })).toBe(true);
      // Zoomed, the box is larger on screen than the photo's share of the stage would make it, and in view.
      const stageBox = (await dialog.getByTestId('photo-stage').boundingBox())!;
      const centre = { x: drawn.outline.left + drawn.outline.width / 2, y: drawn.outline.top + drawn.outline.height / 2 };
      expect(centre.x).toBeGreaterThan(stageBox.x);
      expect(centre.x).toBeLessThan(stageBox.x + stageBox.width);
      expect(centre.y).toBeGreaterThan(stageBox.y);
      expect(centre.y).toBeLessThan(stageBox.y + stageBox.height);
      expect(tablet.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** A label photographed from either side: each photo shows the label with a different third covered by the table. */
async function halvesOf(file: string): Promise<{ name: string; mimeType: string; buffer: Buffer }[]> {
  const meta = await sharp(file).metadata();
  const w = meta.width!;
  const h = meta.height!;
  const cover = (left: number) =>
    sharp(file)
      .composite([{ input: { create: { width: Math.round(w / 4), height: h, channels: 3, background: { r: 120, g: 100, b: 80 } } }, left, top: 0 }])
      .jpeg({ quality: 92 })
      .toBuffer();
  return [
    { name: 'side-1.jpg', mimeType: 'image/jpeg', buffer: distinctPhoto(await cover(w - Math.round(w / 4))) },
    { name: 'side-2.jpg', mimeType: 'image/jpeg', buffer: distinctPhoto(await cover(0)) },
  ];
}
