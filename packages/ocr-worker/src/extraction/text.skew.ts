import type { GreyPixels } from './image.preprocess.js';

/** Below this (radians, ~0.3°) an image is read as it is, as tesseract.js's rotateAuto does. */
export const MIN_SKEW = 0.005;
/** The widest turn looked for (~14°); photos turned further are a second-pass or review matter. */
const MAX_SKEW = 0.25;
/** Pixels looked at: the image is sampled down to about this many on its long side. */
const SAMPLE_LONG_SIDE = 900;
/** Half the side of the square a pixel is compared with (sampled pixels), and by how much darker ink is. */
const WINDOW = 10;
const CONTRAST = 24;

/**
 * How far to turn an image (radians, clockwise, as `turnedLikeTesseract` turns it) so its lines of
 * text run level: the angle at which the ink, summed along rows, falls into the sharpest peaks
 * (a projection profile). Used only where the native engine runs the `tesseract` command (no
 * libtesseract in process), which cannot report Tesseract's own layout; in process the native
 * engine asks Tesseract's layout for the skew as tesseract.js does (skewFromBaselines in
 * native.engine.ts). 0 when the image is level to within `least` (MIN_SKEW) or has no ink to go by;
 * a caller that acts only on larger turns passes its own `least`, and a page the coarse search
 * already puts below it is not searched finely.
 */
export function estimateSkew(img: GreyPixels, maxAngle = MAX_SKEW, sampleLongSide = SAMPLE_LONG_SIDE, coarseStep = 0.01, least = MIN_SKEW): number {
  const { xs, ys, w, h } = inkPoints(img, sampleLongSide);
  // Too little ink to go by, or so much that it is no page of text.
  if (xs.length < 50 || xs.length > w * h * 0.5) return 0;
  // Ink sloping down to the right (y grows with x) is level after turning it anticlockwise.
  const radians = -sharpestShear(xs, ys, h, 0, maxAngle, coarseStep, least).angle;
  return Math.abs(radians) < least ? 0 : radians;
}

/** Ink points of an image: where it is clearly darker than its surroundings, on a copy sampled down by `step`. */
export interface InkPoints {
  xs: Int32Array;
  ys: Int32Array;
  /** The sampled copy's size, and how many pixels of the image one of its pixels stands for. */
  w: number;
  h: number;
  step: number;
}

/**
 * The ink of an image sampled to about SAMPLE_LONG_SIDE pixels: what is clearly darker than the
 * mean of the square round it (an integral image), so a dark table or shadow round a label counts
 * only along its edge, which runs with the label.
 */
export function inkPoints(img: GreyPixels, sampleLongSide = SAMPLE_LONG_SIDE): InkPoints {
  const step = Math.max(1, Math.ceil(Math.max(img.width, img.height) / sampleLongSide));
  const w = Math.ceil(img.width / step);
  const h = Math.ceil(img.height / step);
  // (Three functions of their own, one a loop: in one, called once a pass, they were compiled
  // again on every label; docs/benchmarks.md, round 14.)
  const grey = sampled(img.data, img.width, img.height, step, w, h);
  const { xs, ys } = darkerThanAround(grey, integral(grey, w, h), w, h);
  return { xs, ys, w, h, step };
}

/** Every `step`-th pixel across and down (the last row and column held), w × h of them. */
function sampled(data: Uint8Array, width: number, height: number, step: number, w: number, h: number): Uint8Array {
  const grey = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) grey[y * w + x] = data[Math.min(height - 1, y * step) * width + Math.min(width - 1, x * step)]!;
  return grey;
}

/** The integral image, (w + 1) × (h + 1), a row and column of zeros first. */
function integral(grey: Uint8Array, w: number, h: number): Float64Array {
  const sums = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += grey[y * w + x]!;
      sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1]! + row;
    }
  }
  return sums;
}

/** The pixels darker by CONTRAST than the mean of the square of WINDOW round them, row by row. */
function darkerThanAround(grey: Uint8Array, sums: Float64Array, w: number, h: number): { xs: Int32Array; ys: Int32Array } {
  // As many points as pixels at most: filled in place and cut to length (no growing arrays).
  const xs = new Int32Array(w * h);
  const ys = new Int32Array(w * h);
  let n = 0;
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - WINDOW);
    const y1 = Math.min(h, y + WINDOW + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - WINDOW);
      const x1 = Math.min(w, x + WINDOW + 1);
      const mean = (sums[y1 * (w + 1) + x1]! - sums[y0 * (w + 1) + x1]! - sums[y1 * (w + 1) + x0]! + sums[y0 * (w + 1) + x0]!) / ((y1 - y0) * (x1 - x0));
      if (grey[y * w + x]! < mean - CONTRAST) {
        xs[n] = x;
        ys[n++] = y;
      }
    }
  }
  return { xs: xs.slice(0, n), ys: ys.slice(0, n) };
}

/**
 * The angle (radians, within ±maxAngle) by which ink points sheared about column `cx` fall into the
 * sharpest rows (a projection profile: the sum of squared row counts), searched in steps of
 * `coarse` (0.01) then a tenth of that; ties go to the smaller angle. `gain`: how much sharper that is than level;
 * `sharpness`: the sum of squared row counts at that angle. With `least`, a coarse angle whose fine
 * search could not reach `least` either way is given as it is, without that search or the gain.
 */
export function sharpestShear(xs: Int32Array, ys: Int32Array, h: number, cx: number, maxAngle: number, coarse = 0.01, least = 0): { angle: number; gain: number; sharpness: number } {
  let far = 0;
  for (let i = 0; i < xs.length; i++) far = Math.max(far, Math.abs(xs[i]! - cx));
  const reach = Math.ceil(far * Math.tan(maxAngle)) + 2;
  const bins = new Int32Array(h + 2 * reach);
  // The points grouped by column (xs are whole sampled pixels): a column's points share their
  // offset from `cx`, so a point's row at an angle is its own row moved by the column's shift.
  const n = xs.length;
  let x0 = n > 0 ? xs[0]! : 0, x1 = n > 0 ? xs[0]! : -1;
  for (let i = 1; i < n; i++) {
    if (xs[i]! < x0) x0 = xs[i]!;
    else if (xs[i]! > x1) x1 = xs[i]!;
  }
  const columns = Math.max(0, x1 - x0 + 1);
  const start = new Int32Array(columns + 1);
  for (let i = 0; i < n; i++) start[xs[i]! - x0 + 1]!++;
  for (let c = 0; c < columns; c++) start[c + 1]! += start[c]!;
  const rows = new Int32Array(n);
  const fill = start.slice(0, columns);
  for (let i = 0; i < n; i++) rows[fill[xs[i]! - x0]!++] = ys[i]!;
  const grid: ShearGrid = { bins, start, rows, columns, x0, cx, reach };
  const [near, nearScore] = searchShear(grid, -maxAngle, maxAngle, coarse);
  if (Math.abs(near) + coarse + 1e-9 < least) return { angle: near, gain: Number.NaN, sharpness: nearScore };
  const [angle, top] = searchShear(grid, near - coarse, near + coarse, coarse / 10);
  return { angle, gain: top / Math.max(1, shearScore(grid, 0)), sharpness: top };
}

/**
 * Ink points grouped by column for `shearScore`: column c (x = x0 + c) holds rows[start[c]..start[c + 1]),
 * sheared about column `cx` into `bins` offset by `reach`. The score and the search are plain
 * functions of it, not closures made per call: made afresh per call, V8 compiled them again on
 * many labels (docs/benchmarks.md, round 13).
 */
interface ShearGrid {
  bins: Int32Array;
  start: Int32Array;
  rows: Int32Array;
  columns: number;
  x0: number;
  cx: number;
  reach: number;
}

/** The best angle from `from` to `to` in steps of `by` and its score; ties go to the smaller angle. */
function searchShear(grid: ShearGrid, from: number, to: number, by: number): [number, number] {
  let best = 0;
  let bestScore = -1;
  for (let a = from; a <= to + 1e-9; a += by) {
    const sc = shearScore(grid, a);
    if (sc > bestScore || (sc === bestScore && Math.abs(a) < Math.abs(best))) {
      best = a;
      bestScore = sc;
    }
  }
  return [best, bestScore];
}

/** The sum of squared row counts of the points sheared by angle `a`. */
function shearScore(grid: ShearGrid, a: number): number {
  const { bins, start, rows, columns, x0, cx, reach } = grid;
  bins.fill(0);
  const s = Math.tan(a);
  // The sum of squared counts kept as the counts grow ((c + 1)² − c² = 2c + 1): whole numbers,
  // exact, and the same in any order of the points.
  let sq = 0;
  for (let c = 0; c < columns; c++) {
    const from = start[c]!, to = start[c + 1]!;
    if (from === to) continue;
    // Math.round(y − o) for a whole y is y − ⌊o⌋ − (1 if o's fraction is past ½): the same for
    // the whole column, unless the fraction is so near ½ that rounding y − o could tip it; then
    // each point is rounded as before.
    const o = (x0 + c - cx) * s;
    const whole = Math.floor(o), frac = o - whole;
    if (Math.abs(frac - 0.5) > 1e-6) {
      const at = reach - whole - (frac > 0.5 ? 1 : 0);
      for (let i = from; i < to; i++) sq += 2 * bins[rows[i]! + at]!++ + 1;
    } else {
      for (let i = from; i < to; i++) sq += 2 * bins[Math.round(rows[i]! - o) + reach]!++ + 1;
    }
  }
  return sq;
}
