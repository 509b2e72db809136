import { describe, expect, it } from 'vitest';
import { MEDICATION_FIELDS } from '@rxscan/bus-contracts';
import { REVIEW_FIELDS, changesFrom, displayValue, draftOf, reviewMessage, uncertainFields } from './medication.review.js';
import { medication } from './test.fixtures.js';

describe('medication review', () => {
  it('shows every field of the contract', () => {
    expect(REVIEW_FIELDS.map((f) => f.key).sort()).toEqual([...MEDICATION_FIELDS].sort());
  });

  it('marks fields read with confidence below 0.8, in display order', () => {
    expect(uncertainFields({ schedule: 0.5, name: 0.99, dosage: 0.79, refills: 0.8 })).toEqual(['dosage', 'schedule']);
    expect(uncertainFields(null)).toEqual([]);
  });

  it('says what to check in plain words', () => {
    expect(reviewMessage(true, ['dosage'])).toBe('Please check: could not read the dosage clearly');
    expect(reviewMessage(true, ['name', 'dosage', 'sig'])).toBe('Please check: could not read the name, the dosage and the directions clearly');
    expect(reviewMessage(true, [])).toMatch(/^Please check these details/);
    expect(reviewMessage(false, [])).toBeNull();
  });

  it('shows missing values as a dash and ticks as Yes/No', () => {
    expect(displayValue(null)).toBe('—');
    expect(displayValue(true)).toBe('Yes');
    expect(displayValue(30)).toBe('30');
  });

  it('sends only what the person changed, typed as the API wants', () => {
    const m = medication({ as_needed: null });
    const draft = { ...draftOf(m), dosage: ' 20 mg ', quantity: '60', refills: '', schedule: 'Twice daily' };
    expect(changesFrom(m, draft)).toEqual({
      changes: { dosage: '20 mg', quantity: 60, refills: null, schedule: 'Twice daily' },
      problems: {},
    });
    expect(changesFrom(m, draftOf(m)).changes).toEqual({});
  });

  it('refuses numbers it cannot send, naming the field', () => {
    const m = medication();
    const { problems, changes } = changesFrom(m, { ...draftOf(m), quantity: 'thirty', refills: '1.5' });
    expect(Object.keys(problems).sort()).toEqual(['quantity', 'refills']);
    expect(changes).toEqual({});
  });
});
