import { describe, expect, it } from 'vitest';
import { encodePgm, turnedLikeTesseract } from './image.preprocess.js';

describe('encodePgm', () => {
  it('writes a binary PGM whose pixels start past the 500 bytes tesseract.js scans for EXIF', () => {
    const pixels = Uint8Array.from([1, 18, 0, 3, 0, 0, 0, 1, 0, 6, 9, 9]); // an EXIF orientation pattern
    const pgm = encodePgm(pixels, 4, 3);
    expect(pgm.subarray(0, 3).toString('latin1')).toBe('P5\n');
    expect(pgm.length - pixels.length).toBeGreaterThan(500);
    expect(pgm.toString('latin1', pgm.length - pixels.length - 9, pgm.length - pixels.length)).toBe('\n4 3\n255\n');
    expect([...pgm.subarray(pgm.length - pixels.length)]).toEqual([...pixels]);
  });
});

describe('turnedLikeTesseract', () => {
  const img = { data: new Uint8Array(200 * 100).fill(200), width: 200, height: 100 };
  it('leaves an unturned image as it is', async () => {
    expect(await turnedLikeTesseract(img, 0)).toBe(img);
  });
  it('turns about the centre, keeping the size, with white at the corners', async () => {
    const out = await turnedLikeTesseract(img, 0.1);
    expect([out.width, out.height, out.data.length]).toEqual([200, 100, 200 * 100]);
    expect(out.data[100 * 50 + 50]).toBe(200);
    expect(out.data[0]).toBe(255);
  });
});
