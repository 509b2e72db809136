import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeWebServer, createWebServer, listenWebServer } from '../server/web.server.js';
import { startFakeServices, type FakeServices } from './fake-services.js';

const CHROMIUM = '/usr/bin/chromium';
const UI_DIR = fileURLToPath(new URL('../../dist/ui/', import.meta.url));
/** Set SCREENSHOTS=/tmp to look at the page after each step. */
const SHOTS = process.env.SCREENSHOTS;
const ready = existsSync(CHROMIUM) && existsSync(`${UI_DIR}index.html`);

// Needs the built UI (npm run build) and a Chromium; skipped, not failed, without them.
describe.skipIf(!ready)('the tablet page in Chromium, against fake services', () => {
  let fakes: FakeServices;
  let web: Server;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/rxscan-${name}.png`, fullPage: true });
  };
  const photo = (name: string, text: string) => ({ name, mimeType: 'image/jpeg', buffer: Buffer.from(text) });

  beforeAll(async () => {
    fakes = startFakeServices();
    const ingestUrl = new URL(await listenWebServer(fakes.ingest, 0, '127.0.0.1'));
    const medStoreUrl = new URL(await listenWebServer(fakes.medStore, 0, '127.0.0.1'));
    web = createWebServer({ ingestUrl, medStoreUrl, uiDir: UI_DIR });
    const base = await listenWebServer(web, 0, '127.0.0.1');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: (process.env.COLOR_SCHEME as 'dark') ?? 'light' });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(base);
  });

  afterAll(async () => {
    await browser?.close();
    if (web) await closeWebServer(web, 500);
    await fakes?.close();
  });

  it('loads under the CSP with live updates and an empty list', async () => {
    await expect.poll(() => page.getByTestId('connection').textContent()).toMatch(/Live updates/);
    await page.getByText('No medications yet').waitFor();
    await shot('empty');
    expect(errors).toEqual([]);
  });

  it('queues two photos; one is read, one fails', async () => {
    const input = page.getByTestId('scan-input');
    await input.setInputFiles(photo('IMG_0001.jpg', 'a readable label'));
    await input.setInputFiles(photo('IMG_0002.jpg', 'UNREADABLE'));
    const read = page.getByTestId('job-job-0001-fake');
    const unread = page.getByTestId('job-job-0002-fake');
    await expect.poll(() => read.getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    await expect.poll(() => unread.getAttribute('data-status'), { timeout: 15_000 }).toBe('failed');
    expect(fakes.requests.filter((r) => r === 'ingest POST /meds/extract')).toHaveLength(2);

    await expect.poll(() => read.getByTestId('review-message').textContent()).toMatch('Please check: could not read the dosage clearly');
    expect(await unread.getByTestId('job-error').textContent()).toMatch(/^No text could be read/);
    // The reading appears in the list as a draft that needs review.
    await page.getByTestId('needs-review-job-0001-fake').waitFor();
    await shot('read');
  });

  it('is usable by keyboard and every control is a thumb-sized target', async () => {
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('button, label[data-testid="scan-button"], select, input[type="text"]')]
        .map((el) => ({ text: el.textContent?.trim() ?? '', box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && (box.height < 48 || box.width < 48))
        .map(({ text, box }) => `${text} ${box.width}x${box.height}`),
    );
    expect(small).toEqual([]);
  });

  it('corrects the dosage and confirms', async () => {
    await page.getByTestId('edit-job-0001-fake').click();
    await page.locator('#job-0001-fake-dosage').fill('20 mg');
    await shot('editing');
    await page.getByTestId('confirm-job-0001-fake').click();
    await page.getByTestId('confirmed-job-0001-fake').waitFor();
    expect(fakes.meds.get('job-0001-fake')).toMatchObject({ status: 'confirmed', dosage: '20 mg' });
    await expect.poll(() => page.getByTestId('med-job-0001-fake').getAttribute('data-status')).toBe('confirmed');
  });

  it('retries the failed scan until it is read', async () => {
    await page.getByTestId('retry-job-0002-fake').click();
    await expect.poll(() => page.getByTestId('job-job-0002-fake').getAttribute('data-status'), { timeout: 15_000 }).toBe('completed');
    await page.getByTestId('med-job-0002-fake').waitFor();
    await shot('retried');
  });

  it('deletes a medication from the list', async () => {
    await page.getByTestId('delete-job-0002-fake').click();
    await page.getByTestId('med-job-0002-fake').waitFor({ state: 'detached' });
    expect(fakes.meds.has('job-0002-fake')).toBe(false);
  });

  it('shows a pushed change without a reload', async () => {
    const med = { ...fakes.meds.get('job-0001-fake')!, id: 'pushed-0001', name: 'Metformin', created_at: new Date().toISOString() };
    fakes.push({ type: 'medication', medication: med });
    await page.getByTestId('med-pushed-0001').waitFor();
    fakes.push({ type: 'medication-deleted', id: 'pushed-0001' });
    await page.getByTestId('med-pushed-0001').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
