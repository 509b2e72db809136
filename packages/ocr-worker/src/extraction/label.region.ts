import sharp from 'sharp';
import { greyHistogram } from './image.preprocess.js';
import { convexHull, fillOf, quadOf, SHEET_FILL, type Corner } from './label.perspective.js';

/** A crop rectangle in the image's own pixels (after EXIF rotation). */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
  /**
   * Where the paper is inside the rectangle, when it was told from the surface around it: one
   * byte per cell (255 paper, 0 not), `width` × `height` cells laid evenly over the rectangle.
   * Preprocessing paints what is not paper the paper's own white (see `paintOutside`).
   */
  paper?: { data: Uint8Array; width: number; height: number };
  /**
   * The paper's four corners (top-left, top-right, bottom-right, bottom-left; fractions of the
   * rectangle) when its outline is a quadrilateral: the perspective of a steep view (label.perspective.ts).
   */
  quad?: Corner[];
  /** The outline is a quadrilateral to within the small copy's rounding: a flat sheet, not a label bowed round a bottle. */
  sheet?: true;
}

const SIDE = 320;

/** Otsu's threshold of an 8-bit histogram: the level that best splits the darker from the lighter. */
export function otsu(hist: Uint32Array, total: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let [sumB, wB, best, at] = [0, 0, 0, 128];
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t]!;
    const between = wB * wF * (sumB / wB - (sum - sumB) / wF) ** 2;
    if (between > best) [best, at] = [between, t];
  }
  return at;
}

/** A step in log brightness (across two pixels of the small copy) that a surface's grain, shading or glare does not make and a paper edge does. */
const EDGE_STEP = 0.06;
/**
 * And a step of at least this many grey levels: on a dark surface a few levels are a large step in
 * log brightness, so the weave or grain of a dark cloth would otherwise wall the flood in.
 */
const EDGE_GREYS = 8;
/** Cells of the small copy taken off the paper's rim, so its dark outline is painted too. */
const RIM = 4;

/** How much lighter than the surface (its upper quartile to the surface's) the paper must be to be told from it. */
const PAPER_LIGHTER = 1.12;

/** log(grey + 8) of each grey level, as the 32-bit floats the log-brightness map holds. */
const LOG_GREY = Float32Array.from({ length: 256 }, (_, v) => Math.log(v + 8));

function percentile(hist: Uint32Array, q: number): number {
  let n = 0;
  for (const c of hist) n += c;
  for (let v = 0, seen = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= q * n && n > 0) return v;
  }
  return 0;
}

interface Paper {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** 255 where the paper is, over the whole small copy. */
  mask: Uint8Array;
  /** Taken as the hull of its print (its outline partly a guess), not as the piece the flood left. */
  hulled: boolean;
}

/**
 * The paper told from the surface it lies on, on a small grey copy: the surface is what can be
 * reached from the photo's border without crossing an edge (a step in log brightness, so a
 * darker or brighter light changes nothing), and the paper is the largest solid piece left.
 * This holds where a brightness threshold does not: a beige table as bright as the shaded end of
 * a label, or glare making half the label far brighter than the rest. Null when no solid piece is
 * left (the surface's flood got into the paper through an edge too faint to see, or the paper
 * reaches the border all round, as in a scan): then the threshold decides.
 */
export function findPaper(data: Uint8Array, w: number, h: number): Paper | null {
  // Each pixel loop is a function of its own, taking its arrays as arguments: in one function with
  // the rest, a path a new photo takes first (the hull, an early return) threw away the compiled
  // loops with it, and every label compiled them again (docs/benchmarks.md, round 14).
  const edge = edgesOf(data, w, h);
  // Edges a pixel wider, so a gap of a pixel or two (glare on the rim, a faint stretch) stays shut.
  edge.set(widened(edge, w, h));
  // The surface: flooded from the border through everything that is no edge.
  const surface = floodFromBorder(edge, w, h);
  // The largest piece that is not surface.
  const { comp, best } = largestComponent(w, h, unset(surface));
  if (best.id < 0) return null;
  const bw = best.x1 - best.x0 + 1, bh = best.y1 - best.y0 + 1;
  // A label is a solid quadrilateral, maybe bowed: a piece that is small or everything is not one.
  if (best.n > 0.9 * w * h) return null;
  let mask: Uint8Array;
  let box = { x0: best.x0, y0: best.y0, x1: best.x1, y1: best.y1 };
  let hulled = false;
  const piece = pieceMask(comp, best.id);
  if (best.n >= 0.1 * w * h && (best.n >= 0.6 * bw * bh || quadOf(cropTo(piece, w, best), bw, bh))) {
    // Solid: it fills its box, or it is a quadrilateral that does not (a label seen steeply, its
    // far end short, and turned: 7 of 77 steep photos of two fresh batches filled 0.52-0.60).
    mask = piece;
  } else {
    // Small or ragged: the flood got in where the paper's edge fades into the surface (the shaded end of a
    // bottle's label, as dark as the table). The print and the edges that were found still mark
    // the paper out: it is taken as the convex hull of every sizeable piece that is not surface.
    // Its side along the faded end runs through the print itself, so it is widened (not taken off
    // the rim) to keep the print clear of the painting; it must lie clear of the photo's border,
    // or the pieces were the surface's grain.
    const hull = hullOfPieces(w, h, (p) => !surface[p], Math.max(12, MIN_PIECE * w * h));
    if (!hull || hull.box.x0 < HULL_CLEAR || hull.box.y0 < HULL_CLEAR || hull.box.x1 >= w - HULL_CLEAR || hull.box.y1 >= h - HULL_CLEAR) return null;
    const c = HULL_CLEAR;
    [mask, box] = [grow(hull.mask, w, h, c), { x0: hull.box.x0 - c, y0: hull.box.y0 - c, x1: hull.box.x1 + c, y1: hull.box.y1 + c }];
    hulled = true;
  }
  const inside = new Uint32Array(256), outside = new Uint32Array(256);
  const n = paperHistograms(data, mask, surface, inside, outside);
  if (n < 0.1 * w * h || n > 0.9 * w * h) return null;
  // Paper is lighter than what it lies on. A piece no lighter than the rest is lines of text run
  // together on a surface of the paper's own colour (a scan, a label on white): no paper to tell.
  if (percentile(inside, 0.75) < PAPER_LIGHTER * percentile(outside, 0.75)) return null;
  // Off the rim: the edge cells themselves are half surface.
  for (let r = 0; r < (hulled ? 0 : RIM); r++) offRim(mask, w, h);
  return { ...box, mask, hulled };
}

/** 1 where a step in log brightness (EDGE_STEP) of enough grey levels (EDGE_GREYS) crosses the pixel, across or down. */
export function edgesOf(data: Uint8Array, w: number, h: number): Uint8Array {
  const L = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) L[i] = LOG_GREY[data[i]!]!;
  const edge = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const gx = L[y * w + Math.min(x + 1, w - 1)]! - L[y * w + Math.max(x - 1, 0)]!;
      const gy = L[Math.min(y + 1, h - 1) * w + x]! - L[Math.max(y - 1, 0) * w + x]!;
      const ax = Math.abs(data[y * w + Math.min(x + 1, w - 1)]! - data[y * w + Math.max(x - 1, 0)]!);
      const ay = Math.abs(data[Math.min(y + 1, h - 1) * w + x]! - data[Math.max(y - 1, 0) * w + x]!);
      if ((Math.abs(gx) > EDGE_STEP && ax >= EDGE_GREYS) || (Math.abs(gy) > EDGE_STEP && ay >= EDGE_GREYS)) edge[y * w + x] = 1;
    }
  }
  return edge;
}

/** The edge map with each edge pixel's eight neighbours set too (a new map). */
export function widened(edge: Uint8Array, w: number, h: number): Uint8Array {
  const shut = edge.slice();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!edge[y * w + x]) continue;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy, xx = x + dx;
        if (yy >= 0 && yy < h && xx >= 0 && xx < w) shut[yy * w + xx] = 1;
      }
    }
  }
  return shut;
}

/** 1 where the byte is 0, 0 elsewhere. */
function unset(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let p = 0; p < bytes.length; p++) out[p] = bytes[p] ? 0 : 1;
  return out;
}

/** The part of a w-wide mask inside `box` (inclusive), as quadOf takes it. */
function cropTo(mask: Uint8Array, w: number, box: { x0: number; y0: number; x1: number; y1: number }): Uint8Array {
  const bw = box.x1 - box.x0 + 1, bh = box.y1 - box.y0 + 1;
  const out = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) out.set(mask.subarray((box.y0 + y) * w + box.x0, (box.y0 + y) * w + box.x0 + bw), y * bw);
  return out;
}

/** 255 for the pixels of piece `id`, 0 elsewhere. */
function pieceMask(comp: Int32Array, id: number): Uint8Array {
  const mask = new Uint8Array(comp.length);
  for (let p = 0; p < comp.length; p++) if (comp[p] === id) mask[p] = 255;
  return mask;
}

/** The grey histograms of the paper (`mask`) and of the surface around it, into `inside` and `outside`; the paper's pixel count. */
function paperHistograms(data: Uint8Array, mask: Uint8Array, surface: Uint8Array, inside: Uint32Array, outside: Uint32Array): number {
  let n = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p]) {
      inside[data[p]!]!++;
      n++;
    } else if (surface[p]) outside[data[p]!]!++;
  }
  return n;
}

/** Takes the mask's rim off, in place: every set pixel on the border or with an unset 4-neighbour. */
function offRim(mask: Uint8Array, w: number, h: number): void {
  const was = mask.slice();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (was[p] && (x === 0 || y === 0 || x === w - 1 || y === h - 1 || !was[p - 1] || !was[p + 1] || !was[p - w] || !was[p + w])) mask[p] = 0;
    }
  }
}

/**
 * Where the label is in a photo: the paper told from the surface around it (`findPaper`), or,
 * when that finds none, the largest bright region (paper is lighter than the table, hand or
 * bottle around it), found on a small copy. Returns null when the label already fills most of
 * the picture or nothing stands out, so a scan or a close-up is left as it is.
 */
export async function findLabelRegion(input: Buffer): Promise<Region | null> {
  const img = sharp(input).rotate();
  const meta = await img.metadata();
  const swapped = (meta.orientation ?? 1) >= 5;
  const W = (swapped ? meta.height : meta.width) ?? 0;
  const H = (swapped ? meta.width : meta.height) ?? 0;
  if (!W || !H) return null;
  const small = await img.clone().resize({ width: SIDE, height: SIDE, fit: 'inside' }).greyscale().raw().toBuffer({ resolveWithObject: true });
  const [w, h] = [small.info.width, small.info.height];
  const raw = { width: w, height: h, channels: 1 as const };
  const sharpened = await sharp(small.data, { raw }).blur(0.7).extractChannel(0).raw().toBuffer();
  const paper = findPaper(sharpened, w, h);
  if (paper) {
    const sx = W / w, sy = H / h;
    const left = Math.max(0, Math.floor(paper.x0 * sx));
    const top = Math.max(0, Math.floor(paper.y0 * sy));
    const right = Math.min(W, Math.ceil((paper.x1 + 1) * sx));
    const bottom = Math.min(H, Math.ceil((paper.y1 + 1) * sy));
    const pw = paper.x1 - paper.x0 + 1, ph = paper.y1 - paper.y0 + 1;
    const cells = cropTo(paper.mask, w, paper);
    const quad = paper.hulled ? null : quadOf(cells, pw, ph);
    // The mask was taken RIM cells off the paper's rim; its corners are put back out by as much.
    const out = quad?.map(([x, y], i): Corner => [x + ((i === 1 || i === 2 ? 1 : -1) * RIM) / pw, y + ((i >= 2 ? 1 : -1) * RIM) / ph]);
    const sheet = quad && fillOf(cells, pw, ph, quad.map(([x, y]): Corner => [x * pw, y * ph])) >= SHEET_FILL;
    return { left, top, width: right - left, height: bottom - top, paper: { data: cells, width: pw, height: ph }, ...(out ? { quad: out } : {}), ...(sheet ? { sheet: true as const } : {}) };
  }
  const data = await sharp(small.data, { raw }).blur(1.2).extractChannel(0).raw().toBuffer();
  // Bright pixels, grouped into 4-connected regions; the largest is the label.
  const { best: bestBox } = largestComponent(w, h, brighterThanOtsu(data));
  if (bestBox.id < 0) return null;
  const bw = bestBox.x1 - bestBox.x0 + 1, bh = bestBox.y1 - bestBox.y0 + 1;
  // Too small to be the label, or the label already fills the photo: leave it.
  if (bestBox.n < 0.08 * w * h || bw * bh > 0.8 * w * h) return null;
  const pad = 0.04;
  const sx = W / w, sy = H / h;
  const left = Math.max(0, Math.floor((bestBox.x0 - pad * bw) * sx));
  const top = Math.max(0, Math.floor((bestBox.y0 - pad * bh) * sy));
  const right = Math.min(W, Math.ceil((bestBox.x1 + 1 + pad * bw) * sx));
  const bottom = Math.min(H, Math.ceil((bestBox.y1 + 1 + pad * bh) * sy));
  return { left, top, width: right - left, height: bottom - top };
}

/** 1 for the pixels above the image's Otsu threshold, 0 for the rest. */
function brighterThanOtsu(data: Uint8Array): Uint8Array {
  const t = otsu(greyHistogram(data), data.length);
  const bright = new Uint8Array(data.length);
  for (let p = 0; p < data.length; p++) bright[p] = data[p]! > t ? 1 : 0;
  return bright;
}

/** How far (cells) a paper taken as the hull of its print is widened, and must stay off the border. */
const HULL_CLEAR = 2;

/** The mask grown by `by` cells (8-neighbour steps). */
function grow(mask: Uint8Array, w: number, h: number, by: number): Uint8Array {
  let cur = mask;
  for (let r = 0; r < by; r++) {
    const next = cur.slice();
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (cur[y * w + x]) continue;
        for (let dy = -1; dy <= 1 && !next[y * w + x]; dy++) for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy, xx = x + dx;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w && cur[yy * w + xx]) {
            next[y * w + x] = 255;
            break;
          }
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** A piece (of print or edge) this share of the small copy or larger marks where the paper is; grain makes smaller. */
const MIN_PIECE = 0.001;

/**
 * The convex hull of the pieces (4-connected) of `member` pixels of at least `minSize` pixels,
 * filled, on a w×h grid, with its bounding box; null when there are none.
 */
export function hullOfPieces(w: number, h: number, member: (p: number) => boolean, minSize: number): { mask: Uint8Array; box: { x0: number; y0: number; x1: number; y1: number } } | null {
  const comp = new Int32Array(w * h).fill(-1);
  const lo = new Int32Array(h).fill(w), hi = new Int32Array(h).fill(-1);
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (comp[start] !== -1 || !member(start)) continue;
    comp[start] = start;
    stack.push(start);
    spread(stack, w, h, (q) => {
      if (comp[q] === -1 && member(q)) [comp[q] = start, stack.push(q)];
    });
  }
  const size = new Map<number, number>();
  for (let p = 0; p < w * h; p++) if (comp[p]! >= 0) size.set(comp[p]!, (size.get(comp[p]!) ?? 0) + 1);
  for (let p = 0; p < w * h; p++) {
    if (comp[p]! < 0 || size.get(comp[p]!)! < minSize) continue;
    const x = p % w, y = (p - x) / w;
    if (x < lo[y]!) lo[y] = x;
    if (x > hi[y]!) hi[y] = x;
  }
  // The hull of the rows' two ends.
  const pts: Corner[] = [];
  for (let y = 0; y < h; y++) if (hi[y]! >= 0) pts.push([lo[y]!, y], [hi[y]!, y]);
  if (pts.length < 6) return null;
  const poly = convexHull(pts);
  // Filled row by row: where the row's centre line crosses the polygon's sides.
  const mask = new Uint8Array(w * h);
  const box = { x0: w, y0: h, x1: -1, y1: -1 };
  for (let y = 0; y < h; y++) {
    let [a, b] = [Infinity, -Infinity];
    for (let i = 0; i < poly.length; i++) {
      const [p, q] = [poly[i]!, poly[(i + 1) % poly.length]!];
      if ((p[1] <= y && q[1] >= y) || (q[1] <= y && p[1] >= y)) {
        const x = p[1] === q[1] ? [p[0], q[0]] : [p[0] + ((y - p[1]) * (q[0] - p[0])) / (q[1] - p[1])];
        for (const v of x) [a, b] = [Math.min(a, v), Math.max(b, v)];
      }
    }
    if (!(b >= a)) continue;
    const [x0, x1] = [Math.max(0, Math.ceil(a)), Math.min(w - 1, Math.floor(b))];
    if (x1 < x0) continue;
    mask.fill(255, y * w + x0, y * w + x1 + 1);
    [box.x0, box.x1, box.y0, box.y1] = [Math.min(box.x0, x0), Math.max(box.x1, x1), Math.min(box.y0, y), Math.max(box.y1, y)];
  }
  return box.x1 < 0 ? null : { mask, box };
}

interface Component {
  /** -1 when no pixel belongs. */
  id: number;
  /** Pixels in it, and their bounding box. */
  n: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The 4-connected pieces of the pixels of a w×h grid whose `member` byte is 1: each pixel's piece
 * (-1 for none) and the largest piece with its bounding box. (A byte mask, not a predicate: a
 * predicate closure made per call was compiled again on many labels; docs/benchmarks.md, round 13.)
 */
function largestComponent(w: number, h: number, member: Uint8Array): { comp: Int32Array; best: Component } {
  const comp = new Int32Array(w * h).fill(-1);
  let best: Component = { id: -1, n: 0, x0: 0, y0: 0, x1: 0, y1: 0 };
  const stack: number[] = [];
  for (let start = 0, id = 0; start < w * h; start++) {
    if (comp[start] !== -1 || member[start] !== 1) continue;
    const box: Component = { id, n: 0, x0: w, y0: h, x1: 0, y1: 0 };
    comp[start] = id;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w, y = (p - x) / w;
      box.n++;
      if (x < box.x0) box.x0 = x;
      if (x > box.x1) box.x1 = x;
      if (y < box.y0) box.y0 = y;
      if (y > box.y1) box.y1 = y;
      // The four neighbours in the same order as ever (left, right, up, down), without an array a pixel.
      if (x > 0 && comp[p - 1] === -1 && member[p - 1] === 1) {
        comp[p - 1] = id;
        stack.push(p - 1);
      }
      if (x < w - 1 && comp[p + 1] === -1 && member[p + 1] === 1) {
        comp[p + 1] = id;
        stack.push(p + 1);
      }
      if (y > 0 && comp[p - w] === -1 && member[p - w] === 1) {
        comp[p - w] = id;
        stack.push(p - w);
      }
      if (y < h - 1 && comp[p + w] === -1 && member[p + w] === 1) {
        comp[p + w] = id;
        stack.push(p + w);
      }
    }
    if (box.n > best.n) best = box;
    id++;
  }
  return { comp, best };
}

/**
 * 1 for the pixels reached from the grid's border through pixels that are no `edge` (4-connected).
 * A plain function with its own stack (each pixel is pushed at most once, so a typed array of
 * w·h holds it): the flood through a closure made per call (`spread` with a seed callback) was
 * compiled again on many labels (docs/benchmarks.md, round 13). The same pixels either way.
 */
export function floodFromBorder(edge: Uint8Array, w: number, h: number): Uint8Array {
  const surface = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  let top = 0;
  // The border first, in the order it was seeded before: each column's top then bottom pixel, then
  // each row's left then right pixel (k even: the first of the pair, k odd: the second).
  for (let k = 0; k < 2 * (w + h); k++) {
    const p = k < 2 * w ? (k >> 1) + (k & 1 ? (h - 1) * w : 0) : ((k - 2 * w) >> 1) * w + (k & 1 ? w - 1 : 0);
    if (edge[p] === 0 && surface[p] === 0) {
      surface[p] = 1;
      stack[top++] = p;
    }
  }
  // Then each pixel taken off offers its four neighbours (left, right, up, down), as `spread` did.
  while (top > 0) {
    const p = stack[--top]!;
    const x = p % w;
    let q = p - 1;
    if (x > 0 && edge[q] === 0 && surface[q] === 0) {
      surface[q] = 1;
      stack[top++] = q;
    }
    q = p + 1;
    if (x < w - 1 && edge[q] === 0 && surface[q] === 0) {
      surface[q] = 1;
      stack[top++] = q;
    }
    q = p - w;
    if (p >= w && edge[q] === 0 && surface[q] === 0) {
      surface[q] = 1;
      stack[top++] = q;
    }
    q = p + w;
    if (p < w * (h - 1) && edge[q] === 0 && surface[q] === 0) {
      surface[q] = 1;
      stack[top++] = q;
    }
  }
  return surface;
}

/**
 * A flood over a w×h grid: pops pixels off `stack` and offers each one's four neighbours to
 * `visit`, which pushes those that join, until none are left.
 */
export function spread(stack: number[], w: number, h: number, visit: (p: number) => void): void {
  while (stack.length) {
    const p = stack.pop()!;
    const x = p % w;
    if (x > 0) visit(p - 1);
    if (x < w - 1) visit(p + 1);
    if (p >= w) visit(p - w);
    if (p < w * (h - 1)) visit(p + w);
  }
}
