import { DEFAULT_PREPROCESS, type PreprocessParams } from './image.preprocess.js';
import type { RecognizeParams } from './tesseract.engine.js';

/** One way of reading an image: how to prepare it and how Tesseract should segment it. */
export interface RecognitionPass {
  name: string;
  preprocess: PreprocessParams;
  recognize: RecognizeParams;
}

/**
 * Every label gets the first pass; the second runs only when a critical field is uncertain, so
 * a clean label costs one recognition. Measured as single passes on the 48 dev labels (same
 * parser): grey+normalise 0.896 critical; + Tesseract deskew 0.958 (camera 16/16); + CLAHE 0.979
 * but ~0.5 s more sharp time per label, too much for every label; both in sequence 1.0.
 * Not worth it: no normalise, upscaling to 1600 px, sharpen, median filter, illumination division.
 */
export const FIRST_PASS: RecognitionPass = {
  name: 'deskew',
  preprocess: DEFAULT_PREPROCESS,
  recognize: { deskew: true },
};

/**
 * The second look differs from the first in two ways: CLAHE (local contrast, for glare and
 * shade) and the columns of a curved label straightened (label.dewarp.ts, which acts only when
 * the text lines bow). Straightening in the first pass was a wash on training hard photos
 * (2 gained, 3 lost); as a second, different reading merged field by field it took them 26 → 31/36
 * (unseen hard batch 29 → 30/34), clean, mild and camera unchanged.
 */
export const SECOND_PASS: RecognitionPass = {
  name: 'deskew-clahe',
  preprocess: { ...DEFAULT_PREPROCESS, clahe: 64, straighten: true },
  recognize: { deskew: true },
};

/** Tesseract reads best with text about this many pixels high (a word box: ascender to descender). */
export const GOOD_TEXT_HEIGHT = 34;

/**
 * The second pass, enlarged when the first found the text small: photos taken from afar or
 * at low resolution have words 12–20 px high, where Tesseract loses letters. Never shrinks.
 */
export function secondPassFor(firstWordHeight: number): RecognitionPass {
  if (!(firstWordHeight > 0) || firstWordHeight >= GOOD_TEXT_HEIGHT * 0.8) return SECOND_PASS;
  const scale = Math.min(2.2, GOOD_TEXT_HEIGHT / firstWordHeight);
  return { ...SECOND_PASS, name: 'deskew-clahe-enlarged', preprocess: { ...SECOND_PASS.preprocess, scale } };
}
