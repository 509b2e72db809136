import { turnedLikeTesseract, type GreyPixels } from './image.preprocess.js';
import { estimateSkew } from './text.skew.js';

/**
 * Labels photographed turned well off level. Tesseract's own deskew (its page layout's baseline
 * gradient, what tesseract.js's rotateAuto and the native engine turn by) levels a clean page up
 * to ~10°, but on a photo turned 10–20° with the table showing round the label its layout finds
 * no usable rows and the page is read as it is: on a training-pool batch of turned photos
 * (seed 20001) it turned 0 of 8 at all, and the lines, cut across by Tesseract's single block,
 * came out as fragments. The text's own ink (a projection profile, text.skew.ts) finds the turn
 * over a wider range, so a label turned further than Tesseract is trusted with is turned level
 * first and Tesseract's deskew is left the last degree or so, as on any other photo.
 */

/** The widest turn looked for (radians, ~25°). */
export const MAX_TURN = 0.44;
/**
 * Below this (radians, ~8°) the turn is left to Tesseract's deskew, which levels such pages as
 * well as the ink does and in the way tesseract.js does, so ordinary photos are read unchanged.
 */
export const MIN_TURN = 0.14;
/**
 * Coarser than the skew estimate (text.skew.ts), as only a turn past MIN_TURN is acted on and
 * Tesseract's deskew takes the rest: ink sampled to 600 px on the long side, angles in 0.02 rad
 * steps then 0.002 (~15 ms a label on a loaded 2-core machine, against ~50 ms at full detail).
 */
const SAMPLE_LONG_SIDE = 600;
const COARSE_STEP = 0.02;

/**
 * The image turned level (about its centre, same size, white brought in, as Tesseract turns it)
 * when its text runs at MIN_TURN or more off level, and by how much (radians, clockwise); the
 * image itself and 0 otherwise.
 */
export async function turnLevel(img: GreyPixels): Promise<{ img: GreyPixels; radians: number }> {
  const radians = estimateSkew(img, MAX_TURN, SAMPLE_LONG_SIDE, COARSE_STEP, MIN_TURN);
  if (radians === 0) return { img, radians: 0 };
  return { img: await turnedLikeTesseract(img, radians), radians };
}
