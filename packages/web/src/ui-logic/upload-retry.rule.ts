import { errorFromThrown } from './api.errors.js';

/** The first wait after an upload that did not get through; it doubles each time. */
export const FIRST_RETRY_MS = 2_000;
/** The longest wait between two tries, so a photo goes soon after the server is back. */
export const MAX_RETRY_MS = 30_000;

/**
 * Whether a photo that was not accepted stays on the tablet to be sent again by itself:
 * yes when the server was not reached, took too long, was busy (429) or briefly away
 * (5xx), or no longer knows this tablet (401: kept until it is paired again); no when
 * it refused the photo itself (400, 413, 415…), which sending the same photo again
 * cannot change.
 */
export function worthWaiting(err: unknown): boolean {
  const e = errorFromThrown(err);
  if (e.code === 'aborted') return false;
  // 401: the tablet is being paired again; the photos go once it is back in.
  return e.status === 0 || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500;
}

/** How long to wait before try number `tries + 1`: doubling from FIRST_RETRY_MS up to MAX_RETRY_MS, spread by ±20% so tablets do not all come back at once. */
export function retryDelayMs(tries: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, tries - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
