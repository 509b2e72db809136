import { describe, expect, it } from 'vitest';
import { MEDICATION_FIELDS, needsReview } from '@rxscan/contracts';
import { EMPTY_MEDICATION, REVIEW_FIELDS, changesFrom, displayValue, draftOf, fieldDoubts, nameProblem, reviewMessage } from './review.form.js';
import { medication } from './test.fixtures.js';

describe('medication review', () => {
  it('shows every field of the contract', () => {
    expect(REVIEW_FIELDS.map((f) => f.key).sort()).toEqual([...MEDICATION_FIELDS].sort());
  });

  it('doubts a value read below the review threshold (0.85), saying why beside the field', () => {
    const doubts = fieldDoubts(medication(), { schedule: 0.5, name: 0.99, dosage: 0.82, refills: 0.85 });
    expect(Object.keys(doubts)).toEqual(['dosage', 'schedule']);
    expect(doubts.dosage).toEqual({ kind: 'unclear', reason: 'Could not read the dosage clearly (82% sure)' });
  });

  it('marks the field that sent a reading for review (one rule with the worker)', () => {
    const confidence = { name: 0.99, dosage: 0.82, schedule: 0.95, quantity: 0.9 };
    expect(needsReview(medication(), confidence)).toBe(true);
    expect(Object.keys(fieldDoubts(medication(), confidence))).toEqual(['dosage']);
  });

  it('doubts an empty field only when a dose depends on it', () => {
    const m = medication({ dosage: null, instructions: null, quantity: null });
    // Quantity has no confidence at all: a reading that did not find it.
    expect(fieldDoubts(m, { name: 0.99, dosage: 0, instructions: 0 })).toEqual({
      dosage: { kind: 'missing', reason: 'Could not find the dosage on the label' },
      quantity: { kind: 'missing', reason: 'Could not find the quantity on the label' },
    });
  });

  it('doubts a field other looks read differently, whatever its confidence, and offers their values with where each came from', () => {
    const m = medication({ dosage: '10 mg', quantity: 30 });
    const doubts = fieldDoubts(m, { name: 0.99, dosage: 0.97, quantity: 0.97 }, {
      dosage: [{ value: '20 mg', source: 'second reader' }],
      // A look that agrees with the reading is no doubt.
      quantity: [{ value: 30, source: 'photo 2' }],
    });
    expect(Object.keys(doubts)).toEqual(['dosage']);
    expect(doubts.dosage).toEqual({
      kind: 'disagree',
      reason: 'Also read as 20 mg (second reader): check the dosage on the label',
      others: [{ value: '20 mg', source: 'second reader' }],
    });
    expect(reviewMessage(true, doubts)).toBe('Please check: the dosage was read two ways');
  });

  it('has no doubts once a person confirmed or typed it (no confidence)', () => {
    expect(fieldDoubts(EMPTY_MEDICATION, null)).toEqual({});
  });

  it('says what to check in plain words', () => {
    const unclear = (kind: 'unclear' | 'missing') => ({ kind, reason: '' });
    expect(reviewMessage(true, { dosage: unclear('unclear') })).toBe('Please check: could not read the dosage clearly');
    expect(reviewMessage(true, { name: unclear('unclear'), dosage: unclear('unclear'), sig: unclear('unclear') })).toBe(
      'Please check: could not read the name, the dosage and the directions clearly',
    );
    expect(reviewMessage(true, { pharmacy: unclear('unclear'), quantity: unclear('missing') })).toBe(
      'Please check: could not read the pharmacy clearly; could not find the quantity',
    );
    expect(reviewMessage(true, {})).toMatch(/^Please check these details/);
    expect(reviewMessage(false, {})).toBeNull();
  });

  it('asks for a name before a medication can be saved', () => {
    expect(nameProblem(draftOf(EMPTY_MEDICATION))).toMatch(/^Enter the medication's name/);
    expect(nameProblem({ ...draftOf(EMPTY_MEDICATION), name: '  ' })).not.toBeNull();
    expect(nameProblem(draftOf(medication()))).toBeNull();
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
