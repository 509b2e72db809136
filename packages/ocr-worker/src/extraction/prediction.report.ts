import { checkField, indexPredictions, SCORED_CRITICAL, SCORED_FIELDS, type Prediction, type TruthFile } from './prediction.scorer.js';

/** One line per label with a wrong field: file, which fields, what was read and what is true, and whether it was flagged. */
export function labelFailures(truths: TruthFile[], lines: Prediction[]): string[] {
  const preds = indexPredictions(lines);
  const out: string[] = [];
  for (const m of truths) {
    const p = preds.get(m.file) ?? {};
    const conf = (p.confidence ?? {}) as Record<string, number>;
    const wrong = SCORED_FIELDS.filter((f) => !checkField(f, p[f], m.truth));
    if (wrong.length === 0) continue;
    const detail = wrong.map((f) => `${f}=${JSON.stringify(p[f])}@${conf[f] ?? '-'} (truth ${JSON.stringify(m.truth[f])})`).join('; ');
    out.push(`${m.file} [${m.template ?? '?'}] review=${p.needs_review}: ${detail}`);
  }
  return out;
}

/** For photos that are not pharmacy labels: how many went to review, and how often name and strength were read. */
export function nonLabelSummary(truths: TruthFile[], lines: Prediction[]): { photos: number; needs_review: number; name: number; dosage: number } {
  const preds = indexPredictions(lines);
  let [review, name, dosage] = [0, 0, 0];
  for (const m of truths) {
    const p = preds.get(m.file) ?? {};
    if (p.needs_review !== false) review++;
    if (checkField('name', p.name, m.truth)) name++;
    if (checkField('dosage', p.dosage, m.truth)) dosage++;
  }
  return { photos: truths.length, needs_review: review, name, dosage };
}

/**
 * What review costs a person: of the labels whose critical fields were all read right, how many
 * were still sent to review (`right_in_review` of `right`); a wrong one saved without review is a
 * silent error and is counted by the scorer.
 */
export function reviewSummary(truths: TruthFile[], lines: Prediction[]): { in_review: number; right: number; right_in_review: number } {
  const preds = indexPredictions(lines);
  let [inReview, right, rightInReview] = [0, 0, 0];
  for (const m of truths) {
    const p = preds.get(m.file) ?? {};
    const review = p.needs_review !== false;
    const allRight = SCORED_CRITICAL.every((f) => checkField(f, p[f], m.truth));
    if (review) inReview++;
    if (allRight) right++;
    if (allRight && review) rightInReview++;
  }
  return { in_review: inReview, right, right_in_review: rightInReview };
}
