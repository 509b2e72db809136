import { readFileSync } from 'node:fs';
import { scorePredictions as score } from '@rxscan/ocr-worker';

/**
 * Scores prediction lines with the project's scorer (the same one `npm run -s eval` and the
 * extraction regression test use). Resolves with its figures, or null when a label has no truth file.
 */
export function scorePredictions(lines, labels) {
  if (labels.some((l) => !l.truth)) return null;
  const truths = labels.map((l) => JSON.parse(readFileSync(l.truth, 'utf8')));
  return score(truths, lines);
}
