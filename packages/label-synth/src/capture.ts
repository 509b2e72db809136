import sharp from 'sharp';
import type { Random } from './random.js';

/**
 * How the label was photographed. The first four are the dev corpus's conditions; the rest are
 * the stretch conditions (steep angles, turned, strongly curved, half resolution, motion blur).
 */
export type Condition = 'clean' | 'mild' | 'camera' | 'hard' | 'steep' | 'rotated' | 'curved' | 'halfres' | 'motion';
export const CORE_CONDITIONS: Condition[] = ['clean', 'mild', 'camera', 'hard'];
export const STRETCH_CONDITIONS: Condition[] = ['steep', 'rotated', 'curved', 'halfres', 'motion'];

interface Raster {
  data: Uint8Array;
  width: number;
  height: number;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Solves the 8 unknowns of the homography taking points `from` to `to`. */
function homography(from: [number, number][], to: [number, number][]): number[] {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const k = A[r]![c]! / A[c]![c]!;
      for (let j = c; j < 9; j++) A[r]![j]! -= k * A[c]![j]!;
    }
  }
  return A.map((row, i) => row[8]! / row[i]!);
}

function sample(src: Raster, x: number, y: number, out: Uint8Array, o: number): boolean {
  if (x < 0 || y < 0 || x > src.width - 1 || y > src.height - 1) return false;
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, src.width - 1), y1 = Math.min(y0 + 1, src.height - 1);
  const fx = x - x0, fy = y - y0;
  for (let ch = 0; ch < 3; ch++) {
    const a = src.data[(y0 * src.width + x0) * 3 + ch]!, b = src.data[(y0 * src.width + x1) * 3 + ch]!;
    const c = src.data[(y1 * src.width + x0) * 3 + ch]!, d = src.data[(y1 * src.width + x1) * 3 + ch]!;
    out[o + ch] = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
  }
  return true;
}

/** A surface to photograph the label on: a flat colour with grain and a slow gradient. */
function background(w: number, h: number, r: Random): Raster {
  const base = r.pick([[107, 79, 58], [60, 62, 70], [150, 146, 140], [188, 180, 166], [40, 44, 52], [122, 100, 80]]);
  const data = new Uint8Array(w * h * 3);
  const gx = r.range(-0.25, 0.25), gy = r.range(-0.25, 0.25);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const shade = 1 + gx * (x / w - 0.5) + gy * (y / h - 0.5) + 0.04 * Math.sin(y / 9 + Math.sin(x / 41));
      for (let ch = 0; ch < 3; ch++) data[(y * w + x) * 3 + ch] = clamp(base[ch]! * shade);
    }
  }
  return { data, width: w, height: h };
}

/** Wraps the label round a cylinder seen from the front: edges squeezed and darker, lines bowed. */
function cylinder(src: Raster, arc: number, bow: number): Raster {
  const R = src.width / arc; // radius in label pixels; arc = angle the label spans
  const half = R * Math.sin(arc / 2);
  const width = Math.round(2 * half);
  const extra = Math.ceil(Math.abs(bow)) + 2;
  const height = src.height + 2 * extra;
  const data = new Uint8Array(width * height * 3).fill(0);
  const mask = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    const t = Math.asin(Math.max(-1, Math.min(1, (x - half) / R)));
    const sx = t * R + src.width / 2;
    const shade = 0.55 + 0.45 * Math.cos(t * 1.3);
    const dy = bow * (1 - Math.cos(t)) / (1 - Math.cos(arc / 2));
    for (let y = 0; y < height; y++) {
      const o = (y * width + x) * 3;
      if (sample(src, sx, y - extra - dy, data, o)) {
        mask[y * width + x] = 255;
        for (let ch = 0; ch < 3; ch++) data[o + ch] = clamp(data[o + ch]! * shade);
      }
    }
  }
  return withMask({ data, width, height }, mask);
}

const masks = new WeakMap<Raster, Uint8Array>();
function withMask(r: Raster, m: Uint8Array): Raster {
  masks.set(r, m);
  return r;
}

/** Places the label on a background through a perspective mapping of its corners. */
function place(label: Raster, bg: Raster, corners: [number, number][]): Raster {
  const src: [number, number][] = [[0, 0], [label.width, 0], [label.width, label.height], [0, label.height]];
  const H = homography(corners, src); // output -> label
  const out = new Uint8Array(bg.data);
  const mask = masks.get(label);
  const px = new Uint8Array(3);
  for (let y = 0; y < bg.height; y++) {
    for (let x = 0; x < bg.width; x++) {
      const w = H[6]! * x + H[7]! * y + 1;
      const u = (H[0]! * x + H[1]! * y + H[2]!) / w;
      const v = (H[3]! * x + H[4]! * y + H[5]!) / w;
      if (u < 0 || v < 0 || u > label.width - 1 || v > label.height - 1) continue;
      if (mask && !mask[Math.round(v) * label.width + Math.round(u)]) continue;
      if (sample(label, u, v, px, 0)) out.set(px, (y * bg.width + x) * 3);
    }
  }
  return { data: out, width: bg.width, height: bg.height };
}

function light(img: Raster, r: Random, strength: number): void {
  const cx = r.range(0.1, 0.9) * img.width, cy = r.range(0.1, 0.9) * img.height;
  const rad = Math.max(img.width, img.height) * r.range(0.6, 1.1);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const d = Math.hypot(x - cx, y - cy) / rad;
      const k = 1 - strength * Math.min(1, d * d);
      const o = (y * img.width + x) * 3;
      for (let ch = 0; ch < 3; ch++) img.data[o + ch] = clamp(img.data[o + ch]! * k);
    }
  }
}

function glare(img: Raster, r: Random, cx: number, cy: number, rx: number, ry: number, peak: number): void {
  for (let y = Math.max(0, Math.floor(cy - 2 * ry)); y < Math.min(img.height, cy + 2 * ry); y++) {
    for (let x = Math.max(0, Math.floor(cx - 2 * rx)); x < Math.min(img.width, cx + 2 * rx); x++) {
      const g = peak * Math.exp(-(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2));
      const o = (y * img.width + x) * 3;
      for (let ch = 0; ch < 3; ch++) img.data[o + ch] = clamp(img.data[o + ch]! + (255 - img.data[o + ch]!) * g);
    }
  }
  void r;
}

function noise(img: Raster, r: Random, sigma: number): void {
  for (let i = 0; i < img.data.length; i += 3) {
    const n = (r.next() + r.next() + r.next() - 1.5) * sigma * 2;
    const chroma = (r.next() - 0.5) * sigma * 0.5;
    img.data[i] = clamp(img.data[i]! + n + chroma);
    img.data[i + 1] = clamp(img.data[i + 1]! + n);
    img.data[i + 2] = clamp(img.data[i + 2]! + n - chroma);
  }
}

async function toRaster(png: Buffer): Promise<Raster> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

const rawSharp = (img: Raster) => sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } });

/**
 * The least a steep view's far side may be, as a share of the label's height. The corners' jitter
 * (up to 0.08 of the label's width each, on labels three or four times as wide as tall) and the
 * tilt (up to 0.26 of its height) could bring a side's two corners together or past each other:
 * the view's horizon then crossed the photo, and the label was drawn mostly off it, flipped.
 */
export const STEEP_MIN_SIDE = 0.4;

/**
 * The quad (top-left, top-right, bottom-right, bottom-left) with each upright side at least
 * `min` tall: a shorter side is opened about its middle. Sides already that tall are unchanged.
 */
export function sidesApart(corners: [number, number][], min: number): [number, number][] {
  const out = corners.map(([x, y]): [number, number] => [x, y]);
  for (const [top, bottom] of [[0, 3], [1, 2]] as const) {
    const [t, b] = [out[top]!, out[bottom]!];
    if (b[1] - t[1] >= min) continue;
    const mid = (t[1] + b[1]) / 2;
    [t[1], b[1]] = [mid - min / 2, mid + min / 2];
  }
  return out;
}

/** Photographs a rendered label (PNG) under a condition; returns JPEG bytes. */
export async function capture(labelPng: Buffer, condition: Condition, r: Random): Promise<Buffer> {
  let label = await toRaster(labelPng);
  const { width: W, height: H } = label;
  if (condition === 'clean') {
    const pad = r.int(10, 40);
    return sharp(labelPng).extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#f4f4f2' }).flatten({ background: '#fff' }).jpeg({ quality: r.int(85, 93) }).toBuffer();
  }
  if (condition === 'mild') {
    const angle = r.range(-3, 3);
    return sharp(labelPng).flatten({ background: '#fff' }).blur(r.range(0.5, 0.8)).rotate(angle, { background: '#e8e8e6' }).jpeg({ quality: r.int(75, 85) }).toBuffer();
  }
  const curved = condition === 'hard' || condition === 'curved';
  if (curved) label = cylinder(label, condition === 'curved' ? r.range(2.2, 2.8) : r.range(1.2, 1.7), r.range(-0.05, 0.05) * H);
  const lw = label.width, lh = label.height;
  const margin = condition === 'steep' ? 0.3 : curved ? 0.12 : 0.18;
  const bw = Math.round(lw * (1 + 2 * margin)), bh = Math.round(lh + lw * 2 * margin * 0.6);
  const bg = background(bw, bh, r);
  const ox = (bw - lw) / 2, oy = (bh - lh) / 2;
  const jitter = condition === 'steep' ? 0.16 : condition === 'hard' ? 0.05 : 0.06;
  const j = () => r.range(-jitter, jitter) * lw;
  let corners: [number, number][] = [[ox + j(), oy + j() * 0.5], [ox + lw + j(), oy + j() * 0.5], [ox + lw + j(), oy + lh + j() * 0.5], [ox + j(), oy + lh + j() * 0.5]];
  if (condition === 'steep') {
    // One side much farther from the camera than the other.
    const k = r.range(0.18, 0.26) * lh * (r.chance(0.5) ? 1 : -1);
    corners = [[corners[0]![0], corners[0]![1] + Math.max(0, k)], [corners[1]![0], corners[1]![1] + Math.max(0, -k)], [corners[2]![0], corners[2]![1] - Math.max(0, -k)], [corners[3]![0], corners[3]![1] - Math.max(0, k)]];
    corners = sidesApart(corners, STEEP_MIN_SIDE * lh);
  }
  const turn = condition === 'rotated' ? r.range(12, 20) * (r.chance(0.5) ? 1 : -1) : r.range(-6, 6);
  const cx = bw / 2, cy = bh / 2, a = (turn * Math.PI) / 180;
  corners = corners.map(([x, y]) => [cx + (x - cx) * Math.cos(a) - (y - cy) * Math.sin(a), cy + (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a)]);
  const img = place(label, bg, corners);
  light(img, r, r.range(0.15, 0.4));
  if (curved || r.chance(0.25)) glare(img, r, r.range(0.3, 0.7) * bw, r.range(0.35, 0.65) * bh, lw * r.range(0.06, 0.12), lh * r.range(0.3, 0.5), curved ? r.range(0.6, 0.85) : r.range(0.3, 0.5));
  noise(img, r, condition === 'hard' ? 7 : 5);
  const scale = condition === 'halfres' ? r.range(0.42, 0.5) : curved ? r.range(0.7, 0.82) : r.range(0.85, 1);
  const blur = condition === 'hard' ? r.range(0.9, 1.2) : r.range(0.5, 0.9);
  let s = sharp(await rawSharp(img).resize({ width: Math.round(bw * scale) }).blur(blur).png().toBuffer());
  if (condition === 'motion') {
    // An odd length, so one row (or column) of the kernel runs through its centre: with an even
    // one no cell was the centre, the kernel was all zeros and the photo came out black. One draw,
    // as before, and the same length wherever the old one was odd (7, 9, 11).
    const n = r.int(3, 5) * 2 + 1;
    const horizontal = r.chance(0.6);
    const kernel = Array.from({ length: n * n }, (_, i) => ((horizontal ? Math.floor(i / n) : i % n) === (n - 1) / 2 ? 1 : 0));
    s = s.convolve({ width: n, height: n, kernel });
  }
  const q = condition === 'hard' || condition === 'halfres' ? r.int(38, 50) : r.int(55, 72);
  return s.jpeg({ quality: q }).toBuffer();
}
