import type { GreyPixels } from './image.preprocess.js';
import { inkPoints, sharpestShear } from './text.skew.js';

/**
 * Lines of text bowed by a bottle. A label wrapped round a cylinder and seen a little from above
 * or below has its lines curved: level in the middle, rising (or falling) towards both ends by the
 * same amount, so the slope of the lines changes steadily across the label. Tesseract levels a page
 * by one angle; with the lines bowed by half a line's pitch at the ends, page mode 6 joins a line's
 * ends to the lines above or below and drops words. Here the slope is measured in strips across
 * the label, the bow (the part of it that changes with x) is fitted, and every column is shifted
 * up or down by it, so the lines come out straight; the overall tilt is left for Tesseract's own
 * deskew, as before.
 */

/** The strips the slope is measured in: their centres, as shares of the width, and their width. */
const STRIP_CENTRES = [0.12, 0.25, 0.375, 0.5, 0.625, 0.75, 0.88];
const STRIP_WIDTH = 0.22;
/** The steepest slope looked for in a strip (radians, ~11°). */
const MAX_SLOPE = 0.2;
/** A strip with less ink than this (sampled pixels) says nothing about its lines. */
const MIN_INK = 150;
/** A strip's slope is trusted when the lines stand out at it this much more than level. */
const MIN_GAIN = 1.02;
/**
 * A bow smaller than this share of the width at the label's ends is left: Tesseract copes, and
 * flat photos measure up to ~0.004 (perspective, a sticker's own slant); bottles 0.004–0.02.
 */
const MIN_BOW_SHARE = 0.005;
/** A bow larger than this share of the height is not a bottle's: something else was measured. */
const MAX_BOW_SHARE = 0.12;

export interface LineBend {
  /** Slope of the lines at the centre (dy/dx), and its change per pixel across (full-size pixels). */
  tilt: number;
  curve: number;
  /** How far the lines at the ends are bowed from straight (full-size pixels). */
  bowPx: number;
  /** The strips measured: centre x (full-size pixels) and slope. */
  strips: { x: number; slope: number }[];
}

/** The lines' bend across the image, or null when there is too little text to tell. */
export function measureBend(img: GreyPixels): LineBend | null {
  const ink = inkPoints(img);
  const step = ink.step;
  if (ink.xs.length < 4 * MIN_INK || ink.xs.length > ink.w * ink.h * 0.5) return null;
  const strips: { x: number; slope: number }[] = [];
  // A strip's points, in the order found, copied into buffers reused for every strip.
  const n = ink.xs.length;
  const [inX, inY] = [ink.xs, ink.ys];
  const [bufX, bufY] = [new Int32Array(n), new Int32Array(n)];
  for (const c of STRIP_CENTRES) {
    const cx = c * ink.w, half = (STRIP_WIDTH * ink.w) / 2;
    const k = pointsWithin(inX, inY, cx, half, bufX, bufY);
    if (k < MIN_INK) continue;
    const { angle, gain } = sharpestShear(bufX.subarray(0, k), bufY.subarray(0, k), ink.h, cx, MAX_SLOPE);
    const slope = Math.tan(angle);
    // A strip whose profile is no sharper sheared than level has no lines to go by (a barcode, a logo).
    if (gain < MIN_GAIN && Math.abs(slope) > 0.005) continue;
    strips.push({ x: cx * step, slope });
  }
  if (strips.length < 4) return null;
  // slope(x) = tilt + curve · (x − centre), least squares; the strip furthest off is dropped once
  // (a column of other text, a sticker) and the line fitted again.
  const xc = img.width / 2;
  const fit = (pts: { x: number; slope: number }[]) => {
    const n = pts.length;
    const mx = pts.reduce((s, p) => s + p.x - xc, 0) / n, my = pts.reduce((s, p) => s + p.slope, 0) / n;
    let sxx = 0, sxy = 0;
    for (const p of pts) [sxx, sxy] = [sxx + (p.x - xc - mx) ** 2, sxy + (p.x - xc - mx) * (p.slope - my)];
    const curve = sxx > 0 ? sxy / sxx : 0;
    return { tilt: my - curve * mx, curve };
  };
  let f = fit(strips);
  if (strips.length >= 5) {
    const off = strips.map((p) => Math.abs(p.slope - (f.tilt + f.curve * (p.x - xc))));
    const worst = off.indexOf(Math.max(...off));
    f = fit(strips.filter((_, i) => i !== worst));
  }
  const bowPx = (Math.abs(f.curve) * (img.width / 2) ** 2) / 2;
  return { tilt: f.tilt, curve: f.curve, bowPx, strips };
}

/**
 * The points (in the order found) whose x lies within `half` of `cx`, copied into `bufX` and
 * `bufY`; how many. (A function of its own: in measureBend, called once a second pass, the loop
 * was compiled again on every label; docs/benchmarks.md, round 14.)
 */
function pointsWithin(inX: Int32Array, inY: Int32Array, cx: number, half: number, bufX: Int32Array, bufY: Int32Array): number {
  let k = 0;
  for (let i = 0, n = inX.length; i < n; i++) {
    if (Math.abs(inX[i]! - cx) <= half) {
      bufX[k] = inX[i]!;
      bufY[k++] = inY[i]!;
    }
  }
  return k;
}

/**
 * The image with its lines' bow taken out (each column moved up or down by the bow at its x,
 * white brought in), same size; the image itself when the bow is too small to matter or too
 * large to be a bottle's.
 */
export function straightenLines(img: GreyPixels, bend: LineBend | null = measureBend(img)): GreyPixels {
  if (!bend || bend.bowPx < MIN_BOW_SHARE * img.width || bend.bowPx > MAX_BOW_SHARE * img.height) return img;
  const { width, height } = img;
  const xc = width / 2;
  const out = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    // The lines at x lie this far below where they would if straight (at the centre's slope).
    const dy = (bend.curve * (x - xc) ** 2) / 2;
    const d0 = Math.floor(dy), t = dy - d0;
    for (let y = 0; y < height; y++) {
      const y0 = y + d0, y1 = y0 + 1;
      const a = y0 >= 0 && y0 < height ? img.data[y0 * width + x]! : 255;
      const b = y1 >= 0 && y1 < height ? img.data[y1 * width + x]! : 255;
      out[y * width + x] = Math.round(a * (1 - t) + b * t);
    }
  }
  return { data: out, width, height };
}
