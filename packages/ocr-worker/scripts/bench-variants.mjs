// Variants measured by bench-plans.mjs: an engine configuration and an extraction plan each.
// Add one here to try it beside the shipped plan in the same run.
import { DEFAULT_PLAN } from '../dist/extraction/label.extractor.js';

export const VARIANTS = {
  current: { engine: {}, plan: DEFAULT_PLAN },
  /** Debian's `tesseract-ocr-eng` (the 4.1 fast model), when installed: faster, read worse here. */
  fast: { engine: { langPath: '/usr/share/tesseract-ocr/5/tessdata', gzip: false }, plan: DEFAULT_PLAN },
  /** Without the re-read: what the confirmation costs (never ship: it is what keeps silent errors at 0). */
  noVerify: { engine: {}, plan: { ...DEFAULT_PLAN, verify: false } },
};
