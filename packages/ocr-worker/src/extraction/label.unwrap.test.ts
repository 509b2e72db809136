import { describe, expect, it } from 'vitest';
import { uprightBoxOf } from './field.boxes.js';
import { unwrapColumns, unwrappedToPhoto } from './label.unwrap.js';

/**
 * A flat label of dark bars `pitch` px apart, wrapped round a bottle `angle` a side and seen from
 * the front, as the synthesiser draws a curved photo: the column at x on the photo shows the flat
 * label at t·R, t = asin((x − W/2)/R), so the bars crowd together towards both ends.
 */
function wrapped(angle: number, W = 1200, H = 60, pitch = 40) {
  const flatWidth = (W * angle) / Math.sin(angle);
  const R = flatWidth / (2 * angle);
  const data = new Uint8Array(W * H);
  for (let x = 0; x < W; x++) {
    const t = Math.asin(Math.max(-1, Math.min(1, (x + 0.5 - W / 2) / R)));
    const u = t * R + flatWidth / 2;
    const ink = u % pitch < pitch / 3;
    for (let y = 0; y < H; y++) data[y * W + x] = ink ? 20 : 235;
  }
  return { data, width: W, height: H };
}

/** Where the bars of one row start and how wide each is. */
function bars(img: { data: Uint8Array; width: number }) {
  const starts: number[] = [];
  const widths: number[] = [];
  let from = -1;
  for (let x = 0; x <= img.width; x++) {
    const dark = x < img.width && img.data[x]! < 128;
    if (dark && from < 0) from = x;
    if (!dark && from >= 0) {
      starts.push(from);
      widths.push(x - from);
      from = -1;
    }
  }
  return { starts, widths };
}

describe('unwrapColumns', () => {
  const angle = (68 * Math.PI) / 180;

  it('lays bars crowded at a bottle’s ends out evenly again', () => {
    const photo = bars(wrapped(angle));
    // Wrapped, the bars at the ends are under half the width of those in the middle.
    expect(Math.min(...photo.widths.slice(1, -1))).toBeLessThan(0.5 * Math.max(...photo.widths));
    const flat = bars(unwrapColumns(wrapped(angle), angle));
    const gaps = flat.starts.slice(1).map((s, i) => s - flat.starts[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    for (const g of gaps) expect(Math.abs(g - mean)).toBeLessThanOrEqual(2);
    for (const w of flat.widths.slice(1, -1)) expect(Math.abs(w - mean / 3)).toBeLessThanOrEqual(2);
  });

  it('keeps the size, the middle and both edges where they were', () => {
    const img = wrapped(angle);
    const out = unwrapColumns(img, angle);
    expect([out.width, out.height]).toEqual([img.width, img.height]);
    expect(unwrappedToPhoto(0, angle)).toBeCloseTo(0, 9);
    expect(unwrappedToPhoto(0.5, angle)).toBeCloseTo(0.5, 9);
    expect(unwrappedToPhoto(1, angle)).toBeCloseTo(1, 9);
    // A quarter of the way across the angle is further out on the photo: the middle is spread.
    expect(unwrappedToPhoto(0.25, angle)).toBeLessThan(0.25);
  });

  it('puts a box read on the unwrapped page back where the words are on the photo', () => {
    // A word at 5–15 % of the unwrapped width lies nearer the edge on the photo, where it is squeezed.
    const frame = { uprightWidth: 1000, uprightHeight: 400, region: null, width: 1000, height: 400, radians: 0, unwrap: angle };
    const box = uprightBoxOf([{ x0: 50, y0: 100, x1: 150, y1: 140 }], frame)!;
    expect(box.x).toBeCloseTo(unwrappedToPhoto(0.05, angle), 3);
    expect(box.x + box.w).toBeCloseTo(unwrappedToPhoto(0.15, angle), 3);
    expect(box.w).toBeLessThan(0.1);
    expect(uprightBoxOf([{ x0: 50, y0: 100, x1: 150, y1: 140 }], { ...frame, unwrap: undefined })).toEqual({ x: 0.05, y: 0.25, w: 0.1, h: 0.1 });
  });
});
