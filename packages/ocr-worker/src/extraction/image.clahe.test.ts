import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { localContrast } from './image.clahe.js';

/** A photographed page in miniature: paper shaded from one side to the other, rows of dark strokes, a glare patch, noise (seeded). */
function page(width: number, height: number, seed = 7): Uint8Array {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const paper = 150 + (90 * x) / width;
      const glare = Math.hypot(x - width * 0.6, y - height * 0.4) < height * 0.2 ? 40 : 0;
      const stroke = y % 24 > 6 && y % 24 < 18 && (x >> 3) % 3 !== 0 && (x * 7 + y) % 11 < 5;
      const v = (stroke ? 40 + glare * 2 : paper + glare) + (rand() - 0.5) * 14;
      data[y * width + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return data;
}

const viaSharp = async (data: Uint8Array, width: number, height: number, window: number) =>
  new Uint8Array(await sharp(data, { raw: { width, height, channels: 1 } }).clahe({ width: window, height: window, maxSlope: 3 }).extractChannel(0).raw().toBuffer());

describe('localContrast', () => {
  const [width, height, window, step] = [301, 157, 64, 8];
  const data = page(width, height);

  it('gives sharp’s clahe() bytes exactly wherever a window is measured (every 8th row and column), edges mirrored as libvips does', async () => {
    const ours = localContrast({ data, width, height }, window, 3, step).data;
    const theirs = await viaSharp(data, width, height, window);
    const off: string[] = [];
    for (let y = 0; y < height; y += step) for (let x = 0; x < width; x += step) if (ours[y * width + x] !== theirs[y * width + x]) off.push(`${x},${y}`);
    expect(off).toEqual([]);
  });

  it('between them stays within a few grey levels of sharp’s, and mostly equal', async () => {
    const ours = localContrast({ data, width, height }, window, 3, step).data;
    const theirs = await viaSharp(data, width, height, window);
    let equal = 0;
    let worst = 0;
    for (let i = 0; i < ours.length; i++) {
      const d = Math.abs(ours[i]! - theirs[i]!);
      if (d === 0) equal++;
      worst = Math.max(worst, d);
    }
    expect(equal / ours.length).toBeGreaterThan(0.85);
    expect(worst).toBeLessThanOrEqual(6);
  });

  it('refuses a window larger than the image, as sharp does', () => {
    expect(() => localContrast({ data: new Uint8Array(40 * 40), width: 40, height: 40 }, 64)).toThrow(/window 64/);
  });
});
