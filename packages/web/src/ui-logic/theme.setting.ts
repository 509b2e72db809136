import type { KeyValueStorage } from './dismissed-jobs.storage.js';

/** The person's choice; `auto` follows the tablet's light or dark setting. */
export type ThemeChoice = 'auto' | 'light' | 'dark';

export const THEME_CHOICES: readonly { key: ThemeChoice; label: string }[] = [
  { key: 'auto', label: 'Automatic' },
  { key: 'light', label: 'Light' },
  { key: 'dark', label: 'Dark' },
];

const KEY = 'rxscan.theme';

export function readTheme(storage: KeyValueStorage | null): ThemeChoice {
  try {
    const v = storage?.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

/**
 * Sets `data-theme` on the root element (the stylesheet picks the tokens from it) and
 * remembers the choice. No inline script may run before paint (CSP), so main.ts calls
 * this before mounting the page.
 */
export function applyTheme(root: { dataset: DOMStringMap }, choice: ThemeChoice, storage: KeyValueStorage | null = null): void {
  if (choice === 'auto') delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    storage?.setItem(KEY, choice);
  } catch {
    // Not remembered; it still applies to this page.
  }
}
