/** The part of localStorage used here, so tests can pass a Map-backed fake. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface DismissedJobs {
  has(jobId: string): boolean;
  add(jobId: string): void;
}

/** localStorage when the browser lets us use it (private modes and locked-down profiles may not). */
export function browserStorage(): KeyValueStorage | null {
  try {
    const s = globalThis.localStorage;
    const probe = '__rxscan_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/**
 * The finished scans a person removed from the screen on this tablet, so that a reload,
 * which finds recent failures on the server, does not bring them back. Only the newest
 * `max` are kept; without storage it lasts as long as the page.
 */
export function dismissedJobs(storage: KeyValueStorage | null, key = 'rxscan.dismissed-jobs', max = 200): DismissedJobs {
  let ids: string[] = [];
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
    if (Array.isArray(parsed)) ids = parsed.filter((x): x is string => typeof x === 'string');
  } catch {
    // A damaged entry only means some old cards may come back once.
  }
  return {
    has: (jobId) => ids.includes(jobId),
    add(jobId) {
      ids = [...ids.filter((x) => x !== jobId), jobId].slice(-max);
      try {
        storage?.setItem(key, JSON.stringify(ids));
      } catch {
        // Storage full or refused: remembered for this page only.
      }
    },
  };
}
