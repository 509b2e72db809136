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

export const SECOND_PASS: RecognitionPass = {
  name: 'deskew-clahe',
  preprocess: { ...DEFAULT_PREPROCESS, clahe: 64 },
  recognize: { deskew: true },
};
