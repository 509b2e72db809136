import sharp from 'sharp';
import type { UprightBox } from './field.boxes.js';
import { inkPoints, sharpestShear } from './text.skew.js';

/**
 * Photos taken a quarter or half turn off: a vial lying on its side photographed as it lies,
 * a photo sent from a computer that dropped the camera's orientation tag. Tesseract reads only
 * text that runs across the page the right way up, so such a photo read nothing at all.
 *
 * Which way the lines run is told from the ink, before any reading: summed along the rows of
 * a label whose lines run across, ink falls into sharp peaks (the lines) and gaps; summed along
 * its columns it does not. Which end is up is told by reading: text upside down or on its side
 * reads at a mean word confidence well below the same text the right way round (measured on
 * dev and training-pool photos, native engine: upright 50-96, upside down 23-48).
 */

/**
 * Columns must be this much sharper than rows before a photo is taken to run down. Measured on
 * 168 dev and training-pool photos: upright, columns/rows ≤ 0.79; turned a quarter, ≥ 1.26.
 */
const DOWN_MARGIN = 1.15;
/** The largest tilt looked through when measuring how sharp the rows are (radians, ~23°). */
const MAX_TILT = 0.4;
/** A first reading below this mean word confidence may be upside down: the half turn is read too. */
export const DOUBTFUL_READING = 60;
/** How much better (mean word confidence) the other way up must read to be taken. */
export const BETTER_BY = 10;

export type QuarterTurns = 0 | 1 | 2 | 3;

/** How sharply ink points fall into rows at their best tilt (1 for ink spread evenly; lines of text 2-5). */
const rowSharpness = (xs: Int32Array, ys: Int32Array, h: number): number => (sharpestShear(xs, ys, h, 0, MAX_TILT).sharpness * h) / xs.length ** 2;

/**
 * Whether the text lines of the upright photo (EXIF applied) run down it rather than across:
 * true only when the ink's columns are clearly sharper than its rows; false when there is too
 * little ink to tell (a blurred photo).
 */
export async function linesRunDown(image: Buffer): Promise<boolean> {
  const { data, info } = await sharp(image).autoOrient().greyscale().resize({ width: 900, height: 900, fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const ink = inkPoints({ data, width: info.width, height: info.height });
  if (ink.xs.length < 200) return false;
  const rows = rowSharpness(ink.xs, ink.ys, ink.h);
  const cols = rowSharpness(ink.ys, ink.xs, ink.w);
  return cols > rows * DOWN_MARGIN;
}

/** The upright photo turned clockwise by `turns` quarter turns, as a JPEG for the reader. */
export function turnPhoto(image: Buffer, turns: QuarterTurns): Promise<Buffer> {
  return sharp(image)
    .autoOrient()
    .rotate(turns * 90)
    .jpeg({ quality: 95 })
    .toBuffer();
}

/**
 * A box found on the photo turned clockwise by `turns` quarter turns, put back on the photo as
 * it was taken (both as fractions of width and height, see field.boxes.ts).
 */
export function boxOnTakenPhoto(b: UprightBox, turns: QuarterTurns): UprightBox {
  switch (turns) {
    case 0:
      return b;
    case 1:
      return { x: b.y, y: 1 - b.x - b.w, w: b.h, h: b.w };
    case 2:
      return { x: 1 - b.x - b.w, y: 1 - b.y - b.h, w: b.w, h: b.h };
    case 3:
      return { x: 1 - b.y - b.h, y: b.x, w: b.h, h: b.w };
  }
}
