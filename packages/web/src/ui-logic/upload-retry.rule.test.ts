import { describe, expect, it } from 'vitest';
import { ApiError } from './api.errors.js';
import { MAX_RETRY_MS, retryDelayMs, worthWaiting } from './upload-retry.rule.js';

describe('a photo that was not accepted', () => {
  it('waits on the tablet when the server was not reached, busy or briefly away', () => {
    expect(worthWaiting(new TypeError('Failed to fetch'))).toBe(true);
    expect(worthWaiting(new ApiError(0, 'network', 'x'))).toBe(true);
    expect(worthWaiting(new ApiError(0, 'timeout', 'x'))).toBe(true);
    expect(worthWaiting(new ApiError(429, 'too_many', 'x'))).toBe(true);
    expect(worthWaiting(new ApiError(503, 'http_503', 'x'))).toBe(true);
    // Unpaired: kept until the tablet is paired again.
    expect(worthWaiting(new ApiError(401, 'unauthorized', 'x'))).toBe(true);
  });

  it('is not sent again when the server refused the photo itself', () => {
    expect(worthWaiting(new ApiError(400, 'not_an_image', 'x'))).toBe(false);
    expect(worthWaiting(new ApiError(413, 'too_large', 'x'))).toBe(false);
  });

  it('waits longer after each try, never more than the cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, mid))).toEqual([2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(retryDelayMs(1, () => 0)).toBe(1600);
    expect(retryDelayMs(50, () => 1)).toBe(MAX_RETRY_MS * 1.2);
  });
});
