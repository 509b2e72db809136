import { describe, expect, it } from 'vitest';
import { emptyMedication, type Medication } from './event.schema.js';
import { CRITICAL_FIELDS, REVIEW_THRESHOLD, isCertain, needsReview } from './review.rule.js';

const read: Medication = { ...emptyMedication(), name: 'Lisinopril', dosage: '10 mg', schedule: 'Once daily', quantity: 30 };
const sure = Object.fromEntries(CRITICAL_FIELDS.map((f) => [f, 0.99]));

describe('the review rule', () => {
  it('trusts a reading whose critical fields are all certain, whatever the others', () => {
    expect(needsReview(read, { ...sure, pharmacy: 0.1 })).toBe(false);
  });

  it('sends a reading to a person when a critical field is below the threshold', () => {
    expect(needsReview(read, { ...sure, dosage: 0.82 })).toBe(true);
    expect(needsReview(read, { ...sure, dosage: REVIEW_THRESHOLD })).toBe(false);
  });

  it('sends a reading to a person when a critical field is missing or has no confidence', () => {
    expect(needsReview({ ...read, quantity: null }, sure)).toBe(true);
    const { schedule: _, ...noSchedule } = sure;
    expect(needsReview(read, noSchedule)).toBe(true);
  });

  it('calls a missing confidence uncertain', () => {
    expect(isCertain(undefined)).toBe(false);
    expect(isCertain(0.85)).toBe(true);
  });
});
