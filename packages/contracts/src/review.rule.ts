import type { Medication } from './event.schema.js';

/** The fields a dose depends on: a reading is only trusted when each of them is certain. */
export const CRITICAL_FIELDS = ['name', 'dosage', 'schedule', 'quantity'] as const satisfies readonly (keyof Medication)[];
export type CriticalField = (typeof CRITICAL_FIELDS)[number];

/** A field read with at least this confidence (0..1) is certain; below it, a person checks it. */
export const REVIEW_THRESHOLD = 0.85;

/** Whether a confidence, possibly absent, reaches the threshold. */
export const isCertain = (confidence: number | undefined): boolean => typeof confidence === 'number' && confidence >= REVIEW_THRESHOLD;

/**
 * The review rule, the same in the worker (which sets `needs_review`) and the tablet (which
 * marks the fields): a reading needs a person when any critical field is missing or not certain.
 */
export function needsReview(medication: Medication, confidence: Partial<Record<string, number>>): boolean {
  return CRITICAL_FIELDS.some((f) => medication[f] === null || !isCertain(confidence[f]));
}
