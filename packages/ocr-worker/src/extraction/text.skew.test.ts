import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { turnedLikeTesseract, type GreyPixels } from './image.preprocess.js';
import { estimateSkew, MIN_SKEW } from './text.skew.js';

/** Lines of text on paper, optionally on a dark table around it, as grey pixels. */
async function page(onTable = false): Promise<GreyPixels> {
  const rows = ['CORNER DRUG (217) 555-0142', 'TAKE 1 TABLET BY MOUTH TWICE DAILY', 'METFORMIN HCL 500 MG TABLET', 'QTY: 60 REFILLS: 2'];
  const text = rows.map((r, i) => `<text x="${onTable ? 160 : 40}" y="${(onTable ? 180 : 70) + i * 52}" font-family="DejaVu Sans" font-size="32">${r}</text>`).join('');
  const paper = onTable ? '<rect width="100%" height="100%" fill="#333"/><rect x="120" y="120" width="860" height="300" fill="#f2f0ea"/>' : '<rect width="100%" height="100%" fill="#f2f0ea"/>';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${onTable ? 1100 : 900}" height="${onTable ? 540 : 300}">${paper}${text}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('estimateSkew', () => {
  it('leaves level text level', async () => {
    expect(estimateSkew(await page())).toBe(0);
  });

  it('finds the turn that levels tilted text, either way, as tesseract.js would turn it', async () => {
    const level = await page();
    for (const tilt of [0.06, -0.1]) {
      const tilted = await turnedLikeTesseract(level, tilt);
      expect(estimateSkew(tilted)).toBeCloseTo(-tilt, 2);
    }
  });

  it('goes by the text, not by a dark table around the label', async () => {
    const tilted = await turnedLikeTesseract(await page(true), 0.08);
    expect(estimateSkew(tilted)).toBeCloseTo(-0.08, 2);
  });

  it('says nothing of a blank page', () => {
    expect(estimateSkew({ data: new Uint8Array(400 * 200).fill(240), width: 400, height: 200 })).toBe(0);
    expect(MIN_SKEW).toBeGreaterThan(0);
  });
});
