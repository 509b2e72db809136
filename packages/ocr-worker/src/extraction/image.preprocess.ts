import sharp, { type Metadata, type Sharp } from 'sharp';
import { UnreadableImageError } from './extraction.errors.js';
import { localContrast } from './image.clahe.js';
import { measureBend, straightenLines, type LineBend } from './label.dewarp.js';
import { unwrapColumns } from './label.unwrap.js';
import type { Region } from './label.region.js';
import { turnLevel } from './label.turn.js';
import { flattening, flattenPerspective } from './label.perspective.js';

/** Tunable preprocessing; pure data so variants can be measured against the corpus. */
export interface PreprocessParams {
  /** Images whose longer side is below this are upscaled to it (small text reads badly). */
  minLongSide: number;
  /** Images whose longer side is above this are downscaled (time grows with pixels). */
  maxLongSide: number;
  normalise: boolean;
  /** Local contrast (CLAHE) tile size in px, 0 = off; evens out glare and shadow before Tesseract's global threshold. */
  clahe: number;
  /** Unsharp-mask sigma, 0 = off. */
  sharpen: number;
  /** Median filter size (odd), 0 = off; removes JPEG and sensor speckle. */
  median: number;
  /** Extra enlargement after the size limits (1 = none): set from the text height a first read found. */
  scale?: number;
  /** Take out the bow of text lines on a curved label (label.dewarp.ts); only where one is measured. */
  straighten?: boolean;
  /**
   * Lay the label's columns out evenly by angle round a bottle, this many radians a side
   * (label.unwrap.ts); only where the paper was told from the surface around it, since the
   * unwrap takes the cut to be the label edge to edge.
   */
  unwrap?: number;
}

export const DEFAULT_PREPROCESS: PreprocessParams = {
  minLongSide: 1200,
  maxLongSide: 2400,
  normalise: true,
  clahe: 0,
  sharpen: 0,
  median: 0,
  straighten: false,
};

/** CLAHE's limit: no grey level of a window counts for more than this many pixels (libvips `max_slope`). */
const CLAHE_MAX_SLOPE = 3;

/** Never enlarge past this: recognition time grows with pixels. */
const MAX_LONG_SIDE = 3200;

/** One-channel 8-bit pixels, row by row. */
export interface GreyPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The grey pixels Tesseract will read, and the same bytes as a file it can load. */
export interface PreparedImage extends GreyPixels {
  /** Binary PGM: no compression to pay for on either side; `data` is a view into it. */
  pgm: Buffer;
  /** How far the pixels were turned level before Tesseract's own deskew (radians, clockwise, label.turn.ts); 0 for none. */
  turned?: number;
  /** When a steep view was drawn flat first (label.perspective.ts): the homography, flat to photo, in fractions of the size. */
  flattened?: number[];
  /** When the label's columns were unwrapped (params.unwrap): the angle a side, radians. */
  unwrapped?: number;
  /** The bow of the lines measured for straightening (params.straighten), in this image's pixels; null when too little text. */
  bend?: LineBend | null;
}

/**
 * Binary PGM (P5) of one-channel pixels. The header carries a comment of padding because
 * tesseract.js scans an image's first 500 bytes for an EXIF orientation tag, and pixel bytes
 * must never be taken for one.
 */
export function encodePgm(data: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.from(`P5\n#${' '.repeat(500)}\n${width} ${height}\n255\n`, 'latin1');
  return Buffer.concat([header, data]);
}

function prepared(data: Uint8Array, width: number, height: number): PreparedImage {
  const pgm = encodePgm(data, width, height);
  return { pgm, data: pgm.subarray(pgm.length - data.length), width, height };
}

/**
 * The image turned as Tesseract turns it when it deskews (about the centre, same size, white
 * brought in at the corners), so the boxes it reports can be cut from our own pixels instead of
 * asking it to encode the image it saw as a PNG. Matches its image to within ~3/255 per pixel.
 */
export async function turnedLikeTesseract(img: GreyPixels, radians: number): Promise<GreyPixels> {
  if (radians === 0) return img;
  const raw = { width: img.width, height: img.height, channels: 1 as const };
  const big = await sharp(img.data, { raw }).rotate((radians * 180) / Math.PI, { background: '#ffffff' }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  const left = Math.floor((big.info.width - img.width) / 2);
  const top = Math.floor((big.info.height - img.height) / 2);
  const data = await sharp(big.data, { raw: { width: big.info.width, height: big.info.height, channels: 1 } })
    .extract({ left, top, width: img.width, height: img.height })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { data, width: img.width, height: img.height };
}

/**
 * A page described rather than drawn: its pixels are `source`'s, found through the steps that
 * would draw it, each keeping the size: the flattening `homography` (label.perspective.ts), then
 * `turns` about the centre as Tesseract turns a page (radians, clockwise, in order). For the
 * re-read, which cuts a few lines out of a page: drawn at those lines alone (cropOf), a page
 * costs a few lines' pixels instead of all of them, each resampled once instead of at each step.
 */
export interface PageMap {
  source: GreyPixels;
  width: number;
  height: number;
  homography?: number[];
  turns: number[];
}

/**
 * The part of `page` at `left`, `top` (`width` × `height` of its pixels) drawn `outWidth` ×
 * `outHeight`, bilinear from the source; white where a turn brought in white. The turns are
 * Leptonica's (pixRotate, what the native engine reads): about pixel (⌊w/2⌋, ⌊h/2⌋), so a
 * crop lies where Tesseract's boxes say. Matches the page drawn whole (flattenPerspective, then
 * turnedLikeTesseract) within its resampling: image.preprocess.test.ts.
 */
export function cropOf(page: PageMap, left: number, top: number, width: number, height: number, outWidth: number, outHeight: number): Uint8Array {
  const { data, width: W, height: H } = page.source;
  const out = new Uint8Array(outWidth * outHeight);
  const [xc, yc] = [Math.floor(W / 2), Math.floor(H / 2)];
  // Back from the page to the source: the last turn undone first.
  const cos = page.turns.map((r) => Math.cos(r)).reverse(), sin = page.turns.map((r) => Math.sin(r)).reverse();
  const h = page.homography;
  const [sx, sy] = [width / outWidth, height / outHeight];
  const lastX = W - 1, lastY = H - 1;
  for (let j = 0, i = 0; j < outHeight; j++) {
    for (let k = 0; k < outWidth; k++, i++) {
      let x = left + (k + 0.5) * sx - 0.5, y = top + (j + 0.5) * sy - 0.5;
      let inside = true;
      for (let t = 0; t < cos.length && inside; t++) {
        const dx = x - xc, dy = y - yc;
        x = xc + dx * cos[t]! + dy * sin[t]!;
        y = yc + dy * cos[t]! - dx * sin[t]!;
        inside = x > -0.5 && y > -0.5 && x < W - 0.5 && y < H - 0.5;
      }
      if (!inside) {
        out[i] = 255;
        continue;
      }
      if (h) {
        // unflattened (label.perspective.ts), in the source's pixels.
        const u = (x + 0.5) / W, v = (y + 0.5) / H, z = h[6]! * u + h[7]! * v + 1;
        x = ((h[0]! * u + h[1]! * v + h[2]!) / z) * W - 0.5;
        y = ((h[3]! * u + h[4]! * v + h[5]!) / z) * H - 0.5;
      }
      const fx = Math.floor(x), fy = Math.floor(y), tx = x - fx, ty = y - fy;
      const xa = Math.min(lastX, Math.max(0, fx)), xb = Math.min(lastX, Math.max(0, fx + 1));
      const ra = Math.min(lastY, Math.max(0, fy)) * W, rb = Math.min(lastY, Math.max(0, fy + 1)) * W;
      out[i] = Math.round((data[ra + xa]! * (1 - tx) + data[ra + xb]! * tx) * (1 - ty) + (data[rb + xa]! * (1 - tx) + data[rb + xb]! * tx) * ty);
    }
  }
  return out;
}

/** The share of the paper's pixels darker than the white it is painted around with. */
const PAPER_WHITE = 0.8;
/** How near the painted edge (in cells) and how dark (a share of the paper's white) a leftover of the rim is. */
const RIM_BAND = 2;
const RIM_DARK = 0.75;
/** Evening out the light, the share of the paper's white made full white: the paper's grain above it is clipped. */
const FLAT_CLIP = 0.92;
/** The darkest a block's white may be, as a share of the label's, to be taken for paper in shadow. */
const DARKEST_WHITE = 0.6;
/** How far (in blocks, across and down) the paper's own white is looked for round a glare. */
const GLARE_REACH_X = 6;
const GLARE_REACH_Y = 3;
/** Glare below this share is left (noise would grow for nothing); above the max the print is gone anyway. */
const GLARE_MIN = 0.04;
const GLARE_MAX = 0.85;
/** A quotient above this is ≥ 254.5 however its divisions round, so it rounds to 255 or more and is clipped to 255. */
const SATURATED = 254.5 * (1 + 1e-9);

/** The side, in pixels, of the blocks the paper's white is measured in: a few text lines high. */
const WHITE_BLOCK = 48;

/**
 * The paper's white near every pixel: in blocks of WHITE_BLOCK, the PAPER_WHITE share of the
 * paper's pixels; blocks with too little paper take their neighbours' (spreading outwards), and
 * the blocks are read bilinearly. Light falling off across a label, or a bottle's shaded side, so
 * stays as it is on the paper and goes on past its edge, where one white for all would draw a new
 * edge that Tesseract's single threshold cuts through the dim side of the label. Null: no paper.
 */
function paperWhite(data: Uint8Array, width: number, height: number, isPaper: Uint8Array): { white: Uint8Array; base: BlockMap } | null {
  const bw = Math.ceil(width / WHITE_BLOCK), bh = Math.ceil(height / WHITE_BLOCK);
  // (Each step a function of its own: in one, called once a pass, they were compiled again on
  // every label; docs/benchmarks.md, round 14.)
  const white = new Float32Array(bw * bh).fill(-1);
  if (!blockWhites(data, width, height, isPaper, white, bw, bh)) return null;
  fillWhites(white, bw, bh);
  return { white: upsample(white, bw, bh, WHITE_BLOCK, width, height), base: { map: glareFree(white, bw, bh), bw, bh } };
}

/** Each block's white (the PAPER_WHITE share of its paper's pixels) into `white`, where a quarter of it is paper; whether any block has one. */
function blockWhites(data: Uint8Array, width: number, height: number, isPaper: Uint8Array, white: Float32Array, bw: number, bh: number): boolean {
  const hist = new Uint32Array(256);
  let any = false;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      hist.fill(0);
      let n = 0;
      const [x0, x1, y1] = [bx * WHITE_BLOCK, Math.min(width, (bx + 1) * WHITE_BLOCK), Math.min(height, (by + 1) * WHITE_BLOCK)];
      for (let y = by * WHITE_BLOCK; y < y1; y++) {
        for (let i = y * width + x0, end = y * width + x1; i < end; i++) {
          if (isPaper[i]) {
            hist[data[i]!]!++;
            n++;
          }
        }
      }
      const area = (y1 - by * WHITE_BLOCK) * (x1 - x0);
      if (n < area / 4) continue;
      for (let v = 0, seen = 0; v < 256; v++) {
        seen += hist[v]!;
        if (seen >= PAPER_WHITE * n) {
          white[by * bw + bx] = v;
          any = true;
          break;
        }
      }
    }
  }
  return any;
}

/** Blocks without their own white (−1) take the mean of their measured neighbours, ring by ring, in place. */
function fillWhites(white: Float32Array, bw: number, bh: number): void {
  for (let left = true; left; ) {
    left = false;
    const was = white.slice();
    for (let b = 0; b < bw * bh; b++) {
      if (was[b]! >= 0) continue;
      const bx = b % bw, by = (b - bx) / bw;
      let sum = 0, k = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const x = bx + dx, y = by + dy;
        if (x >= 0 && y >= 0 && x < bw && y < bh && was[y * bw + x]! >= 0) [sum, k] = [sum + was[y * bw + x]!, k + 1];
      }
      if (k) white[b] = sum / k;
      else left = true;
    }
  }
}

/**
 * The white without glare: glare is a bright patch a few blocks wide on paper that is dimmer
 * around it, so the lower quarter of the whites in a wider window is the paper's own.
 * (The window's whites sorted as numbers in a typed array: no comparator called, the same order.)
 */
function glareFree(white: Float32Array, bw: number, bh: number): Float32Array {
  const base = new Float32Array(bw * bh);
  const window = new Float32Array((2 * GLARE_REACH_Y + 1) * (2 * GLARE_REACH_X + 1));
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let n = 0;
      for (let y = Math.max(0, by - GLARE_REACH_Y); y <= Math.min(bh - 1, by + GLARE_REACH_Y); y++) {
        for (let x = Math.max(0, bx - GLARE_REACH_X); x <= Math.min(bw - 1, bx + GLARE_REACH_X); x++) window[n++] = white[y * bw + x]!;
      }
      const around = window.subarray(0, n).sort();
      base[by * bw + bx] = around[Math.floor(n / 4)]!;
    }
  }
  return base;
}

/** Values on blocks of WHITE_BLOCK px, `bw` across and `bh` down. */
interface BlockMap {
  map: Float32Array;
  bw: number;
  bh: number;
}

/** A map of `bw` × `bh` values, one per `block` px, read bilinearly at every pixel (edges held) and rounded. */
function upsample(map: Float32Array, bw: number, bh: number, block: number, width: number, height: number): Uint8Array {
  // Rounded, the values (grey levels and their means, blended) are whole numbers from 0 to 255: a byte each.
  const out = new Uint8Array(width * height);
  const cols = mapColumns(bw, width, 1, block);
  const top = new Float64Array(width), bottom = new Float64Array(width);
  let band = Number.NEGATIVE_INFINITY; // the first rows lie in band -1
  for (let y = 0; y < height; y++) {
    const f = cellAt(y, 1, block), by = Math.floor(f);
    if (by !== band) acrossBand(map, bw, bh, (band = by), cols, top, bottom);
    const ty = f - by, uy = 1 - ty, row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = Math.round(top[x]! * uy + bottom[x]! * ty);
  }
  return out;
}

/**
 * A map read bilinearly over an image (edges held), a row at a time: pixel x (or y) lies at
 * `cellAt(x, cells, pixels)` in map cells, and a row between two rows of cells is
 * top[x]·(1 − ty) + bottom[x]·ty, with `top` and `bottom` (`acrossBand`) made once per band of rows.
 * Plain functions called with typed arrays, each pixel loop in the function that needs it: a
 * callback made per call (as these were) was compiled afresh on many labels (V8 traces: ~2 times
 * a label each), its loops run unoptimised until then (docs/benchmarks.md, round 13).
 * `(p + 0.5) / block − 0.5` is `cellAt(p, 1, block)`: a product with 1 is exact.
 */
const cellAt = (p: number, cells: number, pixels: number): number => ((p + 0.5) * cells) / pixels - 0.5;

/** For each pixel column: its two map columns (edges held) and the weight of the second, as a 32-bit float. */
function mapColumns(mw: number, width: number, cells: number, pixels: number): { x0: Int32Array; x1: Int32Array; tx: Float32Array } {
  const x0 = new Int32Array(width), x1 = new Int32Array(width), tx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const f = cellAt(x, cells, pixels), bx = Math.floor(f);
    x0[x] = Math.min(mw - 1, Math.max(0, bx));
    x1[x] = Math.min(mw - 1, Math.max(0, bx + 1));
    tx[x] = f - bx;
  }
  return { x0, x1, tx };
}

/** The across-interpolations of map rows `by` and `by` + 1 (edges held) into `top` and `bottom`. */
function acrossBand(map: Uint8Array | Float32Array, mw: number, mh: number, by: number, cols: { x0: Int32Array; x1: Int32Array; tx: Float32Array }, top: Float64Array, bottom: Float64Array): void {
  const r0 = Math.min(mh - 1, Math.max(0, by)) * mw, r1 = Math.min(mh - 1, Math.max(0, by + 1)) * mw;
  const { x0, x1, tx } = cols;
  for (let x = 0, width = top.length; x < width; x++) {
    const t = tx[x]!;
    top[x] = map[r0 + x0[x]!]! * (1 - t) + map[r0 + x1[x]!]! * t;
    bottom[x] = map[r1 + x0[x]!]! * (1 - t) + map[r1 + x1[x]!]! * t;
  }
}

/** 1 where the paper's cells, read bilinearly over the image, are at least half paper (128 of 255). */
export function paperPixels(paper: { data: Uint8Array; width: number; height: number }, width: number, height: number): Uint8Array {
  const isPaper = new Uint8Array(width * height);
  const cols = mapColumns(paper.width, width, paper.width, width);
  const top = new Float64Array(width), bottom = new Float64Array(width);
  let band = Number.NEGATIVE_INFINITY;
  for (let y = 0; y < height; y++) {
    const f = cellAt(y, paper.height, height), by = Math.floor(f);
    if (by !== band) acrossBand(paper.data, paper.width, paper.height, (band = by), cols, top, bottom);
    const ty = f - by, uy = 1 - ty, row = y * width;
    for (let x = 0; x < width; x++) if (top[x]! * uy + bottom[x]! * ty >= 128) isPaper[row + x] = 1;
  }
  return isPaper;
}

/**
 * Each pixel over its paper's white (`evenedOut`), the glare-free white read off its blocks row by
 * row (as `upsample` reads it, rounded to a 32-bit float as its map held it), held up to `floor`.
 */
function evenOutLight(data: Uint8Array, white: Uint8Array, base: { map: Float32Array; bw: number; bh: number }, floor: number, width: number, height: number): void {
  const { map, bw, bh } = base;
  const cols = mapColumns(bw, width, 1, WHITE_BLOCK);
  const top = new Float64Array(width), bottom = new Float64Array(width);
  let band = Number.NEGATIVE_INFINITY;
  for (let y = 0; y < height; y++) {
    const f = cellAt(y, 1, WHITE_BLOCK), by = Math.floor(f);
    if (by !== band) acrossBand(map, bw, bh, (band = by), cols, top, bottom);
    const ty = f - by, uy = 1 - ty;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const w = white[i]!;
      const p = Math.max(floor, Math.min(w, Math.fround(top[x]! * uy + bottom[x]! * ty)));
      // g is 0 where the white is no brighter than p (no glare measured there).
      const g = w > p ? Math.min(GLARE_MAX, (w - p) / Math.max(1, 255 - p)) : 0;
      data[i] = evenedOut(data[i]!, g, p);
    }
  }
}

/**
 * 1 for the cells of `paper` within `band` cells (across and down) of a cell that is not paper or
 * of the grid's edge: a 0 in the (2·band+1)² window round the cell, or the window past the edge.
 * Taken in two passes, along the rows and then down the columns.
 */
export function nearEdge(paper: { data: Uint8Array; width: number; height: number }, band: number): Uint8Array {
  const { width: pw, height: ph, data: cells } = paper;
  // Along each row: is there a 0 (or the edge) within `band` cells?
  const across = new Uint8Array(pw * ph);
  for (let cy = 0; cy < ph; cy++) {
    for (let cx = 0; cx < pw; cx++) {
      let hit = cx - band < 0 || cx + band >= pw ? 1 : 0;
      for (let dx = -band; dx <= band && !hit; dx++) if (cells[cy * pw + cx + dx] === 0) hit = 1;
      across[cy * pw + cx] = hit;
    }
  }
  const near = new Uint8Array(pw * ph);
  for (let cy = 0; cy < ph; cy++) {
    for (let cx = 0; cx < pw; cx++) {
      let hit = cy - band < 0 || cy + band >= ph ? 1 : 0;
      for (let dy = -band; dy <= band && !hit; dy++) if (across[(cy + dy) * pw + cx] === 1) hit = 1;
      near[cy * pw + cx] = hit;
    }
  }
  return near;
}

/**
 * Paints what is not paper (the table, a hand, the bottle: the cells of `paper` that are 0,
 * stretched over the image) in the paper's own white, in place. A dark or grained surface left
 * round a label turns into black blobs and stripes in Tesseract's threshold, and with one block
 * of text assumed (page mode 6) those are read as letters and pull lines of text apart.
 */
export function paintOutside(data: Uint8Array, width: number, height: number, paper: { data: Uint8Array; width: number; height: number }): Uint8Array {
  // The cells read bilinearly, so the painted edge runs smoothly along a slanted label instead of
  // in steps whose corners leave bits of its dark rim, which Tesseract reads as dashes.
  const isPaper = paperPixels(paper, width, height);
  const local = paperWhite(data, width, height, isPaper);
  if (!local) return data;
  // (Each loop over the pixels below is a plain function taking its arrays: a closure made per
  // call, or a loop in one function with paths a new photo takes first, was compiled again on
  // every label; the same arithmetic in the same order as before. docs/benchmarks.md, rounds 13–14.)
  const white = local.white;
  paintWhite(data, isPaper, white);
  // What is left of the rim (the cells are coarse): dark pixels near the painted edge and joined to
  // it through dark pixels. Text stands apart from the edge, so it stays.
  const near = nearEdge(paper, RIM_BAND);
  // Each pixel's cell, across and down, for looking up `near`.
  const cellX = new Int32Array(width), cellY = new Int32Array(height);
  for (let x = 0; x < width; x++) cellX[x] = Math.min(paper.width - 1, Math.floor(((x + 0.5) * paper.width) / width));
  for (let y = 0; y < height; y++) cellY[y] = Math.min(paper.height - 1, Math.floor(((y + 0.5) * paper.height) / height)) * paper.width;
  paintRim(data, isPaper, white, { near, cellX, cellY }, width, height);
  // Then the light is evened out: each pixel over its paper's white, so a label lit from one side
  // is one white for Tesseract's single threshold, as a label on a dark table happened to be.
  // Glare first: it lays white over the print, v' = v + (255 − v)·g, which the paper's white
  // against its white around (g = (white − base) / (255 − base)) measures and which is undone.
  // A block far darker than the label's white is print (a banner, a shaded box), not paper in
  // shadow: dividing by it would wash it out and lift the grain round it, so the white used there
  // is held up.
  const hist = new Uint32Array(256);
  const n = paperHistogram(data, isPaper, hist);
  let labelWhite = 255;
  for (let v = 0, seen = 0; v < 256; v++) if ((seen += hist[v]!) >= PAPER_WHITE * n) [labelWhite, v] = [v, 256];
  const floor = Math.max(16, DARKEST_WHITE * labelWhite);
  evenOutLight(data, white, local.base, floor, width, height);
  return data;
}

/** What is not paper (`isPaper` 0) painted its white, in place. */
function paintWhite(data: Uint8Array, isPaper: Uint8Array, white: Uint8Array): void {
  for (let i = 0, size = data.length; i < size; i++) if (!isPaper[i]) data[i] = white[i]!;
}

/** The grey histogram of the paper's pixels (`isPaper` not 0) into `hist`; their count. */
function paperHistogram(data: Uint8Array, isPaper: Uint8Array, hist: Uint32Array): number {
  let n = 0;
  for (let i = 0, size = data.length; i < size; i++) {
    if (!isPaper[i]) continue;
    hist[data[i]!]!++;
    n++;
  }
  return n;
}

/** Which pixels lie near the painted edge: `near` per paper cell, and each pixel's cell across (`cellX`) and down (`cellY`, times the cells' width). */
export interface NearCells {
  near: Uint8Array;
  cellX: Int32Array;
  cellY: Int32Array;
}

/**
 * The leftover of the rim painted over, in place: paper pixels darker than RIM_DARK of their
 * white, in a cell near the painted edge, next to a painted pixel or joined to one through such
 * pixels. Marked 2 in `isPaper` as they are painted. The pixels are offered in the order the flood
 * with a closure offered them (the painted pixels row by row, each one's left, right, upper and
 * lower neighbour; then from a stack, last in first out, the same four), so the same ones are painted.
 */
export function paintRim(data: Uint8Array, isPaper: Uint8Array, white: Uint8Array, cells: NearCells, width: number, height: number): void {
  // Each pixel joins at most once (it is marked 2), so w·h would always hold the stack; it is
  // grown as it fills instead (a few thousand pixels join on most pages), the same order kept:
  // a w·h stack of 32-bit indexes, 4 bytes a pixel of every page, was mostly garbage to collect.
  // A pixel or a popped one pushes at most its four neighbours, so room for four is made first.
  let stack: Int32Array = new Int32Array(4096);
  let top = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (isPaper[i]) continue;
      if (top + 4 > stack.length) stack = grownStack(stack);
      if (x > 0 && isPaper[i - 1] === 1 && rimJoins(i - 1, data, isPaper, white, cells, width)) stack[top++] = i - 1;
      if (x < width - 1 && isPaper[i + 1] === 1 && rimJoins(i + 1, data, isPaper, white, cells, width)) stack[top++] = i + 1;
      if (y > 0 && isPaper[i - width] === 1 && rimJoins(i - width, data, isPaper, white, cells, width)) stack[top++] = i - width;
      if (y < height - 1 && isPaper[i + width] === 1 && rimJoins(i + width, data, isPaper, white, cells, width)) stack[top++] = i + width;
    }
  }
  while (top > 0) {
    const p = stack[--top]!;
    const x = p % width;
    if (top + 4 > stack.length) stack = grownStack(stack);
    if (x > 0 && rimJoins(p - 1, data, isPaper, white, cells, width)) stack[top++] = p - 1;
    if (x < width - 1 && rimJoins(p + 1, data, isPaper, white, cells, width)) stack[top++] = p + 1;
    if (p >= width && rimJoins(p - width, data, isPaper, white, cells, width)) stack[top++] = p - width;
    if (p < width * (height - 1) && rimJoins(p + width, data, isPaper, white, cells, width)) stack[top++] = p + width;
  }
}

/** `stack` in one twice as long (plain function, no closure per call: docs/benchmarks.md, round 13). */
function grownStack(stack: Int32Array): Int32Array {
  const grown = new Int32Array(stack.length * 2);
  grown.set(stack);
  return grown;
}

/** Pixel `i` is rim left over (paper, dark against its white, in a cell near the edge): painted and marked 2, and true. */
function rimJoins(i: number, data: Uint8Array, isPaper: Uint8Array, white: Uint8Array, cells: NearCells, width: number): boolean {
  if (isPaper[i] === 1 && data[i]! < white[i]! * RIM_DARK) {
    const x = i % width;
    if (cells.near[cells.cellY[(i - x) / width]! + cells.cellX[x]!] === 1) {
      isPaper[i] = 2;
      data[i] = white[i]!;
      return true;
    }
  }
  return false;
}

/**
 * A pixel `v` with glare `g` taken off (v' = v + (255 − v)·g undone above GLARE_MIN) and divided
 * by FLAT_CLIP of its paper's white `p`, rounded and clipped to a byte. Most of the paper comes out
 * full white: a quotient clear of 254.5 by far more than the divisions' rounding is 255 without
 * dividing; the rest is divided as it always was, so every result is the same.
 */
export function evenedOut(v: number, g: number, p: number): number {
  const c = FLAT_CLIP * p;
  let r: number;
  if (g > GLARE_MIN) {
    const e = v - 255 * g, k = 1 - g;
    r = e * 255 > SATURATED * c * k ? 255 : Math.round(((e / k) * 255) / c);
  } else r = v * 255 > SATURATED * c ? 255 : Math.round((v * 255) / c);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/**
 * sharp's `normalise()` (1%–99% of L*) on one-channel 8-bit pixels, the same bytes, in place.
 * sharp converts every pixel to Lab in floats to stretch L*; for a grey image L* is a function of
 * the grey value alone and the stretch a function of the histogram, so it is a table over 256
 * values: the range found here from the grey histogram as libvips finds it (vips_percent: the
 * histogram of L* cast to integers, its running sum scaled to the bins in floats and truncated,
 * the first bin above the share), and the table made by sharp itself on the ramp of grey values
 * in that range (`normalise` from min to max). ~0.07 CPU-s a page less. Where the range is not
 * one a ramp can give (the top taken as one past L* = 100), sharp normalises the pixels as before.
 */
export async function normaliseGrey<T extends Uint8Array>(data: T, width: number, height: number): Promise<T> {
  const lightness = await greyLightness();
  const hist = greyHistogram(data);
  const [min, max] = lightnessRange(hist, lightness);
  if (Math.abs(max - min) <= 1) return data; // as sharp: too narrow a range is left alone
  const table = await stretchTable(min, max, lightness);
  if (!table) {
    const out = await sharp(data, { raw: { width, height, channels: 1 } }).normalise().extractChannel(0).raw().toBuffer();
    data.set(out);
    return data;
  }
  for (let i = 0; i < data.length; i++) data[i] = table[data[i]!]!;
  return data;
}

/**
 * The grey histogram, counted in four interleaved histograms summed at the end: runs of one grey
 * (paper) would otherwise make every count wait on the one before it.
 */
export function greyHistogram(data: Uint8Array): Uint32Array {
  const four = new Uint32Array(1024);
  const n = data.length, end = n - (n % 4);
  for (let i = 0; i < end; i += 4) {
    four[data[i]!]!++;
    four[256 + data[i + 1]!]!++;
    four[512 + data[i + 2]!]!++;
    four[768 + data[i + 3]!]!++;
  }
  for (let i = end; i < n; i++) four[data[i]!]!++;
  const hist = new Uint32Array(256);
  for (let v = 0; v < 256; v++) hist[v] = four[v]! + four[256 + v]! + four[512 + v]! + four[768 + v]!;
  return hist;
}

const RAMP = Uint8Array.from({ length: 256 }, (_, i) => i);
let lightnessOf: Promise<Float32Array> | null = null;
/** L* of each grey value, as sharp (libvips) computes it. */
function greyLightness(): Promise<Float32Array> {
  return (lightnessOf ??= sharp(RAMP, { raw: { width: 256, height: 1, channels: 1 } })
    .toColourspace('lab')
    .raw({ depth: 'float' })
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) => {
      const lab = new Float32Array(data.buffer, data.byteOffset, data.length / 4);
      return Float32Array.from({ length: 256 }, (_, g) => lab[g * info.channels]!);
    }));
}

/** The 1% and 99% L* thresholds as vips_percent finds them (what sharp's normalise stretches between). */
export function lightnessRange(hist: ArrayLike<number>, lightness: Float32Array, lower = 1, upper = 99): [number, number] {
  const bins = new Float64Array(102);
  let top = 0;
  for (let g = 0; g < 256; g++) {
    if (!hist[g]) continue;
    const b = Math.trunc(lightness[g]!);
    bins[b]! += hist[g]!;
    top = Math.max(top, b);
  }
  const size = top + 1;
  let total = 0;
  for (let i = 0; i < size; i++) total += bins[i]!;
  const scale = Math.fround((size - 1) / total);
  const norm = new Float64Array(size);
  for (let i = 0, sum = 0; i < size; i++) norm[i] = Math.trunc(Math.fround((sum += bins[i]!) * scale));
  const at = (percent: number) => {
    const share = (percent / 100) * size;
    for (let i = 0; i < size; i++) if (norm[i]! > share) return i;
    return size;
  };
  return [at(lower), at(upper)];
}

const tables = new Map<number, Promise<Uint8Array | null>>();
/** The grey-to-grey table of sharp's stretch from L* = min to max; null when no ramp of grey values spans exactly that. */
function stretchTable(min: number, max: number, lightness: Float32Array): Promise<Uint8Array | null> {
  const key = min * 256 + max;
  let table = tables.get(key);
  if (!table) {
    const inside = RAMP.filter((g) => Math.trunc(lightness[g]!) >= min && Math.trunc(lightness[g]!) <= max);
    const [lo, hi] = [inside[0], inside[inside.length - 1]];
    table =
      lo === undefined || hi === undefined || Math.trunc(lightness[lo]!) !== min || Math.trunc(lightness[hi]!) !== max
        ? Promise.resolve(null)
        : sharp(inside, { raw: { width: inside.length, height: 1, channels: 1 } })
            .normalise({ lower: 0, upper: 100 })
            .extractChannel(0)
            .raw()
            .toBuffer()
            .then((out) => {
              const t = new Uint8Array(256);
              t.fill(255, hi + 1); // below the range 0, above it 255: sharp clips the stretch
              t.set(out, lo);
              return t;
            });
    tables.set(key, table);
  }
  return table;
}

const made = new WeakMap<Buffer, Map<Region | null, Map<string, Promise<unknown>>>>();
/**
 * What `make` makes of the photo `input` cut to `region`, made once for each `key` and kept as
 * long as the photo: the passes over one photo (label.extractor.ts) share the steps their
 * preparations have in common instead of taking them again.
 */
function once<T>(input: Buffer, region: Region | null, key: string, make: () => Promise<T>): Promise<T> {
  let byRegion = made.get(input);
  if (!byRegion) made.set(input, (byRegion = new Map()));
  let byKey = byRegion.get(region);
  if (!byKey) byRegion.set(region, (byKey = new Map()));
  let it = byKey.get(key);
  if (!it) byKey.set(key, (it = make()));
  return it as Promise<T>;
}

/**
 * The photo cut to the label's region (EXIF-turned, encoded again as the photo was: the pixels
 * Tesseract reads were measured on that round trip). A second pass over the same photo and region
 * takes the cut the first made instead of decoding the whole photo and encoding the cut again.
 */
function cutOf(input: Buffer, region: Region): Promise<Buffer> {
  return once(input, region, 'cut', () => sharp(input).rotate().extract(region).toBuffer());
}

/** Decodes, EXIF-rotates, sizes, greys and cleans an image for Tesseract; throws UnreadableImageError. */
export function preprocessImage(input: Buffer, params: PreprocessParams = DEFAULT_PREPROCESS, region: Region | null = null): Promise<PreparedImage> {
  return prepare(input, params, region, null);
}

/**
 * The photo prepared again as `like` was (the same params and region), `factor` times larger,
 * with like's turn and straightening instead of measuring them again: the same text at the same
 * places, `ratio` times further apart, in pixels resampled from the photo rather than enlarged from
 * like's. Where like's pixels hold a misread of their own (a 3 that its resampling drew as a 2),
 * these are a second look that does not share it. The ratio is below `factor` where the size limit stops it.
 */
export async function preparedLarger(input: Buffer, params: PreprocessParams, region: Region | null, like: PreparedImage, factor: number): Promise<PreparedImage & { ratio: number }> {
  const larger = await prepare(input, { ...params, scale: (params.scale ?? 1) * factor }, region, like);
  return { ...larger, ratio: larger.width / like.width };
}

/**
 * The page preparedLarger would make, as a PageMap: the photo resized and its light evened out
 * (paintOutside), the flattening and the turns left to be drawn at the lines the re-read cuts out
 * (cropOf). The page's stretch (normaliseGrey) is left out too: the re-read stretches each line on
 * its own (line.verify.ts), which takes its range from the same pixels either way. A preparation
 * with more than that (CLAHE, straightened lines, unwrapped columns, a median or a sharpen: steps that need the page
 * drawn) is drawn whole as before. Tesseract's deskew of `like` is not in it: it needs no pixel of
 * the reading, so the page can be made while Tesseract reads (label.extractor.ts), and is turned
 * by turnedBy once the reading says how far.
 */
export async function largerPage(input: Buffer, params: PreprocessParams, region: Region | null, like: PreparedImage, factor: number): Promise<PageMap & { ratio: number }> {
  if (params.clahe > 0 || params.straighten || params.unwrap || params.median > 0 || params.sharpen > 0) {
    const larger = await preparedLarger(input, params, region, like, factor);
    return { source: larger, width: larger.width, height: larger.height, turns: [], ratio: larger.ratio };
  }
  try {
    const img = await sized(input, { ...params, scale: (params.scale ?? 1) * factor }, region);
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    if (info.channels !== 1) throw new Error(`expected one grey channel, got ${info.channels}`);
    if (region?.paper) paintOutside(data, width, height, region.paper);
    const homography = region?.paper && region.quad ? flattening(region.quad, width, height, region.sheet) : null;
    return { source: { data, width, height }, width, height, turns: [like.turned ?? 0], ...(homography ? { homography } : {}), ratio: width / like.width };
  } catch (cause) {
    throw undecodable(cause);
  }
}

/** The page turned once more (`turn`, radians, as Tesseract turned the page it read): cropOf draws it so. */
export const turnedBy = <P extends PageMap>(page: P, turn: number): P => ({ ...page, turns: [...page.turns, turn] });

/** The photo (cut to the region) decoded, sized as `params` ask and made one grey channel: sharp's pipeline, its resize and what follows not yet run. */
async function sized(input: Buffer, params: PreprocessParams, region: Region | null): Promise<Sharp> {
  let meta: Metadata;
  try {
    meta = await sharp(input).metadata();
  } catch (cause) {
    throw new UnreadableImageError('not_an_image', 'the file is not an image that can be decoded', { cause });
  }
  if (!meta.width || !meta.height) throw new UnreadableImageError('not_an_image', 'the image has no dimensions');
  // EXIF orientation 5..8 swaps width and height after rotate().
  const swapped = (meta.orientation ?? 1) >= 5;
  const w = region?.width ?? (swapped ? meta.height : meta.width);
  const h = region?.height ?? (swapped ? meta.width : meta.height);
  const longSide = Math.max(w, h);
  let scale = 1;
  if (longSide < params.minLongSide) scale = params.minLongSide / longSide;
  else if (longSide > params.maxLongSide) scale = params.maxLongSide / longSide;
  if (params.scale && params.scale !== 1) scale = Math.min(scale * params.scale, MAX_LONG_SIDE / longSide);
  const size = { width: Math.round(w * scale), height: Math.round(h * scale), kernel: 'lanczos3' as const };
  if (scale < 1) return photoOrCut(input, region).then((img) => img.resize(size).greyscale().toColourspace('b-w'));
  // No smaller than the photo: sharp greys it before it resizes (and cannot shrink it as it
  // decodes), so these are the same pixels as from the photo's own pipeline, and the passes over
  // one photo, its re-reads' larger page among them, decode it once instead of at each size.
  const grey = await once(input, region, 'grey', () => photoOrCut(input, region).then((img) => img.greyscale().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true })));
  const img = sharp(grey.data, { raw: { width: grey.info.width, height: grey.info.height, channels: grey.info.channels } });
  return (scale !== 1 ? img.resize(size) : img).greyscale().toColourspace('b-w'); // one channel: what Tesseract reads, and what PGM holds
}

/** The photo upright, or cut to the region (cutOf): sharp's pipeline, not yet run. */
async function photoOrCut(input: Buffer, region: Region | null): Promise<Sharp> {
  if (!region) return sharp(input).rotate();
  return sharp(await cutOf(input, region).catch((cause: unknown): never => { throw undecodable(cause); }));
}

/** What a failure to decode or size the photo is reported as. */
function undecodable(cause: unknown): UnreadableImageError {
  if (cause instanceof UnreadableImageError) return cause;
  const tooLarge = cause instanceof Error && /pixel limit/i.test(cause.message);
  return new UnreadableImageError(tooLarge ? 'image_too_large' : 'image_decode_failed', 'the image could not be decoded', { cause });
}

/** `like`: a preparation to repeat at another size, its turn and bend taken instead of measured. */
async function prepare(input: Buffer, params: PreprocessParams, region: Region | null, like: PreparedImage | null): Promise<PreparedImage> {
  try {
    // The stretch in JavaScript (normaliseGrey, the same bytes as sharp's) is taken only where
    // sharp would stretch first: it runs a median filter and a sharpen before its normalise.
    const ownStretch = params.normalise && !(params.median > 0) && !(params.sharpen > 0);
    const page = ownStretch ? await contrasted(input, params, region) : await sharpPage(input, params, region);
    const flattened = page.flattened;
    let grey: GreyPixels = page;
    const unwrapped = params.unwrap && region?.paper ? params.unwrap : undefined;
    if (unwrapped) grey = unwrapColumns(grey, unwrapped);
    const level = like ? { img: await turnedLikeTesseract(grey, like.turned ?? 0), radians: like.turned ?? 0 } : await turnLevel(grey);
    const bend = !params.straighten ? undefined : like ? scaledBend(like.bend ?? null, level.img.width / like.width) : measureBend(level.img);
    const out = bend !== undefined ? straightenLines(level.img, bend) : level.img;
    return { ...prepared(out.data, out.width, out.height), turned: level.radians, ...(flattened ? { flattened } : {}), ...(unwrapped ? { unwrapped } : {}), ...(bend !== undefined ? { bend } : {}) };
  } catch (cause) {
    throw undecodable(cause);
  }
}

/** A page before it is unwrapped, turned or straightened: its grey pixels, and the homography when it was drawn flat (label.perspective.ts). */
type Page = GreyPixels & { flattened?: number[] };

/**
 * The photo sized, painted, flattened, stretched and given its local contrast (params.clahe) here
 * in JavaScript, as prepare takes it before unwrapping, turning and straightening. Each step is
 * taken once per photo, region and size (`once`): a second pass no larger than the first starts
 * from the first's stretched page, and the unwrapped look (label.extractor.ts) from the second
 * pass's contrasted one, instead of decoding, painting, flattening, stretching (and taking the
 * local contrast of) the photo again. On the 48 dev labels (7 unwrapped looks, 3 second passes no
 * larger), with Tesseract's readings cached: 15.5 → 14.5 CPU-s a run, medians of 18 runs taking
 * turns. Nothing downstream writes to these pixels (each step makes new ones), so they are shared
 * as they are.
 */
async function contrasted(input: Buffer, params: PreprocessParams, region: Region | null): Promise<Page> {
  const size = `${params.minLongSide} ${params.maxLongSide} ${params.scale ?? 1}`;
  const page = await once(input, region, size, () => stretched(input, params, region));
  if (!(params.clahe > 0 && Math.min(page.width, page.height) >= params.clahe)) return page;
  // Local contrast here (image.clahe.ts: sharp's CLAHE blended from a grid, a fifth of its time).
  return once(input, region, `${size} clahe ${params.clahe}`, async () => ({ ...localContrast(page, params.clahe, CLAHE_MAX_SLOPE), ...(page.flattened ? { flattened: page.flattened } : {}) }));
}

/** The photo sized, painted and flattened (`painted`), and stretched as sharp's normalise() stretches (normaliseGrey). */
async function stretched(input: Buffer, params: PreprocessParams, region: Region | null): Promise<Page> {
  const page = await painted(await sized(input, params, region), region);
  await normaliseGrey(page.data, page.width, page.height);
  return page;
}

/** The page as sharp prepares it: a median filter or a sharpen is asked for, which sharp runs before its stretch. */
async function sharpPage(input: Buffer, params: PreprocessParams, region: Region | null): Promise<Page> {
  let img = await sized(input, params, region);
  let flattened: number[] | undefined;
  if (region?.paper) {
    const page = await painted(img, region);
    flattened = page.flattened;
    img = sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } });
  }
  if (params.median > 0) img = img.median(params.median);
  if (params.clahe > 0) img = img.clahe({ width: params.clahe, height: params.clahe, maxSlope: CLAHE_MAX_SLOPE });
  if (params.normalise) img = img.normalise();
  if (params.sharpen > 0) img = img.sharpen({ sigma: params.sharpen });
  // One channel out, always: sharp's operations on raw one-channel input may give three.
  const { data, info } = await img.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, ...(flattened ? { flattened } : {}) };
}

/** The sized photo's grey pixels; where the paper is known, what is not paper painted (paintOutside) and a steep view drawn flat (flattenPerspective). */
async function painted(img: Sharp, region: Region | null): Promise<Page> {
  const raw = await img.raw().toBuffer({ resolveWithObject: true });
  const { width, height } = raw.info;
  if (raw.info.channels !== 1) throw new Error(`expected one grey channel, got ${raw.info.channels}`);
  if (!region?.paper) return { data: raw.data, width, height };
  paintOutside(raw.data, width, height, region.paper); // in place: sharp takes a typed array's whole ArrayBuffer, so pass the Buffer itself
  const flat = region.quad ? flattenPerspective({ data: raw.data, width, height }, region.quad, region.sheet) : null;
  return flat ? { ...flat.img, flattened: flat.homography } : { data: raw.data, width, height };
}

/** A bend measured on one size of an image, for the image `ratio` times larger: the same bow, in its pixels. */
function scaledBend(bend: LineBend | null, ratio: number): LineBend | null {
  if (!bend) return null;
  return { tilt: bend.tilt, curve: bend.curve / ratio, bowPx: bend.bowPx * ratio, strips: bend.strips.map((s) => ({ x: s.x * ratio, slope: s.slope })) };
}
