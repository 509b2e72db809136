import sharp from 'sharp';

/** A crop rectangle in the image's own pixels (after EXIF rotation). */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

const SIDE = 320;

/** Otsu's threshold of an 8-bit histogram. */
function otsu(hist: Uint32Array, total: number): number {
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

/**
 * Where the label is in a photo: the largest bright region (paper is lighter than the table,
 * hand or bottle around it), found on a small copy. Returns null when the label already fills
 * most of the picture or nothing stands out, so a scan or a close-up is left as it is.
 */
export async function findLabelRegion(input: Buffer): Promise<Region | null> {
  const img = sharp(input).rotate();
  const meta = await img.metadata();
  const swapped = (meta.orientation ?? 1) >= 5;
  const W = (swapped ? meta.height : meta.width) ?? 0;
  const H = (swapped ? meta.width : meta.height) ?? 0;
  if (!W || !H) return null;
  const { data, info } = await img.clone().resize({ width: SIDE, height: SIDE, fit: 'inside' }).greyscale().blur(1.2).raw().toBuffer({ resolveWithObject: true });
  const [w, h] = [info.width, info.height];
  const hist = new Uint32Array(256);
  for (const v of data) hist[v]!++;
  const t = otsu(hist, data.length);
  // Bright pixels, grouped into 4-connected regions; the largest is the label.
  const label = new Int32Array(w * h).fill(-1);
  let bestId = -1;
  let bestBox = { x0: 0, y0: 0, x1: 0, y1: 0, n: 0 };
  const stack: number[] = [];
  let id = 0;
  for (let start = 0; start < w * h; start++) {
    if (label[start] !== -1 || data[start]! <= t) continue;
    const box = { x0: w, y0: h, x1: 0, y1: 0, n: 0 };
    label[start] = id;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w, y = (p - x) / w;
      box.n++;
      if (x < box.x0) box.x0 = x;
      if (x > box.x1) box.x1 = x;
      if (y < box.y0) box.y0 = y;
      if (y > box.y1) box.y1 = y;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
        if (q >= 0 && label[q] === -1 && data[q]! > t) {
          label[q] = id;
          stack.push(q);
        }
      }
    }
    if (box.n > bestBox.n) [bestBox, bestId] = [box, id];
    id++;
  }
  if (bestId < 0) return null;
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
