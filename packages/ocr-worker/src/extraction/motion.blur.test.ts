import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { deblurred, measureMotionBlur, measurePhoto, unsmearedPhoto } from './motion.blur.js';
import type { GreyPixels } from './image.preprocess.js';

const DEV = resolve(import.meta.dirname, '../../../../../shared/corpus/labels-dev');

/** Lines of label print, grey, as a sharp photo of a flat label would hold them. */
async function print(scale = 1): Promise<GreyPixels> {
  const rows = ['RX# 7712345 DATE: 03/14/2026', 'TAKE 1 TABLET BY MOUTH TWICE DAILY', 'METFORMIN HCL 500 MG TABLET', 'QTY: 60 REFILLS: 2 DR. SARAH SMITH'];
  const text = rows.map((r, i) => `<text x="40" y="${70 + i * 44}" font-family="DejaVu Sans" font-size="26">${r}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="260"><rect width="100%" height="100%" fill="#f2f0ea"/>${text}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg), { density: 72 * scale }).blur(0.6).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The same pixels through sharp's convolution, then JPEG as a camera saves them. */
async function through(img: GreyPixels, op: (s: Sharp) => Sharp): Promise<GreyPixels> {
  const jpg = await op(sharp(img.data, { raw: { width: img.width, height: img.height, channels: 1 } })).jpeg({ quality: 70 }).toBuffer();
  const { data, info } = await sharp(jpg).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** A box of `n` pixels (odd) along rows or columns: every point drawn along a short straight path. */
const smear = (n: number, along: 'rows' | 'columns') => (s: Sharp) =>
  s.convolve({ width: n, height: n, kernel: Array.from({ length: n * n }, (_, i) => ((along === 'rows' ? Math.floor(i / n) : i % n) === (n - 1) / 2 ? 1 : 0)) });

/** How much the grey changes from one pixel to the next along rows: print's edges, which a smear along them wears down. */
const edges = (img: GreyPixels) => {
  let sum = 0;
  for (let y = 0; y < img.height; y++) for (let x = 1; x < img.width; x++) sum += Math.abs(img.data[y * img.width + x]! - img.data[y * img.width + x - 1]!);
  return sum / (img.height * (img.width - 1));
};

describe('motion blur', () => {
  it('is found along the rows or the columns it runs, with its length to within half a pixel', async () => {
    const sharpPrint = await print();
    for (const [n, along] of [[9, 'rows'], [7, 'columns'], [13, 'rows']] as const) {
      const blur = measureMotionBlur(await through(sharpPrint, smear(n, along)));
      expect(blur?.along, `${n} along ${along}`).toBe(along);
      expect(Math.abs(blur!.length - n), `${n} along ${along}: ${blur!.length}`).toBeLessThanOrEqual(0.5);
    }
  });

  it('is not found in sharp print, nor in print blurred evenly (out of focus, not moved)', async () => {
    const sharpPrint = await print();
    expect(measureMotionBlur(await through(sharpPrint, (s) => s))).toBeNull();
    expect(measureMotionBlur(await through(sharpPrint, (s) => s.blur(2)))).toBeNull();
  });

  it.skipIf(!existsSync(DEV))("is not found in a sharp label's barcode, whose hard-edged bars dip at one length alone", async () => {
    // Three flat, sharp labels of the dev corpus whose barcodes' bars dip 1.26-1.34 at exactly 6 px
    // and a quarter of that half a pixel either side; painted out, they measure no smear at all.
    for (const name of ['dev-024-clean', 'dev-025-clean', 'dev-026-clean']) {
      const { data, info } = await sharp(join(DEV, `${name}.jpg`)).greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      expect(measureMotionBlur({ data, width: info.width, height: info.height }), name).toBeNull();
    }
  });

  it("taken out, gives back much of the print's edges that the smear wore down", async () => {
    const sharpPrint = await print();
    const smeared = await through(sharpPrint, smear(9, 'rows'));
    const blur = measureMotionBlur(smeared)!;
    const back = deblurred(smeared, blur);
    expect([back.width, back.height]).toEqual([smeared.width, smeared.height]);
    const [before, smearedEdges, after] = [edges(sharpPrint), edges(smeared), edges(back)];
    expect(smearedEdges).toBeLessThan(0.4 * before); // a third left (1.7 of 5.2)
    expect(after).toBeGreaterThan(0.6 * before); // two thirds back (3.4)
  });

  it('is taken out of a photo no larger than it is read (2,400 px on its long side), and a sharp photo is left alone', async () => {
    const sharpPrint = await print();
    const raw = { raw: { width: sharpPrint.width, height: sharpPrint.height, channels: 1 as const } };
    // A large photo: the print drawn twice the size on paper 2,600 wide, smeared 13 pixels across:
    // 12 once made 2,400 wide. (Print three times the size has strokes 6-7 px thick, all alike: a
    // box across the lines of its own, which dips as a smear up the photo would.)
    const big = await print(2);
    const paper = sharp(big.data, { raw: { width: big.width, height: big.height, channels: 1 } }).extend({ right: 2600 - big.width, background: '#f2f0ea' });
    const large = await smear(13, 'rows')(paper).jpeg({ quality: 80 }).toBuffer();
    const out = await unsmearedPhoto(await measurePhoto(large));
    expect(out?.blur.along).toBe('rows');
    const { width } = await sharp(out!.photo).metadata();
    expect(width).toBe(2400);
    expect(Math.abs(out!.blur.length - (13 * 2400) / 2600)).toBeLessThanOrEqual(0.5);
    expect(await unsmearedPhoto(await measurePhoto(await sharp(sharpPrint.data, raw).jpeg().toBuffer()))).toBeNull();
  });
});

