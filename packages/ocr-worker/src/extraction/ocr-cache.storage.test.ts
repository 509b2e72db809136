import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedEngine } from './ocr-cache.storage.js';
import type { OcrEngine } from './tesseract.engine.js';

const dir = mkdtempSync(join(tmpdir(), 'rxscan-ocr-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the eval reading cache', () => {
  let calls = 0;
  const engine: OcrEngine = {
    recognize: async () => ({ reading: { text: `read ${++calls}`, confidence: 90, lines: [] }, rotateRadians: 0 }),
    terminate: async () => {},
  };
  it('reads an image once and answers again from disk; other parameters are another reading', async () => {
    const cached = cachedEngine(engine, dir);
    const first = await cached.recognize(Buffer.from('image'), { deskew: true });
    expect((await cached.recognize(Buffer.from('image'), { deskew: true })).reading.text).toBe(first.reading.text);
    await cached.recognize(Buffer.from('image'), { deskew: false });
    expect(calls).toBe(2);
  });
  it('passes every call through while switched off (the validation split)', async () => {
    const off = cachedEngine(engine, dir, () => false);
    await off.recognize(Buffer.from('image'), { deskew: true });
    expect(calls).toBe(3);
  });
});
