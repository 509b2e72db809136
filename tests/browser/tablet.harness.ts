import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** The Chromium of the machine: playwright-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A landscape 10-inch tablet. */
export const VIEWPORT = { width: 1280, height: 800 };
/** A phone held upright. */
export const PHONE = { width: 390, height: 844 };

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });

export interface TabletPage {
  page: Page;
  /** Errors the page logged or threw; a working page has none. */
  errors: string[];
  /** How often the page tried to open the push WebSocket while it was blocked. */
  blockedSockets(): number;
}

/**
 * Watches the page from inside: every status each scan card showed, in order, and
 * whether push was ever live. A test that only looked now and then would miss a step
 * that lasted less than its polling interval. (Init scripts are not subject to the CSP.)
 */
function recordInPage(): void {
  const w = window as unknown as { __statuses: Record<string, string[]>; __liveSeen: boolean };
  w.__statuses = {};
  w.__liveSeen = false;
  const record = () => {
    for (const el of document.querySelectorAll<HTMLElement>('article[data-testid^="job-"][data-status]')) {
      const seen = (w.__statuses[el.dataset.testid!.slice(4)] ??= []);
      if (seen.at(-1) !== el.dataset.status) seen.push(el.dataset.status!);
    }
    if (document.querySelector('[data-testid="connection"]')?.textContent?.includes('Live')) w.__liveSeen = true;
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

/**
 * Opens the page; with `blockPush`, every /meds/ws WebSocket is closed before it reaches
 * the server; with `pairingCode`, pairs through the pairing screen as a person would.
 */
export async function openTablet(
  browser: Browser,
  url: string,
  opts: { blockPush?: boolean; pairingCode?: string; viewport?: { width: number; height: number } } = {},
): Promise<TabletPage> {
  const page = await browser.newPage({ viewport: opts.viewport ?? VIEWPORT, colorScheme: 'light' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.addInitScript(recordInPage);
  let blocked = 0;
  if (opts.blockPush) {
    // Not page.route: that does not see WebSockets. Without connectToServer the server is never asked.
    await page.routeWebSocket('**/meds/ws', (ws) => {
      blocked += 1;
      ws.close({ code: 1011, reason: 'blocked by the test' });
    });
  }
  await page.goto(url);
  if (opts.pairingCode) {
    await pairThroughPage(page, opts.pairingCode, 'Test tablet');
    // The 401 that showed the pairing screen, logged by Chromium: expected, not a fault of the page.
    if (errors.every((e) => /status of 401/.test(e))) errors.length = 0;
  }
  return { page, errors, blockedSockets: () => blocked };
}

/** Types the code and a name into the pairing screen and waits for the household's list. */
export async function pairThroughPage(page: Page, code: string, name: string): Promise<void> {
  await page.getByTestId('pair-code').fill(code);
  await page.getByTestId('pair-name').fill(name);
  await page.getByTestId('pair-submit').click();
  await page.getByTestId('scan-button').waitFor();
}

export const statusesSeen = (page: Page, jobId: string): Promise<string[]> =>
  page.evaluate((id) => (window as unknown as { __statuses: Record<string, string[]> }).__statuses[id] ?? [], jobId);

export const liveEverSeen = (page: Page): Promise<boolean> =>
  page.evaluate(() => (window as unknown as { __liveSeen: boolean }).__liveSeen);

export const cardOf = (page: Page, jobId: string): Locator => page.getByTestId(`job-${jobId}`);

/**
 * Chooses photos through the scan button's file input, as a person would, and returns
 * the server's job id of the newest card once the upload was accepted.
 */
export async function scanPhoto(page: Page, photo: string | { name: string; mimeType: string; buffer: Buffer }): Promise<string> {
  const cards = page.locator('article[data-testid^="job-"]');
  const before = new Set(await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-testid'))));
  await page.getByTestId('scan-input').setInputFiles(photo);
  for (let i = 0; i < 300; i++) {
    const now = await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
    const added = now.find((id) => id && !before.has(id));
    if (added) return added.slice('job-'.length);
    await page.waitForTimeout(100);
  }
  throw new Error('the upload was not accepted within 30 s');
}

/** A photo with nothing printed on it: it is an image, so it is read, and no name is found. */
export async function blankLabel(page: Page): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1200;
    canvas.height = 900;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#f3efe6';
    g.fillRect(0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b: Blob | null) => resolve(b!), 'image/jpeg', 0.9));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  });
  return { name: 'blank.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') };
}

/** SIGKILLs the OCR worker; the pid is read right before, since it changes on every restart. */
export async function killOcrWorker(dataDir: string): Promise<number> {
  const runtime = JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8')) as { pids: Record<string, number> };
  const pid = runtime.pids['ocr-worker']!;
  process.kill(pid, 'SIGKILL');
  return pid;
}

/** The page is no wider than the screen: nothing to scroll sideways. */
export async function widthOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string[] }> {
  return page.evaluate(() => {
    const w = innerWidth;
    const widest = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > w + 0.5;
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}.${[...el.classList].join('.')}`);
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: w, widest };
  });
}
