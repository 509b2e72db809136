import type { GreyPixels } from './image.preprocess.js';

/**
 * Contrast-limited local histogram equalisation, the operation sharp's `clahe()` runs (libvips
 * `hist_local`): each pixel is mapped through the clipped cumulative histogram of the window
 * centred on it, the image mirrored at its edges. libvips builds that histogram for every pixel
 * (a sliding window, ~400 operations a pixel): 0.24 CPU-s on a 1400×540 label, the largest cost
 * of a second pass. Here the mapping is computed exactly only on a grid of centres `step` pixels
 * apart and blended bilinearly between the four around each pixel, as tiled CLAHE does: windows
 * a few pixels apart share most of their pixels, so their mappings differ little.
 *
 * The mapping of a window with histogram h (N pixels) at grey t, with libvips's integer steps:
 * clipped counts c_i = min(h_i, maxSlope); the clipped-off remainder spread evenly over the 256
 * levels; out = ⌊255 · (Σ_{i≤t} c_i + ⌊(t+1) · Σ_i (h_i − c_i) / 256⌋) / N⌋.
 */
export function localContrast(img: GreyPixels, window = 64, maxSlope = 3, step = 8): GreyPixels {
  const { data, width: W, height: H } = img;
  if (window > W || window > H) throw new Error(`window ${window} larger than the image ${W}×${H}`);
  if (W < 2 || H < 2) throw new Error(`an image of ${W}×${H} has no grid to blend between`);
  const N = window * window;
  // The image mirrored outwards by half a window on every side, so a window is plain rows of it.
  const PW = W + window;
  const pad = mirrored(data, W, H, window);
  const gw = Math.ceil((W - 1) / step) + 1;
  const gh = Math.ceil((H - 1) / step) + 1;
  const hist = new Int32Array(256);
  const cum = new Int32Array(256);
  // N as a power of two (64² for the 64-pixel window the second pass takes): dividing is shifting.
  const shift = Number.isInteger(Math.log2(N)) && N <= 1 << 20 ? Math.log2(N) : -1;
  // Column strips `step` wide: when the window spans whole strips (its centre on the grid and
  // `window` a multiple of `step`), sliding it one grid step right takes one strip's histogram off
  // and puts the next one's on (2 × 256 additions), instead of 2 × window × step pixels. The
  // strips hold the rows of the current grid row's windows and move down with them.
  const m = window % step === 0 ? window / step : 0;
  const strips = m ? Math.ceil(PW / step) : 0;
  const stripHist = new Int32Array(strips * 256);
  const grid: ClaheGrid = { pad, PW, W, H, window, step, maxSlope, N, shift, m, strips, stripHist, stripsAt: -1, gw, hist, cum };
  // Per column: which two grid columns it lies between (as an offset into a row of tables) and how far.
  const baseOf = new Int32Array(W);
  const fracOf = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    const gx = Math.min(Math.floor(x / step), gw - 2);
    const x0 = gx * step;
    const x1 = Math.min(x0 + step, W - 1);
    baseOf[x] = gx * 256;
    fracOf[x] = x1 > x0 ? (x - x0) / (x1 - x0) : 0;
  }
  const out = new Uint8Array(W * H);
  let upper = new Uint8Array(gw * 256);
  let lower = new Uint8Array(gw * 256);
  lutRow(grid, 0, upper);
  for (let gy = 0; gy < gh - 1; gy++) {
    lutRow(grid, gy + 1, lower);
    const y0 = gy * step;
    const y1 = Math.min((gy + 1) * step, H - 1);
    const end = gy === gh - 2 ? H : y1;
    blendRows(data, out, W, y0, y1, end, baseOf, fracOf, upper, lower);
    [upper, lower] = [lower, upper];
  }
  return { data: out, width: W, height: H };
}

/** Index `i` mirrored into 0..n−1 at the ends (…, 1, 0 | 0, 1, …, n−1 | n−1, …). */
const mirror = (i: number, n: number): number => (i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i);

/**
 * The image mirrored outwards by half a window on every side (W + window wide): each padded row
 * is its source row copied whole, with its mirrored ends filled in by hand. (This and blendRows
 * are functions of their own: inside localContrast, called once a second pass, their loops were
 * compiled again on every label; docs/benchmarks.md, round 14.)
 */
function mirrored(data: Uint8Array, W: number, H: number, window: number): Uint8Array {
  const half = window >> 1;
  const PW = W + window;
  const pad = new Uint8Array(PW * (H + window));
  for (let y = 0; y < H + window; y++) {
    const src = mirror(y - half, H) * W;
    const row = y * PW;
    pad.set(data.subarray(src, src + W), row + half);
    for (let x = 0; x < half; x++) pad[row + x] = data[src + mirror(x - half, W)]!;
    for (let x = half + W; x < PW; x++) pad[row + x] = data[src + mirror(x - half, W)]!;
  }
  return pad;
}

/** Rows y0..end−1 blended between the tables of grid rows `upper` (at y0) and `lower` (at y1), each pixel between its two grid columns. */
function blendRows(data: Uint8Array, out: Uint8Array, W: number, y0: number, y1: number, end: number, baseOf: Int32Array, fracOf: Float32Array, upper: Uint8Array, lower: Uint8Array): void {
  for (let y = y0; y < end; y++) {
    const fy = y1 > y0 ? (y - y0) / (y1 - y0) : 0;
    const row = y * W;
    for (let x = 0; x < W; x++) {
      const a = baseOf[x]! + data[row + x]!;
      const fx = fracOf[x]!;
      const ua = upper[a]!;
      const la = lower[a]!;
      const top = ua + (upper[a + 256]! - ua) * fx;
      out[row + x] = Math.round(top + (la + (lower[a + 256]! - la) * fx - top) * fy);
    }
  }
}

/**
 * What the grid of mappings is made from: the padded image (`PW` wide), the window, the column
 * strips' histograms (`stripHist`, for the rows from `stripsAt`) and the scratch histogram and
 * running sums. The steps below are plain functions of it, not closures made per call: made
 * afresh for every image, V8 compiled them again on many labels (docs/benchmarks.md, round 13).
 */
interface ClaheGrid {
  pad: Uint8Array;
  PW: number;
  W: number;
  H: number;
  window: number;
  step: number;
  maxSlope: number;
  N: number;
  shift: number;
  m: number;
  strips: number;
  stripHist: Int32Array;
  /** Top padded row the strips are for, -1 before the first. */
  stripsAt: number;
  gw: number;
  hist: Int32Array;
  cum: Int32Array;
}

/** Adds `by` for each pixel of padded rows y0..y1 to its strip's histogram: strip by strip, so one strip's 256 counts stay in the cache while its rows are added. */
function stripRows(g: ClaheGrid, y0: number, y1: number, by: number): void {
  const { strips, step, PW, pad, stripHist } = g;
  for (let s = 0, x0 = 0; s < strips; s++, x0 += step) {
    const base = s * 256;
    const x1 = Math.min(PW, x0 + step);
    for (let y = y0; y < y1; y++) {
      const row = y * PW;
      for (let x = row + x0, end = row + x1; x < end; x++) stripHist[base + pad[x]!]! += by;
    }
  }
}

/** The strips moved down to the window rows from `cy`. */
function moveStrips(g: ClaheGrid, cy: number): void {
  const { stripsAt, window } = g;
  if (stripsAt >= 0 && cy - stripsAt < window) {
    stripRows(g, stripsAt, cy, -1);
    stripRows(g, stripsAt + window, cy + window, 1);
  } else {
    g.stripHist.fill(0);
    stripRows(g, cy, cy + window, 1);
  }
  g.stripsAt = cy;
}

/** The mappings of grid row `gy` (centre y = gy·step, clamped to the image), `gw` tables of 256. */
function lutRow(g: ClaheGrid, gy: number, into: Uint8Array): void {
  const { step, H, W, m, gw, window, PW, pad, stripHist, hist, cum, maxSlope, N, shift } = g;
  const cy = Math.min(gy * step, H - 1);
  if (m) moveStrips(g, cy);
  hist.fill(0);
  let at = -1; // centre x the histogram is for
  let slid = false; // the histogram is to be slid one strip right (in the sum below)
  for (let gx = 0; gx < gw; gx++) {
    const cx = Math.min(gx * step, W - 1);
    if (m && cx === gx * step) {
      // A centre on the grid: its window is strips gx .. gx+m−1.
      if (at < 0) {
        for (let k = 0; k < m; k++) for (let i = 0, o = k * 256; i < 256; i++) hist[i]! += stripHist[o + i]!;
      } else {
        slid = true;
      }
    } else if (at < 0) {
      for (let j = 0; j < window; j++) {
        const row = (cy + j) * PW + cx;
        for (let i = 0; i < window; i++) hist[pad[row + i]!]!++;
      }
    } else {
      // Slide right by cx − at columns: window columns at..at+window−1 become cx..cx+window−1.
      for (let j = 0; j < window; j++) {
        const row = (cy + j) * PW;
        for (let x = at; x < cx; x++) {
          hist[pad[row + x]!]!--;
          hist[pad[row + x + window]!]!++;
        }
      }
    }
    at = cx;
    // The clipped counts' running sums (and the histogram slid one strip on, when it is).
    let sum = 0;
    if (slid) {
      for (let i = 0, off = (gx - 1) * 256, on = (gx + m - 1) * 256; i < 256; i++) {
        const c = (hist[i]! += stripHist[on + i]! - stripHist[off + i]!);
        sum += c < maxSlope ? c : maxSlope;
        cum[i] = sum;
      }
      slid = false;
    } else {
      for (let i = 0; i < 256; i++) {
        const c = hist[i]!;
        sum += c < maxSlope ? c : maxSlope;
        cum[i] = sum;
      }
    }
    const over = N - sum;
    // ⌊255 · (cum + ⌊(t + 1) · over / 256⌋) / N⌋; for a power-of-two N the same whole numbers
    // without a float division a level: (t + 1) · over kept as a running sum, and shifts.
    const o = gx * 256;
    if (shift >= 0) {
      for (let t = 0, spread = 0; t < 256; t++) {
        spread += over;
        into[o + t] = (255 * (cum[t]! + (spread >> 8))) >> shift;
      }
    } else {
      for (let t = 0; t < 256; t++) into[o + t] = ((255 * (cum[t]! + ((((t + 1) * over) / 256) | 0))) / N) | 0;
    }
  }
}
