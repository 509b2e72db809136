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
 * a clean label costs one recognition. Choices measured on the dev corpus (see the final report
 * in the repo README): deskew fixed most camera photos; local contrast rescued glare and curved
 * bottles but costs ~0.5 s of preprocessing, too much to spend on every label.
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
