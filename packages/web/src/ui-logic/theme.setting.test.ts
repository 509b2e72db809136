import { describe, expect, it } from 'vitest';
import { applyTheme, readTheme } from './theme.setting.js';

describe('theme', () => {
  it('follows the tablet until the person chooses, and remembers the choice', () => {
    const data = new Map<string, string>();
    const storage = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    const root = { dataset: {} as DOMStringMap };
    expect(readTheme(storage)).toBe('auto');
    applyTheme(root, 'dark', storage);
    expect(root.dataset.theme).toBe('dark');
    expect(readTheme(storage)).toBe('dark');
    applyTheme(root, 'auto', storage);
    expect(root.dataset.theme).toBeUndefined();
    data.set('rxscan.theme', 'purple');
    expect(readTheme(storage)).toBe('auto');
  });
});
