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

  /** The definition, each grid point's window counted from scratch: the tables and the blend, nothing slid or shifted. */
  const byDefinition = (img: { data: Uint8Array; width: number; height: number }, win: number, maxSlope: number, st: number): Uint8Array => {
    const { data: px, width: W, height: H } = img;
    const half = win >> 1, N = win * win;
    const mirror = (i: number, n: number) => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);
    const gw = Math.ceil((W - 1) / st) + 1, gh = Math.ceil((H - 1) / st) + 1;
    const table = (gx: number, gy: number): number[] => {
      const cx = Math.min(gx * st, W - 1), cy = Math.min(gy * st, H - 1);
      const h = new Array<number>(256).fill(0);
      for (let y = cy - half; y < cy - half + win; y++) for (let x = cx - half; x < cx - half + win; x++) h[px[mirror(y, H) * W + mirror(x, W)]!]!++;
      const over = h.reduce((o, c) => o + c - Math.min(c, maxSlope), 0);
      let sum = 0;
      return h.map((c, t) => Math.floor((255 * ((sum += Math.min(c, maxSlope)) + Math.floor(((t + 1) * over) / 256))) / N));
    };
    const tables = Array.from({ length: gh }, (_, gy) => Array.from({ length: gw }, (_, gx) => table(gx, gy)));
    const out = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) {
      const gy = Math.min(Math.floor(y / st), gh - 2), y0 = gy * st, y1 = Math.min(y0 + st, H - 1);
      const fy = y1 > y0 ? (y - y0) / (y1 - y0) : 0;
      for (let x = 0; x < W; x++) {
        const gx = Math.min(Math.floor(x / st), gw - 2), x0 = gx * st, x1 = Math.min(x0 + st, W - 1);
        const fx = Math.fround(x1 > x0 ? (x - x0) / (x1 - x0) : 0);
        const v = px[y * W + x]!;
        const [ua, ub, la, lb] = [tables[gy]![gx]![v]!, tables[gy]![gx + 1]![v]!, tables[gy + 1]![gx]![v]!, tables[gy + 1]![gx + 1]![v]!];
        const top = ua + (ub - ua) * fx;
        out[y * W + x] = Math.round(top + (la + (lb - la) * fx - top) * fy);
      }
    }
    return out;
  };

  it('gives the bytes of its definition (every window counted whole) for windows of whole strips or not, of a power-of-two area or not', () => {
    for (const [w, h, win, st] of [[301, 157, 64, 8], [97, 70, 48, 8], [130, 75, 60, 8], [90, 66, 32, 8], [71, 64, 64, 16]] as const) {
      const img = { data: page(w, h, w + win), width: w, height: h };
      expect(Buffer.from(localContrast(img, win, 3, st).data).equals(Buffer.from(byDefinition(img, win, 3, st))), `${w}×${h}, window ${win}, step ${st}`).toBe(true);
    }
  });

  it('refuses a window larger than the image, as sharp does', () => {
    expect(() => localContrast({ data: new Uint8Array(40 * 40), width: 40, height: 40 }, 64)).toThrow(/window 64/);
  });
});
