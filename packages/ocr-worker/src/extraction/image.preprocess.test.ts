import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESS, encodePgm, paintOutside, preprocessImage, turnedLikeTesseract } from './image.preprocess.js';

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

describe('paintOutside', () => {
  it('paints what is not paper in the paper’s white, the cells stretched over the image', () => {
    // 8 × 4 pixels, 4 × 2 cells: the left column of cells is the table, the rest paper.
    const paper = { data: Uint8Array.from([0, 255, 255, 255, 0, 255, 255, 255]), width: 4, height: 2 };
    const img = new Uint8Array(8 * 4).fill(30); // a dark table
    // The paper: mostly 200, glare at 250 on a few pixels, and text at 20.
    for (let y = 0; y < 4; y++) for (let x = 2; x < 8; x++) img[y * 8 + x] = x === 7 ? 250 : x === 3 && y < 2 ? 20 : 200;
    const out = paintOutside(img, 8, 4, paper);
    expect([...out.subarray(0, 2)]).toEqual([200, 200]); // the paper's white, not the glare's
    expect(out[3]).toBe(20); // text on the paper stays
    expect(out[3 * 8 + 1]).toBe(200);
  });

  it('paints what is left of the dark rim where the coarse cells reach past the paper, and not text', () => {
    // 80 × 40 pixels, 8 × 4 cells of 10 px: the left cell column is table. The photo's table
    // really reaches to x = 14 (the cells are coarse), so x 10–13 is a dark leftover joined to the
    // painted part; a dark text stroke at x 22–25, as near the edge, stands apart from it.
    const cells = new Uint8Array(8 * 4).fill(255);
    for (let cy = 0; cy < 4; cy++) cells[cy * 8] = 0;
    const img = new Uint8Array(80 * 40);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 80; x++) img[y * 80 + x] = x < 14 ? 30 : x >= 22 && x < 26 && y >= 10 && y < 30 ? 25 : 210;
    const out = paintOutside(img, 80, 40, { data: cells, width: 8, height: 4 });
    expect(out[20 * 80 + 12]).toBe(210); // the leftover rim, painted
    expect(out[20 * 80 + 23]).toBe(25); // the text stays
  });
});

describe('preprocessImage with the paper known', () => {
  it('gives Tesseract one channel where the table round the label is the paper’s white', async () => {
    // 400 × 200: a dark table, the paper from x 100 to 300 with a dark bar of text across it.
    const px = new Uint8Array(400 * 200).fill(35);
    for (let y = 0; y < 200; y++) for (let x = 100; x < 300; x++) px[y * 400 + x] = y >= 90 && y < 110 && x >= 130 && x < 270 ? 30 : 220;
    const png = await sharp(px, { raw: { width: 400, height: 200, channels: 1 } }).png().toBuffer();
    const paper = { data: Uint8Array.from([0, 255, 255, 0]), width: 4, height: 1 }; // cells of 100 px: the middle two are paper
    const out = await preprocessImage(png, DEFAULT_PREPROCESS, { left: 0, top: 0, width: 400, height: 200, paper });
    expect(out.data.length).toBe(out.width * out.height);
    const at = (x: number, y: number) => out.data[Math.round((y / 200) * out.height) * out.width + Math.round((x / 400) * out.width)]!;
    expect(at(30, 30)).toBeGreaterThan(200); // the table, painted
    expect(at(200, 40)).toBeGreaterThan(200); // the paper
    expect(at(200, 100)).toBeLessThan(60); // the text
  });
});
