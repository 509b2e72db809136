import { describe, expect, it } from 'vitest';
import { bundledDrugLexicon } from './drug.lexicon.js';
import { segmentsOf } from './label.layout.js';
import { findQuantity } from './label.quantity.js';
import { reading } from './ocr-reading.fixture.js';

const qty = (...rows: string[]) => findQuantity(segmentsOf(reading(...rows)), [], bundledDrugLexicon());

describe('findQuantity (label.quantity)', () => {
  it.each([
    ['Dispensed: 21 tablets', 21],
    ['QTY: 2.5 mL', 2.5],
    ['Qty 30 TAB', 30],
  ])('%s -> %s', (row, value) => {
    expect(qty(row)?.value).toBe(value);
  });

  // "Dispensed" labels the date on many labels: a day of the month read as a count is a wrong
  // value the re-read of the same words would only confirm.
  it.each(['Dispensed: 19-Jan-2023', 'Dispensed 19 JAN 2023', 'DISPENSED: 19.01.2023', 'Dispensed: 3 March 2024'])('does not take the day of a date for the count: %s', (row) => {
    expect(qty(row)).toBeNull();
  });
});
