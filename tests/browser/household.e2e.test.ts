import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { MedicationView, PersonView } from '@rxscan/contracts';
import { startSystem, type RunningSystem } from '@rxscan/test-utils';
import { cardOf, launchChromium, openTablet, scanPhoto, type TabletPage } from './tablet.harness.js';
import { renderLabel, SARAH, THOMAS } from './household-labels.fixtures.js';

const READ_MS = 120_000;
const photo = async (name: string, label: typeof SARAH) => ({ name, mimeType: 'image/jpeg', buffer: await renderLabel(label) });

/**
 * The household's record in a real Chromium against the whole system: labels of two
 * people (generated, read by the real OCR pipeline), a rescan as a refill, the same photo
 * twice, stop, undo-delete and history surviving a reload and `ops rebuild`, and the
 * printable list of one person.
 */
describe('the household record on the tablet, in Chromium against the whole system', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let tablet: TabletPage;
  let page: Page;
  let admin: { authorization: string };
  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${sys.url}${path}`, { headers: admin })).json()) as T;
  const row = (id: string) => page.getByTestId(`med-${id}`);
  const ids: Record<'sarah' | 'thomas', string> = { sarah: '', thomas: '' };

  beforeAll(async () => {
    sys = await startSystem();
    admin = { authorization: `Bearer ${await sys.adminToken()}` };
    browser = await launchChromium();
    tablet = await openTablet(browser, sys.url, { pairingCode: await sys.pairingCode() });
    page = tablet.page;
  });

  afterAll(async () => {
    await browser?.close();
    if (sys) expect(await sys.stop()).toBe(0);
  });

  /** Scans a label, waits for its reading, and opens the review. */
  async function scanAndReview(file: { name: string; mimeType: string; buffer: Buffer }): Promise<{ jobId: string; dialog: Locator }> {
    const jobId = await scanPhoto(page, file);
    await expect.poll(() => cardOf(page, jobId).getAttribute('data-status'), { timeout: READ_MS }).toBe('completed');
    await page.getByTestId(`review-${jobId}`).click();
    const dialog = page.getByTestId('review-dialog');
    await dialog.waitFor();
    return { jobId, dialog };
  }

  /** Says whose it is as a person would: the name on the list, or a new person by the name on the label. */
  async function whose(dialog: Locator, name: string): Promise<void> {
    const picker = dialog.getByTestId('person-choice');
    const options = await picker.locator('option').allTextContents();
    if (options.includes(name)) return void (await picker.selectOption({ label: name }));
    await picker.selectOption('new');
    await dialog.getByTestId('new-person-name').fill(name);
  }

  it('puts two people’s labels under two people, and filters the list by person', { timeout: 300_000 }, async () => {
    for (const [who, label, name] of [
      ['sarah', SARAH, 'Sarah Smith'],
      ['thomas', THOMAS, 'Thomas Brown'],
    ] as const) {
      const { jobId, dialog } = await scanAndReview(await photo(`${who}.jpg`, label));
      await whose(dialog, name);
      await dialog.getByTestId('review-save').click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => row(jobId).getAttribute('data-status')).toBe('confirmed');
      ids[who] = jobId;
    }
    expect(await page.getByTestId(`person-of-${ids.sarah}`).textContent()).toMatch(/Sarah Smith/);
    expect(await page.getByTestId(`person-of-${ids.thomas}`).textContent()).toMatch(/Thomas Brown/);
    const people = await api<PersonView[]>('/meds/people');
    expect(people.map((p) => p.name).sort()).toEqual(['Sarah Smith', 'Thomas Brown']);

    const filter = page.getByTestId('person-filter');
    await filter.selectOption({ label: 'Thomas Brown' });
    await expect.poll(() => row(ids.sarah).count()).toBe(0);
    expect(await row(ids.thomas).count()).toBe(1);
    await filter.selectOption('all');
    await page.getByTestId('med-search').fill('lisino');
    await expect.poll(() => row(ids.thomas).count()).toBe(0);
    expect(await row(ids.sarah).count()).toBe(1);
    await page.getByTestId('med-search').fill('');
    expect(tablet.errors).toEqual([]);
  });

  it('offers a rescan of a confirmed prescription as a refill, and updates it without a second row; the same photo again is the same scan', { timeout: 300_000 }, async () => {
    const rows = () => page.locator('[data-testid="med-list"] > li').count();
    const before = await rows();
    const refillPhoto = await photo('sarah-refill.jpg', { ...SARAH, filled: '11/01/2026', refills: 2, discard: '11/01/2027' });
    const { jobId, dialog } = await scanAndReview(refillPhoto);
    const offer = dialog.getByTestId('refill-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toMatch(/refill of Lisinopril 10 mg \(Sarah Smith\)/);
    expect(await dialog.getByTestId('refill-yes').isChecked()).toBe(true);
    // The person checks the new fill date against the label (the field may already hold it).
    await dialog.getByTestId('field-date_filled').fill('2026-11-01');
    expect(await dialog.getByTestId('review-save').textContent()).toMatch(/Record the refill/);
    await dialog.getByTestId('review-save').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId(`refilled-${jobId}`).waitFor();

    await expect.poll(() => row(ids.sarah).textContent()).toMatch(/2026-11-01/);
    expect(await rows()).toBe(before);
    expect(await row(jobId).count()).toBe(0);
    const sarahs = (await api<MedicationView[]>('/meds/medications')).filter((m) => m.name?.startsWith('Lisinopril'));
    expect(sarahs).toHaveLength(1);
    expect(sarahs[0]).toMatchObject({ id: ids.sarah, refills: 2, date_filled: '2026-11-01' });

    // The very same photo again: the answer is that scan (one card for it), and the card says so.
    await page.getByTestId('scan-input').setInputFiles(refillPhoto);
    await page.getByTestId(`duplicate-${jobId}`).waitFor();
    expect(await cardOf(page, jobId).count()).toBe(1);
    await expect.poll(() => cardOf(page, jobId).getAttribute('data-outcome')).toBe('refilled');
    expect(await rows()).toBe(before);
  });

  it('stops a medication, undoes a delete, and shows the history, all still so after a reload and an ops rebuild', { timeout: 300_000 }, async () => {
    await page.getByTestId(`stop-${ids.sarah}`).click();
    await page.getByTestId('past-meds').getByTestId(`med-${ids.sarah}`).waitFor();

    await page.getByTestId(`delete-${ids.thomas}`).click();
    await page.getByTestId(`delete-yes-${ids.thomas}`).click();
    await expect.poll(() => row(ids.thomas).count()).toBe(0);
    await page.getByTestId('undo-delete').click();
    await row(ids.thomas).waitFor();
    // Deleted again, and undone after a reload, from "Recently deleted".
    await page.getByTestId(`delete-${ids.thomas}`).click();
    await page.getByTestId(`delete-yes-${ids.thomas}`).click();
    await expect.poll(() => row(ids.thomas).count()).toBe(0);
    await page.reload();
    const deleted = page.getByTestId('deleted-meds');
    await deleted.locator('summary').click();
    await deleted.getByTestId(`undo-${ids.thomas}`).click();
    await row(ids.thomas).waitFor();

    const historyOf = async (id: string) => {
      const details = page.getByTestId(`history-${id}`);
      if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
      const lines = page.getByTestId(`history-lines-${id}`).locator('li');
      await lines.first().waitFor();
      return lines.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
    };
    const check = async () => {
      expect(await page.getByTestId('past-meds').getByTestId(`med-${ids.sarah}`).count()).toBe(1);
      expect(await page.getByTestId('med-list').getByTestId(`med-${ids.thomas}`).count()).toBe(1);
      expect(await historyOf(ids.sarah)).toEqual(['stopped', 'refilled', 'confirmed', 'scanned']);
      expect(await historyOf(ids.thomas)).toEqual(['restored', 'deleted', 'restored', 'deleted', 'confirmed', 'scanned']);
    };
    await check();
    await page.reload();
    await page.getByTestId(`med-${ids.sarah}`).waitFor();
    await check();

    const before = await api<MedicationView[]>('/meds/medications');
    expect(await sys.ops('rebuild')).toMatch(/rebuilt|applied/i);
    expect(await api<MedicationView[]>('/meds/medications')).toEqual(before);
    await page.reload();
    await page.getByTestId(`med-${ids.sarah}`).waitFor();
    await check();
    expect(tablet.errors).toEqual([]);
  });

  it('prints one person’s list: name, strength, directions, prescriber, pharmacy, last fill, nobody else’s', { timeout: 120_000 }, async () => {
    await page.getByTestId(`resume-${ids.sarah}`).click();
    await page.getByTestId('med-list').getByTestId(`med-${ids.sarah}`).waitFor();
    await page.getByTestId('person-filter').selectOption({ label: 'Sarah Smith' });
    await page.getByTestId('print-list').click();
    const sheet = page.getByTestId('print-sheet');
    await sheet.waitFor();
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await sheet.isVisible()).toBe(true);
      expect(await page.getByTestId('scan-button').isVisible()).toBe(false);
      expect(await sheet.getByTestId('print-now').isVisible()).toBe(false);
      const text = (await sheet.textContent()) ?? '';
      expect(text).toMatch(/Medications of Sarah Smith/);
      const cells = await sheet.getByTestId('print-row').locator('td').allTextContents();
      expect(cells).toEqual(['Lisinopril', '10 mg tablet', 'TAKE 1 TABLET BY MOUTH ONCE DAILY', expect.stringMatching(/Ana Lee/), expect.stringMatching(/CVS PHARMACY/), '2026-11-01']);
      expect(text).not.toMatch(/Metformin/i);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    await sheet.getByTestId('print-close').click();
    expect(tablet.errors).toEqual([]);
  });
});
