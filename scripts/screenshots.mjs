#!/usr/bin/env node
// `npm run screenshots`: regenerates docs/screenshots/*.png, the pictures of the
// tablet page. Starts the whole system as `npm start` does (after the build) on a free
// port with a temporary DATA_DIR, drives the page in Chromium with playwright-core and
// photographs each screen at 1280×800. Plain JavaScript so that it runs without a loader.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { distinctPhoto, startSystem } from '@rxscan/test-utils';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LABEL = path.join(ROOT, 'tests/fixtures/labels/dev-000-clean.jpg');
const SECOND_LABEL = path.join(ROOT, 'tests/fixtures/labels/dev-001-clean.jpg');
const VIEWPORT = { width: 1280, height: 800 };

const log = (line) => process.stdout.write(`[screenshots] ${line}\n`);

/** The whole system, as `npm start` runs it. One delivery and a short ack wait make a killed worker fail its job quickly. */
async function startWholeSystem() {
  const sys = await startSystem({
    env: { LOG_LEVEL: 'warn', OCR_MAX_DELIVER: '1', OCR_ACK_WAIT_MS: '2000' },
    // The launcher's own lines (restarts, say) explain a screenshot that looks wrong.
    onLine: (line) => (line.startsWith('[start]') || process.env.SCREENSHOTS_VERBOSE) && log(line),
  });
  return { ...sys, admin: { authorization: `Bearer ${await sys.adminToken()}` } };
}

async function until(check, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Seeds the list through the API, as a script with the admin secret would. */
async function seedList(url, headers) {
  const upload = async (file) => {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await readFile(file))], { type: 'image/jpeg' }), path.basename(file));
    const res = await fetch(`${url}/meds/extract`, { method: 'POST', body: form, headers });
    return (await res.json()).job_id;
  };
  const done = (jobId) =>
    until(async () => {
      const v = await (await fetch(`${url}/meds/extract/${jobId}/status`, { headers })).json();
      return v.status === 'completed' || v.status === 'failed' ? v : undefined;
    }, `scan ${jobId}`);
  const spray = await upload(SECOND_LABEL);
  const tablet = await upload(LABEL);
  const sprayDone = await done(spray);
  await done(tablet);
  // One confirmed, one still to check, one typed in by hand.
  await fetch(`${url}/meds/medications/${sprayDone.result.medication_id}/confirm`, { method: 'POST', headers });
  await fetch(`${url}/meds/medications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      name: 'Metformin',
      dosage: '500 mg',
      form: 'tablet',
      sig: 'Take 1 tablet by mouth twice a day with meals',
      schedule: 'Twice daily',
      as_needed: false,
      instructions: 'Take with meals',
      quantity: 60,
      refills: 3,
      prescriber: 'Dr. Ana Smith',
      pharmacy: 'Main Street Pharmacy',
    }),
  });
}

async function killWorker(dataDir) {
  // Read right before killing: the pid changes on every restart.
  const runtime = JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8'));
  process.kill(runtime.pids['ocr-worker'], 'SIGKILL');
}

/** A photo with no text on it: it decodes, so it is read, and nothing (no name) is found. */
async function blankPhoto(page) {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1200;
    canvas.height = 900;
    const g = canvas.getContext('2d');
    g.fillStyle = '#f3efe6';
    g.fillRect(0, 0, 1200, 900);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return { name: 'blank.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') };
}

const card = (page, jobId) => page.getByTestId(`job-${jobId}`);
const statusOf = (locator) => locator.getAttribute('data-status');

/** Chooses a photo with the scan button's file input; resolves with the job id of the new card. */
async function scan(page, photo) {
  const ids = () => page.locator('article[data-testid^="job-"]').evaluateAll((els) => els.map((el) => el.dataset.testid));
  const before = new Set(await ids());
  // A new photo of the label each time (distinct bytes): ingest answers a photo it has seen with the earlier scan.
  const file = typeof photo === 'string' ? { name: path.basename(photo), mimeType: 'image/jpeg', buffer: distinctPhoto(await readFile(photo)) } : photo;
  await page.getByTestId('scan-input').setInputFiles(file);
  const added = await until(async () => (await ids()).find((id) => !before.has(id)), 'the upload to be accepted', 30_000);
  return added.slice('job-'.length);
}

/** Removes the finished cards from the screen, as a person tidying up would. */
async function tidy(page) {
  const remove = page.getByRole('button', { name: /^Remove Scan/ });
  while ((await remove.count()) > 0) await remove.first().click();
}

async function main() {
  await mkdir(OUT, { recursive: true });
  log('starting the system');
  const sys = await startWholeSystem();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    log(`seeding the list at ${sys.url}`);
    await seedList(sys.url, sys.admin);

    const page = await browser.newPage({ viewport: VIEWPORT, colorScheme: 'light' });
    const shot = async (name) => {
      // Each screen as it first appears, scrolled to the top.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.mouse.move(0, 0);
      await page.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled' });
      log(`wrote docs/screenshots/${name}.png`);
    };
    await page.goto(sys.url);
    // A new tablet: the pairing screen, with the code an admin made typed in.
    await page.getByTestId('pair-code').fill(await sys.pairingCode());
    await page.getByTestId('pair-name').fill('Kitchen tablet');
    await shot('pairing');
    await page.getByTestId('pair-submit').click();
    await page.getByTestId('med-list').waitFor();
    await until(async () => (await page.getByTestId('connection').textContent()).includes('Live'), 'live updates');
    // The unchecked reading comes back as a card (it is recent); put it away for a clean list.
    await until(async () => (await page.locator('article[data-testid^="job-"]').count()) > 0, 'the unchecked reading', 10_000).catch(() => {});
    await tidy(page);
    await shot('list');

    // A phone, and a label that wraps around its bottle: two sides collected before sending as one scan.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('side-input').setInputFiles([
      { name: 'side-1.jpg', mimeType: 'image/jpeg', buffer: distinctPhoto(await readFile(LABEL)) },
      { name: 'side-2.jpg', mimeType: 'image/jpeg', buffer: distinctPhoto(await readFile(SECOND_LABEL)) },
    ]);
    await page.getByTestId('sides-tray').waitFor();
    await shot('scan-sides');
    await page.getByTestId('cancel-sides').click();
    await page.setViewportSize(VIEWPORT);

    // Two photos in line: the first is read while the second waits.
    const first = await scan(page, LABEL);
    const second = await scan(page, SECOND_LABEL);
    await until(async () => (await statusOf(card(page, first))) === 'processing', 'the first scan reading', 120_000);
    await shot('scan-in-progress');

    await until(async () => (await statusOf(card(page, first))) === 'completed', 'the first scan done');
    await card(page, first).getByRole('button', { name: 'Check and confirm' }).click();
    const dialog = page.getByTestId('review-dialog');
    await dialog.waitFor();
    await page.waitForTimeout(300);
    await shot('review');
    await dialog.getByTestId('review-save').click();
    await dialog.waitFor({ state: 'detached' });
    await until(async () => (await statusOf(card(page, second))) === 'completed', 'the second scan done');
    await tidy(page);

    // A label with no readable name: said plainly, with retake and typing it in offered.
    const blank = await scan(page, await blankPhoto(page));
    await until(async () => (await statusOf(card(page, blank))) === 'completed', 'the blank label read');
    await shot('no-name');
    await card(page, blank).getByRole('button', { name: 'Type it in' }).click();
    await dialog.waitFor();
    await dialog.getByTestId('field-name').fill('Amoxicillin');
    await dialog.getByTestId('field-dosage').fill('500 mg');
    await dialog.getByTestId('field-form').fill('capsule');
    await dialog.getByTestId('field-sig').fill('Take 1 capsule by mouth three times a day');
    await dialog.getByTestId('field-schedule').selectOption('Three times daily');
    await dialog.getByTestId('field-quantity').fill('21');
    await dialog.getByTestId('review-save').click();
    await dialog.waitFor({ state: 'detached' });
    await tidy(page);

    // A worker killed mid-reading: with one delivery allowed, the job fails and offers Retry.
    const doomed = await scan(page, LABEL);
    await until(async () => (await statusOf(card(page, doomed))) === 'processing', 'the third scan reading');
    await killWorker(sys.dataDir);
    await until(async () => (await statusOf(card(page, doomed))) === 'failed', 'the third scan failed', 60_000);
    await shot('failed-retry');

    await page.getByTestId('tab-scans').click();
    await page.getByTestId('recent-list').waitFor();
    await shot('recent-scans');

    // Dark, after a reload: the failed scan is found again on the server (cards put away stay away).
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.getByTestId('med-list').waitFor();
    await until(async () => (await statusOf(card(page, doomed))) === 'failed', 'the failed scan after a reload');
    await until(async () => (await page.getByTestId('connection').textContent()).includes('Live'), 'live updates');
    await shot('dark');
  } finally {
    await browser.close();
    await sys.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`[screenshots] ${err.stack ?? err}\n`);
  process.exit(1);
});
