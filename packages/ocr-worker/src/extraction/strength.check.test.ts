import { describe, expect, it } from 'vitest';
import { findDosages } from './dosage.parser.js';
import { lookalikeStrengths, lostPointStrengths, suggestStrength } from './strength.check.js';

const dose = (s: string) => findDosages(s)[0]!;

describe('suggestStrength', () => {
  it('offers the one real strength a misread digit hides', () => {
    expect(suggestStrength(dose('560 mg'), new Set(['250mg', '500mg', '750mg']))?.text).toBe('500 mg');
    expect(suggestStrength(dose('49 mg'), new Set(['10mg', '20mg', '40mg', '80mg']))?.text).toBe('40 mg');
  });

  it('offers the strength hidden by one digit misread alike wherever it is printed', () => {
    expect(suggestStrength(dose('566 mg'), new Set(['250mg', '500mg']))?.text).toBe('500 mg');
    expect(suggestStrength(dose('166 mg'), new Set(['25mg', '50mg', '100mg']))?.text).toBe('100 mg');
  });

  it('does not mix two different misreads of one digit in one number', () => {
    expect(suggestStrength(dose('568 mg'), new Set(['500mg']))).toBeNull();
  });

  // "Norvasc 25mg," for 2.5 mg in both looks of a hard photo (batch 140400): no strength was offered.
  it('offers the one real strength a lost decimal point hides, and none of two', () => {
    expect(suggestStrength(dose('25 mg'), new Set(['2.5mg', '5mg', '10mg']))?.text).toBe('2.5 mg');
    expect(suggestStrength(dose('125 mg'), new Set(['12.5mg', '1.25mg']))).toBeNull();
    expect(suggestStrength(dose('20 mg'), new Set(['2mg', '5mg']))).toBeNull();
  });

  it('offers nothing when two strengths are equally likely', () => {
    expect(suggestStrength(dose('16 mg'), new Set(['10mg', '15mg', '7.5mg']))).toBeNull();
  });

  it('offers nothing when no look-alike strength exists', () => {
    expect(suggestStrength(dose('42 mg'), new Set(['10mg', '20mg']))).toBeNull();
  });

  // "PMS-FAMOTIDINE 40ug" and "40g" for 40 mg in the two looks of a hard photo (fresh seed 82800).
  it("offers mg for a strength read in µg or g that the drug is not made in, where it is made in the same numbers in mg", () => {
    const famotidine = new Set(['20mg', '40mg']);
    expect(suggestStrength({ ...dose('40ug'), repaired: false }, famotidine, '40ug')).toMatchObject({ text: '40 mg', repaired: true });
    expect(suggestStrength(dose('40g'), famotidine, '40g')?.text).toBe('40 mg');
    expect(suggestStrength(dose('40 mcg'), famotidine, '40 mcg')).toBeNull();
    expect(suggestStrength(dose('30ug'), famotidine, '30ug')).toBeNull();
  });

  it('converts units like the lexicon does', () => {
    expect(suggestStrength(dose('76 mcg'), new Set(['0.075mg', '0.1mg']))?.text).toBe('75 mcg');
  });
});

describe('lookalikeStrengths', () => {
  it('finds listed strengths one look-alike digit away, not the strength itself', () => {
    expect(lookalikeStrengths(dose('500 mg'), new Set(['250mg', '500mg', '600mg'])).map((d) => d.text)).toEqual(['600 mg']);
    expect(lookalikeStrengths(dose('10 mg'), new Set(['10mg', '20mg', '40mg']))).toEqual([]);
  });
});

describe('lostPointStrengths', () => {
  // A decimal point is the smallest mark on the line: "2.5 mg" read as "25 mg" is the same digits.
  it('finds a listed strength the same digits give with a point put back', () => {
    expect(lostPointStrengths(dose('25 mg'), new Set(['2.5mg', '25mg'])).map((d) => d.text)).toEqual(['2.5 mg']);
    expect(lostPointStrengths(dose('125 mg'), new Set(['12.5mg', '125mg'])).map((d) => d.text)).toEqual(['12.5 mg']);
    expect(lostPointStrengths(dose('625 mg'), new Set(['6.25mg', '625mg'])).map((d) => d.text)).toEqual(['6.25 mg']);
  });
  it('puts no point before a trailing zero, and finds nothing in a strength with a point', () => {
    expect(lostPointStrengths(dose('10 mg'), new Set(['1mg', '10mg']))).toEqual([]);
    expect(lostPointStrengths(dose('2.5 mg'), new Set(['2.5mg', '25mg']))).toEqual([]);
    expect(lostPointStrengths(dose('25 mg'), new Set(['25mg', '50mg']))).toEqual([]);
  });
});
