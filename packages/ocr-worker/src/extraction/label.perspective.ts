import type { GreyPixels } from './image.preprocess.js';

/**
 * Labels photographed at a steep angle: one end of the label much farther from the camera than
 * the other, so the paper is a trapezoid, the far end's print small and squeezed, and the lines
 * of text fan out (no one angle levels them, which is all Tesseract's deskew can do). When the
 * paper was told from the surface (label.region.ts) and its outline is a quadrilateral, its four
 * corners give the perspective (a homography) and the label is drawn flat onto the rectangle of
 * the crop: the far end enlarged to the near end's size, the lines parallel again.
 */

/** A corner as fractions (0..1) of the crop's width and height. */
export type Corner = [number, number];

/** Opposite sides differing by less than this share are no steep view (Tesseract copes with the keystone alone). */
const MIN_FORESHORTENING = 0.1;
/**
 * A paper whose sides run off the axes by more than this slope (~2°) is drawn flat too, though
 * square-on. Tesseract's deskew levels a page by the baselines it finds, and a label on a bottle
 * has bowed lines, glare across some of them and a keystone from the bottle's lean, so it levels
 * such a photo badly or not at all (lines then joined, words dropped); the paper's outline gives
 * the turn exactly. Below it the photo is left as it is: a square scan or a level photo pays nothing.
 */
const MIN_SLANT = 0.035;
/**
 * A turned view is drawn flat only when the paper is a flat sheet: its outline a quadrilateral to
 * within the small copy's rounding. A label on a bottle bows (its top and bottom edges curve), and
 * a homography of its four corners does not flatten it: on unseen hard photos drawing those flat
 * lost as many labels as it gained and twice made a confident misreading (seed 24600).
 */
export const SHEET_FILL = 0.985;
/** The paper must fill its quadrilateral this well to be taken for one (a bowed or torn outline is not). */
const MIN_FILL = 0.93;

/**
 * The paper's four corners (top-left, top-right, bottom-right, bottom-left, as fractions of the
 * mask's box) when the mask (255 paper) is a quadrilateral: the points furthest along the two
 * diagonals, kept only when the paper fills the quadrilateral they make and lies within it. A
 * label seen steeply and turned is a trapezoid leaning across its box, and its corners need not
 * lie furthest along a diagonal (two of them may be one point); then the largest quadrilateral
 * with corners on the paper's convex hull is tried, with the same test. Null otherwise.
 */
export function quadOf(mask: Uint8Array, w: number, h: number): Corner[] | null {
  let tl: [number, number, number] = [0, 0, Infinity], tr: [number, number, number] = [0, 0, -Infinity];
  let br: [number, number, number] = [0, 0, -Infinity], bl: [number, number, number] = [0, 0, Infinity];
  let n = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      n++;
      const [s, d] = [x + y, x - y];
      if (s < tl[2]) tl = [x, y, s];
      if (s > br[2]) br = [x, y, s];
      if (d > tr[2]) tr = [x, y, d];
      if (d < bl[2]) bl = [x, y, d];
    }
  }
  if (n === 0) return null;
  // The corners are the cells' outer corners.
  const q: Corner[] = [[tl[0], tl[1]], [tr[0] + 1, tr[1]], [br[0] + 1, br[1] + 1], [bl[0], bl[1] + 1]];
  const diagonal = fillOf(mask, w, h, q) >= MIN_FILL;
  const found = diagonal ? fromTopLeft(q) : hullQuad(mask, w, h);
  if (!found || (!diagonal && fillOf(mask, w, h, found) < MIN_FILL)) return null;
  return found.map(([x, y]) => [x / w, y / h]);
}

/**
 * The same corners, in the same turn, from the one that starts the edge nearest level and running
 * right: the label's top edge. The least x + y is not always its top-left: a wide label seen steeply
 * with its near end leaning far over (a fresh stretch batch's steep views, 6 of 74) has its
 * bottom-left corner there, and drawn flat from it the label came out a quarter turned, unread.
 */
export function fromTopLeft(q: readonly Corner[]): Corner[] {
  const tilt = (s: number) => {
    const [a, b] = [q[s]!, q[(s + 1) % 4]!];
    return Math.abs(Math.atan2(b[1] - a[1], b[0] - a[0]));
  };
  const start = [1, 2, 3].reduce((best, s) => (tilt(s) < tilt(best) ? s : best), 0);
  return [0, 1, 2, 3].map((d) => q[(start + d) % 4]!);
}

/** Twice the signed area of triangle a, b, c (positive when a → b → c turns as TL → TR → BR does, y down). */
const cross = (a: Corner, b: Corner, c: Corner): number => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

/** The convex hull of the points (Andrew's monotone chain), turning as TL → TR → BR does (clockwise on the image). */
export function convexHull(points: readonly Corner[]): Corner[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const half = (list: Corner[]): Corner[] => {
    const out: Corner[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    return out.slice(0, -1);
  };
  return [...half(pts), ...half([...pts].reverse())];
}

/**
 * The largest quadrilateral whose corners are vertices of the mask's convex hull (cells' outer
 * corners), as top-left, top-right, bottom-right, bottom-left; null for a hull of fewer than four.
 */
export function hullQuad(mask: Uint8Array, w: number, h: number): Corner[] | null {
  const pts: Corner[] = [];
  for (let y = 0; y < h; y++) {
    let x0 = -1, x1 = -1;
    for (let x = 0; x < w; x++) if (mask[y * w + x]) [x0, x1] = [x0 < 0 ? x : x0, x];
    if (x0 >= 0) pts.push([x0, y], [x0, y + 1], [x1 + 1, y], [x1 + 1, y + 1]);
  }
  const hull = convexHull(pts);
  const n = hull.length;
  if (n < 4) return null;
  // For every diagonal i–k, the farthest vertex on each side: the largest quadrilateral through it.
  let best: number[] | null = null;
  let bestArea = 0;
  for (let i = 0; i < n; i++) {
    for (let k = i + 2; k < n; k++) {
      let [j, aj] = [-1, 0];
      for (let m = i + 1; m < k; m++) {
        const a = cross(hull[i]!, hull[m]!, hull[k]!);
        if (a > aj) [j, aj] = [m, a];
      }
      let [l, al] = [-1, 0];
      for (let m = k + 1; m < i + n; m++) {
        const a = cross(hull[k]!, hull[m % n]!, hull[i]!);
        if (a > al) [l, al] = [m % n, a];
      }
      if (j >= 0 && l >= 0 && aj + al > bestArea) [best, bestArea] = [[i, j, k, l], aj + al];
    }
  }
  if (!best) return null;
  return fromTopLeft(best.map((v) => hull[v]!));
}

/**
 * How well the paper fills the quadrilateral `q` (corners in cells) and lies within it: the smaller
 * of the share of the quad that is paper and the share of the paper inside the quad (0 for no quad).
 */
export function fillOf(mask: Uint8Array, w: number, h: number, q: readonly Corner[]): number {
  let area = 0;
  for (let i = 0; i < 4; i++) area += q[i]![0] * q[(i + 1) % 4]![1] - q[(i + 1) % 4]![0] * q[i]![1];
  area = area / 2;
  if (area <= 0) return 0;
  const inside = (x: number, y: number) =>
    q.every((a, i) => {
      const b = q[(i + 1) % 4]!;
      return (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0;
    });
  let [n, within] = [0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      n++;
      if (inside(x + 0.5, y + 0.5)) within++;
    }
  }
  return n ? Math.min(within / area, within / n) : 0;
}

/** How much the quad's opposite sides differ in length (the larger of the two pairs, as a share of the longer side). */
export function foreshortening(q: readonly Corner[], width: number, height: number): number {
  const len = (a: Corner, b: Corner) => Math.hypot((a[0] - b[0]) * width, (a[1] - b[1]) * height);
  const [top, right, bottom, left] = [len(q[0]!, q[1]!), len(q[1]!, q[2]!), len(q[2]!, q[3]!), len(q[3]!, q[0]!)];
  return Math.max(Math.abs(top - bottom) / Math.max(top, bottom), Math.abs(left - right) / Math.max(left, right));
}

/** How far the quad's sides run off the axes: the largest slope of top and bottom against level, and of the sides against upright. */
export function slant(q: readonly Corner[], width: number, height: number): number {
  const [tl, tr, br, bl] = q.map(([x, y]) => [x * width, y * height]) as [number[], number[], number[], number[]];
  const off = (a: number[], b: number[], along: 0 | 1) => Math.abs((b[1 - along]! - a[1 - along]!) / (b[along]! - a[along]!));
  return Math.max(off(tl, tr, 0), off(bl, br, 0), off(tl, bl, 1), off(tr, br, 1));
}

/** The homography (3×3, row-major, h33 = 1) taking the unit square's corners (0,0) (1,0) (1,1) (0,1) to `q`. */
export function squareToQuad(q: readonly Corner[]): number[] {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q as [Corner, Corner, Corner, Corner];
  const [dx1, dx2, dx3] = [x1 - x2, x3 - x2, x0 - x1 + x2 - x3];
  const [dy1, dy2, dy3] = [y1 - y2, y3 - y2, y0 - y1 + y2 - y3];
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / den;
  const hh = (dx1 * dy3 - dx3 * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + hh * x3, x0, y1 - y0 + g * y1, y3 - y0 + hh * y3, y0, g, hh, 1];
}

/**
 * The homography flattenPerspective draws a `width` × `height` image with (see there), or null
 * when it would leave the image as it is: for a page only some pixels of which are wanted, drawn
 * at them alone (image.preprocess.ts, PageMap).
 */
export function flattening(quad: readonly Corner[], width: number, height: number, sheet = false): number[] | null {
  if (foreshortening(quad, width, height) < MIN_FORESHORTENING && !(sheet && slant(quad, width, height) >= MIN_SLANT)) return null;
  return squareToQuad(quad);
}

/**
 * The label drawn flat onto the whole image (same size, bilinear) when `quad` (its corners, as
 * fractions of the image) shows a steep view, or a turned one of a flat sheet (`sheet`); null otherwise.
 * Returns the homography used too: reading pixel (x, y) came from the image's (u, v) =
 * H · (x / width, y / height, 1), in fractions of the image.
 */
export function flattenPerspective(img: GreyPixels, quad: readonly Corner[], sheet = false): { img: GreyPixels; homography: number[] } | null {
  const { width, height, data } = img;
  const H = flattening(quad, width, height, sheet);
  if (!H) return null;
  const out = new Uint8Array(width * height);
  const [h0, h1, h2, h3, h4, h5, h6, h7] = H as [number, number, number, number, number, number, number, number];
  // unflattened(H, u, v), inlined: this runs for every pixel. The products with u are the same for
  // every row and those with v for every pixel of a row, so each is made once; the sums are added
  // in the same order as `unflattened` adds them, so every pixel is the same.
  const h0u = new Float64Array(width), h3u = new Float64Array(width), h6u = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const u = (x + 0.5) / width;
    h0u[x] = h0 * u;
    h3u[x] = h3 * u;
    h6u[x] = h6 * u;
  }
  const lastX = width - 1, lastY = height - 1;
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / height;
    const h1v = h1 * v, h4v = h4 * v, h7v = h7 * v;
    for (let x = 0; x < width; x++) {
      const z = h6u[x]! + h7v + 1;
      const sx = ((h0u[x]! + h1v + h2) / z) * width - 0.5, sy = ((h3u[x]! + h4v + h5) / z) * height - 0.5;
      const fx = Math.floor(sx), fy = Math.floor(sy), tx = sx - fx, ty = sy - fy;
      let a: number, b: number, c: number, d: number;
      if (fx >= 0 && fx < lastX && fy >= 0 && fy < lastY) {
        // Inside, where the edges held below change nothing: the four neighbours straight off.
        const at = fy * width + fx;
        a = data[at]!;
        b = data[at + 1]!;
        c = data[at + width]!;
        d = data[at + width + 1]!;
      } else {
        const xa = Math.min(lastX, Math.max(0, fx)), xb = Math.min(lastX, Math.max(0, fx + 1));
        const ra = Math.min(lastY, Math.max(0, fy)) * width, rb = Math.min(lastY, Math.max(0, fy + 1)) * width;
        a = data[ra + xa]!;
        b = data[ra + xb]!;
        c = data[rb + xa]!;
        d = data[rb + xb]!;
      }
      out[y * width + x] = Math.round((a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty);
    }
  }
  return { img: { data: out, width, height }, homography: H };
}

/** Where a point of the flattened image (fractions of its size) was in the image before (fractions too). */
export function unflattened(H: readonly number[], u: number, v: number): [number, number] {
  const z = H[6]! * u + H[7]! * v + 1;
  return [(H[0]! * u + H[1]! * v + H[2]!) / z, (H[3]! * u + H[4]! * v + H[5]!) / z];
}
