import { describe, expect, it } from 'vitest';
import { eatsIntoReserve, jetstreamStoreLimit } from './disk-reserve.rule.js';

const MB = 1024 * 1024;

describe('the disk reserve', () => {
  it('lets JetStream grow until half the reserve is left, so uploads (refused at the whole reserve) stop first', () => {
    const limit = jetstreamStoreLimit({ storeBytes: 10 * MB, freeBytes: 2000 * MB, reserveBytes: 512 * MB });
    expect(limit).toBe(10 * MB + 2000 * MB - 256 * MB);
    // The growth that fills JetStream to its limit leaves half the reserve free: below the reserve, where ingest refused already.
    const growth = limit - 10 * MB;
    expect(eatsIntoReserve(2000 * MB - growth, 0, 512 * MB)).toBe(true);
    expect(2000 * MB - growth).toBe(256 * MB);
  });

  it('still allows half the reserve of growth to a server started on a nearly full disk', () => {
    expect(jetstreamStoreLimit({ storeBytes: 10 * MB, freeBytes: 100 * MB, reserveBytes: 512 * MB })).toBe(10 * MB + 256 * MB);
  });

  it('never caps JetStream at what it holds, even with no reserve and a full disk', () => {
    expect(jetstreamStoreLimit({ storeBytes: 10 * MB, freeBytes: 0, reserveBytes: 0 })).toBe(11 * MB);
  });

  it('refuses a write that would leave less than the reserve free', () => {
    expect(eatsIntoReserve(600 * MB, 50 * MB, 512 * MB)).toBe(false);
    expect(eatsIntoReserve(600 * MB, 100 * MB, 512 * MB)).toBe(true);
  });
});
