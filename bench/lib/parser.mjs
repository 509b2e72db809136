import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.mjs';

/**
 * The label parser, to read native Tesseract's text exactly as ours is read. @rxscan/ocr-worker's
 * public index does not export it (only its extraction module does); use the public export as
 * soon as there is one, until then the built module.
 */
export async function loadParser() {
  const pub = await import('@rxscan/ocr-worker');
  if (typeof pub.parseLabel === 'function' && typeof pub.needsReview === 'function') {
    return { parseLabel: pub.parseLabel, needsReview: pub.needsReview, source: '@rxscan/ocr-worker' };
  }
  const file = path.join(ROOT, 'packages/ocr-worker/dist/extraction/index.js');
  const mod = await import(pathToFileURL(file).href);
  return { parseLabel: mod.parseLabel, needsReview: mod.needsReview, source: 'packages/ocr-worker/dist/extraction/index.js' };
}
