import { describe, expect, it } from 'vitest';
import { segmentsOf } from './label.layout.js';
import { reading } from './ocr-reading.fixture.js';

describe('segmentsOf (label.layout)', () => {
  // No field on a label opens with a quote, dot, comma, dash, bar, slash or chevron: a line's first word that is only
  // such a mark is a speck or the paper's edge, however confidently Tesseract read it.
  it.each([
    ["'~80 40 TAB PMS-TOPIRAMATE 25mg", '40 TAB PMS-TOPIRAMATE 25mg'],
    ['`~90 Rx: 9089895', 'Rx: 9089895'],
    ['—~85 QTY: 30', 'QTY: 30'],
    ['|~90 Dispensed: 84 Tablets Days supply: 28', 'Dispensed: 84 Tablets Days supply: 28'],
    ['»~88 REFILLS: 3 PRESCRIBER: PARK, ROHAN', 'REFILLS: 3 PRESCRIBER: PARK, ROHAN'],
    ['|"~85 HYDROCODONE/APAP 5-325MG TAB', 'HYDROCODONE/APAP 5-325MG TAB'],
  ])('drops the leading mark of %s', (row, text) => {
    expect(segmentsOf(reading(row))[0]!.text).toBe(text);
  });
  it.each(['(800) 555-0107', 'QTY: 2.5 mL', '#30 TABLETS', '1/2 TABLET AT BEDTIME'])('keeps %s whole', (row) => {
    expect(segmentsOf(reading(row))[0]!.text).toBe(row);
  });
});
