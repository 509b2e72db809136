import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { JobStatusView, MedicationView } from '@rxscan/contracts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { distinctPhoto, labelFixture, startSystem, type RunningSystem } from '@rxscan/test-utils';
import {
  blankLabel,
  cardOf,
  killOcrWorker,
  launchChromium,
  liveEverSeen,
  openTablet,
  pairThroughPage,
  scanPhoto,
  statusesSeen,
  type TabletPage,
} from './tablet.harness.js';

const LABEL = labelFixture('dev-000-clean').image;
const OTHER_LABEL = labelFixture('dev-001-clean').image;
/** A new photo of a label each time: ingest answers the very same bytes with the earlier scan. */
const photoOf = async (file: string) => ({ name: path.basename(file), mimeType: 'image/jpeg', buffer: distinctPhoto(await readFile(file)) });
const READ_MS = 120_000;

/**
 * The tablet page in a real Chromium against the whole system, started as `npm start`
 * does. One delivery per job and a 2 s ack wait let a killed worker fail its job within
 * seconds (JetStream's max-deliveries advisory becomes `ocr.failed`), while a job whose
 * worker lives still renews its ack wait and is read as usual.
 */
describe('the tablet page in Chromium, against the whole system', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let tablet: TabletPage;

  let admin: { authorization: string };
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> =>
    (await (await fetch(`${sys.url}${path}`, { ...init, headers: admin })).json()) as T;
  const newCode = async () => /pairing code: (\S+)/.exec(await sys.ops('pair'))![1]!;
  const statusOf = (jobId: string) => cardOf(tablet.page, jobId).getAttribute('data-status');

  beforeAll(async () => {
    sys = await startSystem({ env: { OCR_MAX_DELIVER: '1', OCR_ACK_WAIT_MS: '2000' } });
    admin = { authorization: `Bearer ${await sys.adminToken()}` };
    browser = await launchChromium();
    tablet = await openTablet(browser, sys.url);
  });

  afterAll(async () => {
    await browser?.close();
    if (sys) expect(await sys.stop()).toBe(0);
  });

  it('shows a tablet that is not paired only the pairing screen, refuses a wrong code, and lets the right one in', { timeout: 60_000 }, async () => {
    const { page } = tablet;
    await page.getByTestId('pairing').waitFor();
    expect(await page.getByTestId('scan-button').count()).toBe(0);
    await page.getByTestId('pair-code').fill('ABCD-EFG');
    await page.getByTestId('pair-submit').click();
    await expect.poll(() => page.locator('#pair-problem').textContent()).toMatch(/8 letters and digits; this has 7/);
    await page.getByTestId('pair-code').fill('ABCD-EFGH');
    await page.getByTestId('pair-submit').click();
    await expect.poll(() => page.locator('#pair-problem').textContent()).toMatch(/wrong, used or expired/);

    await pairThroughPage(page, (await newCode()).toLowerCase(), 'Kitchen tablet');
    // Chromium logs the refusals the pairing screen was shown for; nothing else went wrong.
    expect(tablet.errors).toEqual([expect.stringMatching(/status of 401/), expect.stringMatching(/status of 400/)]);
    tablet.errors.length = 0;
    const devices = await api<{ name: string }[]>('/meds/devices');
    expect(devices.map((d) => d.name)).toContain('Kitchen tablet');
    // The token is in an HttpOnly cookie: no script on the page can read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect((await page.context().cookies()).find((c) => c.name === 'rxscan_device')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('loads under the CSP with live updates and an empty list', { timeout: 60_000 }, async () => {
    const { page } = tablet;
    await expect.poll(() => page.getByTestId('connection').textContent(), { timeout: 20_000 }).toMatch(/Live updates/);
    await page.getByText('No medications yet').waitFor();
    expect(tablet.errors).toEqual([]);
  });

  it('reads an uploaded label: progress to done, review with the photo, one field corrected, confirmed, still there after a reload', { timeout: 180_000 }, async () => {
    const { page } = tablet;
    const jobId = await scanPhoto(page, await photoOf(LABEL));
    const card = cardOf(page, jobId);
    await expect.poll(() => statusOf(jobId), { timeout: READ_MS }).toBe('completed');
    // Every step shown in order (a fast step may pass between two renders, never out of order).
    const seen = await statusesSeen(page, jobId);
    expect(seen.at(-1)).toBe('completed');
    expect(['pending', 'processing', 'completed']).toEqual(expect.arrayContaining(seen));
    expect(seen).toEqual([...seen].sort((a, b) => ['pending', 'processing', 'completed'].indexOf(a) - ['pending', 'processing', 'completed'].indexOf(b)));
    await expect.poll(() => card.getByTestId('elapsed').textContent()).toMatch(/^\d+ s$/);
    await expect.poll(() => page.getByTestId('announcer').textContent()).toMatch(/Scan 1: Done — Buspirone/);

    await page.getByTestId(`review-${jobId}`).click();
    const dialog = page.getByTestId('review-dialog');
    await dialog.waitFor();
    // The photo chosen on this tablet, beside the fields.
    expect(await dialog.locator('figure img').getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => dialog.getByTestId('directions-understood').textContent()).toBe('Take 1 tablet three times a day');
    expect(await dialog.getByTestId('field-sig').inputValue()).toBe('TAKE 1 TABLET BY MOUTH 3 TIMES A DAY');
    // A doubtful field says why, in words, not only in colour.
    const doubtful = dialog.locator('[data-doubt]');
    expect(await doubtful.count()).toBeGreaterThan(0);
    expect(await dialog.getByTestId('review-message').textContent()).toMatch(/Please check: could not read the .+ clearly/);
    expect(await doubtful.first().textContent()).toMatch(/Could not read the .+ clearly \(\d+% sure\)/);

    await dialog.getByTestId('field-pharmacy').fill('Summit Mail Order Pharmacy');
    await dialog.getByTestId('review-save').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId(`confirmed-${jobId}`).waitFor();
    const row = page.getByTestId(`med-${jobId}`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('confirmed');
    expect(await row.textContent()).toMatch(/Summit Mail Order Pharmacy/);
    const saved = (await api<MedicationView[]>('/meds/medications')).find((m) => m.id === jobId);
    expect(saved).toMatchObject({ status: 'confirmed', pharmacy: 'Summit Mail Order Pharmacy', name: expect.stringMatching(/Buspirone/) });

    await page.reload();
    await expect.poll(() => page.getByTestId(`med-${jobId}`).getAttribute('data-status')).toBe('confirmed');
    expect(await page.getByTestId(`med-${jobId}`).textContent()).toMatch(/Summit Mail Order Pharmacy/);
    // Confirmed readings are done with: the reload does not bring the card back.
    expect(await cardOf(page, jobId).count()).toBe(0);
    expect(tablet.errors).toEqual([]);
  });

  it('a scan in progress is found again after a reload', { timeout: 180_000 }, async () => {
    const { page } = tablet;
    const jobId = await scanPhoto(page, await photoOf(OTHER_LABEL));
    await page.reload();
    // Found on the server, not in the page's memory: still reading, or done and waiting for a check.
    const card = cardOf(page, jobId);
    await card.waitFor();
    expect(await card.textContent()).toMatch(/sent earlier/);
    await expect.poll(() => statusOf(jobId), { timeout: READ_MS }).toBe('completed');
    // The photo after a reload is the server's copy, sent only because this tablet is paired.
    const photo = page.getByTestId('review-dialog').locator('figure img');
    await page.getByTestId(`review-${jobId}`).click();
    await page.getByTestId('review-dialog').waitFor();
    expect(await photo.getAttribute('src')).toMatch(new RegExp(`^/meds/extract/${jobId}/image(/0)?$`));
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await page.getByTestId('review-discard').click();
    await page.getByTestId('review-dialog').waitFor({ state: 'detached' });
    await page.getByTestId(`discarded-${jobId}`).waitFor();
    expect((await api<MedicationView[]>('/meds/medications')).some((m) => m.id === jobId)).toBe(false);
  });

  it('a job whose worker dies shows the error and Retry, survives a reload, and the retry is read', { timeout: 180_000 }, async () => {
    const { page } = tablet;
    // The kill lands once the card says the photo is being read; a label can be read in well under a
    // second, so the worker may finish it first. Then that reading is discarded and another photo is
    // sent, until one is caught mid-read (the fault suite's worker-crash test tolerates the same race).
    let jobId = '';
    for (let attempt = 1; ; attempt++) {
      jobId = await scanPhoto(page, await photoOf(LABEL));
      await expect.poll(() => statusOf(jobId), { timeout: READ_MS, interval: 50 }).toBe('processing');
      await killOcrWorker(sys.dataDir);
      await expect.poll(async () => ['failed', 'completed'].includes((await statusOf(jobId)) ?? ''), { timeout: 60_000 }).toBe(true);
      if ((await statusOf(jobId)) === 'failed' || attempt === 5) break;
      const gone = await fetch(`${sys.url}/meds/medications/${jobId}`, { method: 'DELETE', headers: admin });
      expect(gone.status).toBe(204);
    }
    expect(await statusOf(jobId)).toBe('failed');
    const card = cardOf(page, jobId);
    expect(await card.getByTestId('job-error').textContent()).toMatch(/^The reader stopped before it finished this photo/);
    expect((await api<JobStatusView>(`/meds/extract/${jobId}/status`)).error).toMatchObject({ code: 'delivery_exhausted', retryable: true });
    await expect.poll(() => page.getByTestId('announcer').textContent()).toMatch(/Could not read/);

    // The failure is on the server: a reload finds it again, and the Recent scans list has it under Failed.
    await page.reload();
    await cardOf(page, jobId).waitFor();
    expect(await statusOf(jobId)).toBe('failed');
    await page.getByTestId('tab-scans').click();
    await page.getByTestId('filter-failed').click();
    await expect.poll(() => page.getByTestId(`recent-${jobId}`).getAttribute('data-status')).toBe('failed');
    expect(await page.getByTestId(`recent-retry-${jobId}`).isVisible()).toBe(true);

    // The launcher restarted the worker; the retry is attempt 2 and is read.
    await page.getByTestId(`retry-${jobId}`).click();
    await expect.poll(() => statusOf(jobId), { timeout: READ_MS }).toBe('completed');
    expect(await cardOf(page, jobId).textContent()).toMatch(/attempt 2/);
    await expect.poll(() => page.getByTestId(`recent-${jobId}`).getAttribute('data-status')).toBe('completed');
    expect(sys.output.some((l) => /\[start\] ocr-worker exited \(SIGKILL\); restarting/.test(l))).toBe(true);
    await page.getByTestId('tab-meds').click();
  });

  it('a reading with no name says so, and the medication can be typed in instead', { timeout: 180_000 }, async () => {
    const { page } = tablet;
    const jobId = await scanPhoto(page, await blankLabel(page));
    await expect.poll(() => statusOf(jobId), { timeout: READ_MS }).toBe('completed');
    const card = cardOf(page, jobId);
    expect(await card.getByTestId(`nameless-${jobId}`).textContent()).toMatch(/name could not be read/);
    expect(await card.getByTestId(`retake-${jobId}`).isVisible()).toBe(true);

    await card.getByTestId(`type-in-${jobId}`).click();
    const dialog = page.getByTestId('review-dialog');
    await dialog.waitFor();
    expect(await dialog.getAttribute('data-mode')).toBe('new');
    // Without a name it is refused, and says why beside the field.
    await dialog.getByTestId('review-save').click();
    await expect.poll(() => dialog.getByTestId('field-name').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByTestId('field-name').fill('Metformin');
    await dialog.getByTestId('field-dosage').fill('500 mg');
    await dialog.getByTestId('field-schedule').selectOption('Twice daily');
    await dialog.getByTestId('review-save').click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(async () => (await api<MedicationView[]>('/meds/medications')).find((m) => m.name === 'Metformin')?.status).toBe('confirmed');
    const typed = (await api<MedicationView[]>('/meds/medications')).find((m) => m.name === 'Metformin')!;
    expect(typed).toMatchObject({ source_job_id: null, dosage: '500 mg', schedule: 'Twice daily' });
    await expect.poll(() => page.getByTestId(`med-${typed.id}`).textContent()).toMatch(/Take twice a day/);
    // The nameless draft is gone from the list.
    await expect.poll(async () => (await api<MedicationView[]>('/meds/medications')).some((m) => m.id === jobId)).toBe(false);
  });

  it('edits and deletes a medication from the list, by keyboard', { timeout: 60_000 }, async () => {
    const { page } = tablet;
    const typed = (await api<MedicationView[]>('/meds/medications')).find((m) => m.name === 'Metformin')!;
    await page.getByTestId(`open-${typed.id}`).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('review-dialog');
    await dialog.waitFor();
    expect(await dialog.getAttribute('data-mode')).toBe('edit');
    await dialog.getByTestId('field-refills').fill('4');
    await dialog.getByTestId('field-refills').press('Enter'); // submits the form
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await api<MedicationView[]>('/meds/medications')).find((m) => m.id === typed.id)?.refills).toBe(4);

    // Escape closes the dialog without saving, and the focus goes back where it was.
    await page.getByTestId(`open-${typed.id}`).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(`open-${typed.id}`);

    await page.getByTestId(`delete-${typed.id}`).click();
    await page.getByTestId(`delete-yes-${typed.id}`).click();
    await page.getByTestId(`med-${typed.id}`).waitFor({ state: 'detached' });
    expect((await api<MedicationView[]>('/meds/medications')).some((m) => m.id === typed.id)).toBe(false);
    expect(tablet.errors).toEqual([]);
  });

  it('every control is a thumb-sized target', async () => {
    const small = await tablet.page.evaluate(() =>
      [...document.querySelectorAll('button, label[data-testid="scan-button"], select, input[type="text"]')]
        .map((el) => ({ text: el.textContent?.trim() ?? el.getAttribute('data-testid') ?? '', box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && (box.height < 48 || box.width < 48))
        .map(({ text, box }) => `${text} ${box.width}x${box.height}`),
    );
    expect(small).toEqual([]);
  });

  it('with the WebSocket blocked, the page still follows a scan to done by polling', { timeout: 180_000 }, async () => {
    const blocked = await openTablet(browser, sys.url, { blockPush: true, pairingCode: await newCode() });
    const { page } = blocked;
    try {
      await page.getByTestId('med-list').waitFor();
      const statusPolls: string[] = [];
      page.on('request', (r) => {
        if (/\/meds\/extract\/[^/]+\/status/.test(r.url())) statusPolls.push(r.url());
      });
      const jobId = await scanPhoto(page, await photoOf(LABEL));
      await expect.poll(() => cardOf(page, jobId).getAttribute('data-status'), { timeout: READ_MS }).toBe('completed');
      // The block really happened: the page tried, never went live, and learned the result by asking.
      expect(blocked.blockedSockets()).toBeGreaterThan(0);
      expect(await liveEverSeen(page)).toBe(false);
      expect(await page.getByTestId('connection').textContent()).toMatch(/Checking every few seconds/);
      expect(statusPolls.length).toBeGreaterThan(0);
      await page.getByTestId(`needs-review-${jobId}`).waitFor();
      expect(blocked.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('sends a tablet whose device was revoked back to the pairing screen, saying why', { timeout: 60_000 }, async () => {
    const { page } = tablet;
    const kitchen = (await api<{ id: string; name: string }[]>('/meds/devices')).find((d) => d.name === 'Kitchen tablet')!;
    expect((await fetch(`${sys.url}/meds/devices/${kitchen.id}`, { method: 'DELETE', headers: admin })).status).toBe(204);
    await page.getByTestId('tab-scans').click();
    await page.getByTestId('pairing').waitFor();
    expect(await page.getByTestId('pairing').textContent()).toMatch(/no longer paired/);
    expect(await page.getByTestId('scan-button').count()).toBe(0);
  });
});
