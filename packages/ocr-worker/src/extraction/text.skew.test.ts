import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { turnedLikeTesseract, type GreyPixels } from './image.preprocess.js';
import { estimateSkew, MIN_SKEW, sharpestShear } from './text.skew.js';

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

describe('sharpestShear', () => {
  /** The projection score as first written: every point sheared and rounded on its own. */
  const scoreByPoint = (xs: Int32Array, ys: Int32Array, cx: number, a: number): number => {
    const counts = new Map<number, number>();
    const s = Math.tan(a);
    for (let i = 0; i < xs.length; i++) {
      const r = Math.round(ys[i]! - (xs[i]! - cx) * s);
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    let sq = 0;
    for (const c of counts.values()) sq += c * c;
    return sq;
  };

  it('scores each angle as the points sheared one by one do, columns whose shift falls on a half included', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const [n, cx] of [[400, 0], [900, 37.5], [250, 12.25], [3000, 101]] as const) {
      const xs = Int32Array.from({ length: n }, () => Math.floor(rand() * 200));
      const ys = Int32Array.from({ length: n }, (_, i) => (Math.floor(rand() * 12) * 10 + Math.round(xs[i]! * 0.05)) % 150);
      const { angle, sharpness } = sharpestShear(xs, ys, 150, cx, 0.2);
      expect(sharpness).toBe(scoreByPoint(xs, ys, cx, angle));
      // and at angles whose tangent times a column's offset is often a half, exactly or an ulp past (the coarse
      // search alone: -a and a, `least` out of reach)
      expect(sharpestShear(xs, ys, 150, cx, 0, 1, 10).sharpness).toBe(scoreByPoint(xs, ys, cx, 0));
      for (const a of [Math.atan(0.5), Math.atan(0.5000000000000001), Math.atan(0.25), Math.atan(0.125), Math.atan(1 / 64)]) {
        const one = sharpestShear(xs, ys, 150, cx, a, 2 * a, 10);
        expect(Math.abs(one.angle)).toBeCloseTo(a, 12);
        expect(one.sharpness).toBe(scoreByPoint(xs, ys, cx, one.angle));
        expect(one.sharpness).toBeGreaterThanOrEqual(scoreByPoint(xs, ys, cx, -one.angle));
      }
    }
  });
});
