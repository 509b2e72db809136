import { describe, expect, it } from 'vitest';
import { leadingLabel, MED_LABELS, SIG_LABELS } from './label.keywords.js';

describe('leadingLabel', () => {
  it('finds a label and returns where its value starts', () => {
    const text = 'Directions: Take 1 tablet';
    expect(text.slice(leadingLabel(text, SIG_LABELS)!.end).trim()).toBe('Take 1 tablet');
  });

  it.each(['pirections: Take 1 tablet', 'Directlons Take 1 tablet', 'So Medicatiop,. Lithium'])('tolerates misreadings: %s', (text) => {
    expect(leadingLabel(text, [...SIG_LABELS, ...MED_LABELS])).not.toBeNull();
  });

  it('does not take the first word of directions for a short label', () => {
    expect(leadingLabel('Sig 1 tablet', SIG_LABELS)).toBeNull(); // "SIG" needs its colon
    expect(leadingLabel('Take 1 tablet daily', SIG_LABELS)).toBeNull();
    expect(leadingLabel('Medicine cabinet', ['MEDICATION'])).toBeNull();
  });
});
