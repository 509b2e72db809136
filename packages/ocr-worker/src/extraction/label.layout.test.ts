import { describe, expect, it } from 'vitest';
import { backslashAsI, segmentsOf } from './label.layout.js';
import { parseLabel } from './label.parser.js';
import { reading } from './ocr-reading.fixture.js';

describe('segmentsOf (label.layout)', () => {
  // No field on a label opens with a quote, dot, comma or dash: a line's first word that is only
  // such a mark is a speck or the paper's edge, however confidently Tesseract read it.
  it.each([
    ["'~80 40 TAB PMS-TOPIRAMATE 25mg", '40 TAB PMS-TOPIRAMATE 25mg'],
    ['`~90 Rx: 9089895', 'Rx: 9089895'],
    ['—~85 QTY: 30', 'QTY: 30'],
  ])('drops the leading mark of %s', (row, text) => {
    expect(segmentsOf(reading(row))[0]!.text).toBe(text);
  });
  it.each(['(800) 555-0107', 'QTY: 2.5 mL', '#30 TABLETS'])('keeps %s whole', (row) => {
    expect(segmentsOf(reading(row))[0]!.text).toBe(row);
  });
});

describe('a backslash read for an I', () => {
  // No label prints a backslash; Tesseract reads a thin or slanted capital I as one.
  it.each([
    ['\\NJECT', 'INJECT'],
    ['\\F', 'IF'],
    ['AR\\P\\PRAZOLE', 'ARIPIPRAZOLE'],
  ])('%s -> %s', (word, fixed) => {
    expect(backslashAsI(word)).toBe(fixed);
  });
  it.each(['\\', 'a\\b', '1\\2'])('leaves %s alone (no capitals round it)', (word) => {
    expect(backslashAsI(word)).toBe(word);
  });
  it('directions whose I was read as a backslash are directions', () => {
    const insulin = parseLabel(reading('\\NJECT 30 UNITS UNDER THE SKIN 1 TIME A DAY', 'INSULIN GLARGINE 100 UNITS/ML SOLN', 'QTY: 15 ML'));
    expect(insulin.medication).toMatchObject({ sig: 'INJECT 30 UNITS UNDER THE SKIN 1 TIME A DAY', schedule: 'Once daily' });
    const prn = parseLabel(reading('TAKE 3 TABLETS EVERY 6 HRS \\F NEEDED', 'ARIPIPRAZOLE 5mg Qty: 84'));
    expect(prn.medication.as_needed).toBe(true);
  });
});
