import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { turnedLikeTesseract, type GreyPixels } from './image.preprocess.js';
import { MIN_TURN, turnLevel } from './label.turn.js';

/** Lines of text on a label lying on a dark table, as grey pixels. */
async function label(): Promise<GreyPixels> {
  const rows = ['CORNER DRUG (217) 555-0142', 'TAKE 1 TABLET BY MOUTH TWICE DAILY', 'METFORMIN HCL 500 MG TABLET', 'QTY: 60 REFILLS: 2'];
  const text = rows.map((r, i) => `<text x="200" y="${260 + i * 52}" font-family="DejaVu Sans" font-size="32">${r}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="700"><rect width="100%" height="100%" fill="#333"/><rect x="160" y="200" width="880" height="260" fill="#f2f0ea"/>${text}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('turnLevel', () => {
  it('turns a label photographed well off level (beyond what Tesseract deskews) back level, either way', async () => {
    const level = await label();
    for (const turn of [0.3, -0.22]) {
      const { img, radians } = await turnLevel(await turnedLikeTesseract(level, turn));
      expect(radians).toBeCloseTo(-turn, 2);
      expect(img.width).toBe(level.width);
      expect(img.height).toBe(level.height);
    }
  });

  it('leaves a label turned less than MIN_TURN to Tesseract, pixels untouched', async () => {
    const slight = await turnedLikeTesseract(await label(), MIN_TURN * 0.6);
    const out = await turnLevel(slight);
    expect(out.radians).toBe(0);
    expect(out.img).toBe(slight);
  });

  it('leaves a blank page', async () => {
    const blank = { data: new Uint8Array(400 * 200).fill(240), width: 400, height: 200 };
    expect((await turnLevel(blank)).radians).toBe(0);
  });
});
