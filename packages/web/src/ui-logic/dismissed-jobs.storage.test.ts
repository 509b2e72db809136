import { describe, expect, it } from 'vitest';
import { dismissedJobs, type KeyValueStorage } from './dismissed-jobs.storage.js';

const memory = (): KeyValueStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};

describe('dismissed jobs', () => {
  it('remembers across page loads, keeping only the newest', () => {
    const storage = memory();
    const first = dismissedJobs(storage, 'k', 2);
    first.add('a');
    first.add('b');
    first.add('c');
    const second = dismissedJobs(storage, 'k', 2);
    expect(['a', 'b', 'c'].map(second.has)).toEqual([false, true, true]);
  });

  it('works for the page alone when storage is missing, damaged or refuses', () => {
    const none = dismissedJobs(null);
    none.add('a');
    expect(none.has('a')).toBe(true);

    const damaged = memory();
    damaged.data.set('k', '{not json');
    expect(dismissedJobs(damaged, 'k').has('a')).toBe(false);

    const refusing = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    const store = dismissedJobs(refusing, 'k');
    store.add('a');
    expect(store.has('a')).toBe(true);
  });
});
