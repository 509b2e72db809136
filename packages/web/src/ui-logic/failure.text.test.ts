import { describe, expect, it } from 'vitest';
import { canRetry, failureText } from './failure.text.js';
import { view } from './test.fixtures.js';

const failed = (code: string, message: string, retryable = true) => view('failed', { error: { code, message, retryable } });

describe('failure text', () => {
  it('puts operator wording into words for the person holding the tablet', () => {
    const text = failureText(failed('delivery_exhausted', 'No worker finished reading this label after 1 tries. Retry the scan.'));
    expect(text).toMatch(/^The reader stopped before it finished this photo/);
    expect(text).not.toMatch(/tries/);
  });

  it("keeps the worker's own message for other codes, as a sentence", () => {
    expect(failureText(failed('unreadable', 'no text found on the photo'))).toBe('No text found on the photo.');
  });

  it('says something useful without any message', () => {
    expect(failureText(failed('x', ''))).toMatch(/could not be read/);
  });

  it('offers Retry only when reading the same photo again could work', () => {
    expect(canRetry(failed('ocr_error', 'x'))).toBe(true);
    expect(canRetry(failed('not_an_image', 'x', false))).toBe(false);
    expect(canRetry(view('completed'))).toBe(false);
    expect(canRetry(undefined)).toBe(false);
  });
});
