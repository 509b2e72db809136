import { unflattened } from './label.perspective.js';
import { unwrappedToPhoto } from './label.unwrap.js';
import type { Region } from './label.region.js';
import type { Box } from './types.js';

/** A box as fractions (0..1) of the upright photo's width and height; x, y the top-left corner. */
export interface UprightBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * How the pixels a reading's boxes refer to were made from the photo: the photo turned upright
 * (EXIF), cut to the label (`region`, in upright pixels), scaled to `width` × `height`, then
 * turned by `radians` about the centre as Tesseract deskewed it (same size).
 */
export interface ReadingFrame {
  uprightWidth: number;
  uprightHeight: number;
  region: Region | null;
  width: number;
  height: number;
  radians: number;
  /** When the label was drawn flat from a steep view before that turn: its homography (label.perspective.ts). */
  homography?: number[];
  /** When the label's columns were unwrapped before that turn (label.unwrap.ts): the angle a side, radians. */
  unwrap?: number;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const round4 = (v: number) => Math.round(v * 10_000) / 10_000;

/**
 * The union of `boxes` (in the frame Tesseract read), carried back to the upright photo:
 * undo the deskew (its four corners turned back), the scaling and the crop, then normalise.
 * Null when there are no boxes or the union is empty.
 */
export function uprightBoxOf(boxes: readonly Box[], frame: ReadingFrame): UprightBox | null {
  if (boxes.length === 0 || frame.width <= 0 || frame.height <= 0) return null;
  const [cx, cy] = [frame.width / 2, frame.height / 2];
  const [cos, sin] = [Math.cos(frame.radians), Math.sin(frame.radians)];
  const xs: number[] = [];
  const ys: number[] = [];
  for (const b of boxes) {
    for (const [x, y] of [[b.x0, b.y0], [b.x1, b.y0], [b.x0, b.y1], [b.x1, b.y1]] as const) {
      // Tesseract's deskew turned the image by `radians` (sharp's clockwise turn in y-down pixels); turn the point back.
      const [dx, dy] = [x - cx, y - cy];
      const [ux, uy] = [cx + dx * cos + dy * sin, cy - dx * sin + dy * cos];
      const wx = frame.unwrap ? unwrappedToPhoto(ux / frame.width, frame.unwrap) : ux / frame.width;
      const [fx, fy] = frame.homography ? unflattened(frame.homography, wx, uy / frame.height) : [wx, uy / frame.height];
      xs.push(fx * frame.width);
      ys.push(fy * frame.height);
    }
  }
  const srcW = frame.region?.width ?? frame.uprightWidth;
  const srcH = frame.region?.height ?? frame.uprightHeight;
  const [sx, sy] = [srcW / frame.width, srcH / frame.height];
  const [left, top] = [frame.region?.left ?? 0, frame.region?.top ?? 0];
  const x0 = clamp01((left + Math.min(...xs) * sx) / frame.uprightWidth);
  const x1 = clamp01((left + Math.max(...xs) * sx) / frame.uprightWidth);
  const y0 = clamp01((top + Math.min(...ys) * sy) / frame.uprightHeight);
  const y1 = clamp01((top + Math.max(...ys) * sy) / frame.uprightHeight);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: round4(x0), y: round4(y0), w: round4(x1 - x0), h: round4(y1 - y0) };
}
