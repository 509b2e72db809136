import { describe, expect, it } from 'vitest';
import { bundledDrugLexicon } from './drug.lexicon.js';
import { segmentsOf } from './label.layout.js';
import { findQuantity } from './label.quantity.js';
import { parseLabel } from './label.parser.js';
import { reading } from './ocr-reading.fixture.js';

const qty = (...rows: string[]) => findQuantity(segmentsOf(reading(...rows)), [], bundledDrugLexicon());

describe('findQuantity (label.quantity)', () => {
  it.each([
    ['Dispensed: 21 tablets', 21],
    ['QTY: 2.5 mL', 2.5],
    ['Qty 30 TAB', 30],
    ['QTY: 60', 60],
    ['Qty 20 Refills remaining: 11', 20],
    ['Quantity: 16 g', 16],
    ['Disp: 40 Tablets', 40],
    ['OTY: 3O', 30],
    // A Q whose tail and right side glare took reads as "(" (16 times in ~2,400 readings, fresh seeds 61800-62700).
    ['(TY: 360 CAPSULES', 360],
    ['(ty 30 Tablets', 30],
    ['QTY: #90', 90],
    ['Quantity: 150 ML', 150],
  ])('%s -> %s', (row, value) => {
    expect(qty(row)?.value).toBe(value);
  });

  it("reads a count alone on its line with its mL's l read as an i (\"5mi\")", () => {
    expect(qty('5mi')).toMatchObject({ value: 5, unit: 'mL' });
    expect(qty('Quantity: 5 mi')).toMatchObject({ value: 5, unit: 'mL' });
  });

  it('reads a count alone on its line with its mL\'s l lost ("20m") as mL, repaired', () => {
    expect(qty('20m')).toMatchObject({ value: 20, unit: 'mL', repaired: true, exact: false });
    expect(qty('7.5 m')).toMatchObject({ value: 7.5, unit: 'mL' });
    expect(qty('20M')).toBeNull();
  });

  // "Dispensed" with a letter misread or lost, as blur reads it (fresh seeds 99300-101400): still its caption;
  // another word names no count.
  it.each([
    ['Dspensed: 15 mL Days supply: 30', 15],
    ['pispensed: 90 tablets', 90],
    ['Dspensed 30 Capsules', 30],
    ['Dpensed 30 Capsules', 30],
    ['Onpensed: 60 TABLETS', 60],
    ['DISPENSEO 28 tablets', 28],
  ])('reads %s as the dispensed count', (row, value) => {
    expect(qty(row)?.value).toBe(value);
  });
  it.each(['Suspended: 15 mL', 'Dispatched: 15 mL', 'Expenses 15'])('names no count: %s', (row) => {
    expect(qty(row)).toBeNull();
  });

  it('does not take a phone number, NDC, date or Rx number for the quantity', () => {
    expect(qty('(800) 555-0107', 'NDC 55519-273-51', 'DATE: 10/05/2026', 'RX# 8372913')).toBeNull();
  });

  it('carries the OCR confidence of the value', () => {
    expect(qty('QTY: 90~15')!.ocr).toBeCloseTo(0.15);
  });

  it.each([
    ['Qty Filled: 30', 30],
    ['QUANTITY FILLED 90 TABLETS', 90],
    ['Dispense: 30 tablets', 30],
    ['QTY.......30', 30],
    ['Qty ..... 60 TAB', 60],
    ['#30 TABLETS', 30],
  ])('reads the count after the captions and signs prescriptions and thermal printers use: %s -> %s', (row, value) => {
    expect(qty(row)?.value).toBe(value);
  });

  it('takes a count after the # sign only alone with its unit, never a number in an address', () => {
    expect(qty('#4471 Main Street')).toBeNull();
    expect(parseLabel(reading('LISINOPRIL 10MG TAB', 'TAKE ONE TABLET DAILY', '#30 TABLETS')).medication.quantity).toBe(30);
  });

  // "Dispensed" labels the date on many labels: a day of the month read as a count is a wrong
  // value the re-read of the same words would only confirm.
  it.each(['Dispensed: 19-Jan-2023', 'Dispensed 19 JAN 2023', 'DISPENSED: 19.01.2023', 'Dispensed: 3 March 2024'])('does not take the day of a date for the count: %s', (row) => {
    expect(qty(row)).toBeNull();
  });
});

describe('a count of packs', () => {
  // "2 X 30 TABLETS" dispenses 60: the number after the label is the packs, and the label leaves
  // the product to the reader. The count is kept but flagged, so it is never taken as sure.
  it.each(['QTY: 2 X 30 TABLETS', 'Qty: 1 x 100 mL', 'Qty: 2x30', 'Qty: 2 Boxes of 30'])('flags %s as packed', (row) => {
    expect(qty(row)?.packed).toBe(true);
  });
  it.each(['QTY: 30 TABLETS', 'Qty: 3 pens (15 mL)', 'Dispensed: 21 tablets'])('does not flag %s', (row) => {
    expect(qty(row)?.packed).toBe(false);
  });
});

describe('a count opening the drug line', () => {
  const onDrugLine = (row: string) => {
    const segs = segmentsOf(reading(row));
    return findQuantity(segs, segs, bundledDrugLexicon());
  };
  // UK and Canadian labels open the drug line with the count: "28 Sertraline 50mg tablets". The
  // drug need not be one the lexicon knows when its strength follows the name on the line.
  it.each([
    ['28 Sertraline 50mg tablets', 28],
    ['28 Gepirone ER 18.2mg tablets', 28],
    // The unknown name the line's only word before its strength (UK labels, fresh seed 50000).
    ['7 Zuranolone 25mg capsules', 7],
  ])('%s -> %s', (row, value) => {
    expect(onDrugLine(row)?.value).toBe(value);
  });
  it.each(['2 Blister packs', '12 Main Street'])('no count without a strength after an unknown word: %s', (row) => {
    expect(onDrugLine(row)).toBeNull();
  });
});

describe('a unit misread', () => {
  const onDrugLine = (row: string) => {
    const segs = segmentsOf(reading(row));
    return findQuantity(segs, segs, bundledDrugLexicon());
  };
  it('reads a lone 6 between the count and the drug as G (look-alikes)', () => {
    expect(onDrugLine('16 6 Nasonex 50mcg')).toMatchObject({ value: 16, unit: 'g' });
    expect(onDrugLine('166 Nasonex 50mcg')?.value).not.toBe(16);
  });
  // "1 INH" with its space lost: the I of the unit is a look-alike of 1, so the count read "1I" (11)
  // before a unit "NH" (fresh seed 50000). The count ends where the unit's letters make a unit.
  it('reads a unit glued to the count whose first letter looks like a digit', () => {
    expect(onDrugLine('1INH APO-ALBUTEROL 90mcg')).toMatchObject({ value: 1, unit: 'inhaler' });
    expect(onDrugLine('30TAB APO-ATORVASTATIN 10mg')).toMatchObject({ value: 30, unit: 'tablet' });
    expect(onDrugLine('1O TAB APO-ATORVASTATIN 10mg')).toMatchObject({ value: 10, unit: 'tablet' });
  });
  // Tesseract can split one letter of a unit into two glyphs: the g of "17 G" and "45 g" came back
  // as "G6" and "¢g" (fresh seeds 59200, 59300). The unit is read from its letters; the stray glyph
  // is no digit of the count.
  it('reads a unit that carries a stray glyph from a split letter', () => {
    expect(onDrugLine('17 G6 Flonase 50mcg Mfr: ACC')).toMatchObject({ value: 17, unit: 'g' });
    expect(qty('45¢g')).toMatchObject({ value: 45, unit: 'g' });
    expect(qty('30 tablets9')).toMatchObject({ value: 30, unit: 'tablet' });
    // Still no unit where the letters make none, and the digit stays out of the count.
    expect(qty('45¢x')).toBeNull();
    expect(onDrugLine('17 X6 Flonase 50mcg')?.unit ?? null).toBeNull();
  });
  it('reads a long unit word with one letter lost or misread', () => {
    expect(qty('180 tblets')).toMatchObject({ value: 180, unit: 'tablet' });
    expect(qty('60 CAPSULFS')).toMatchObject({ value: 60, unit: 'capsule' });
    expect(qty('60 Crestor')).toBeNull();
  });
});

describe('a count whose last digit was read as a letter before the unit', () => {
  // "1A TABLETS", "1ATABLETS" for 14 under a caption row (fresh seeds 62100, 63600): the count was
  // taken as 1, once at 0.89.
  it.each([
    ['QTY: 1A TABLETS', 14],
    ['QTY: 1ATABLETS', 14],
    ['Qty: 3Z CAPSULES', 32],
  ])('reads the letter as the digit it looks like, as a repair: %s', (row, value) => {
    expect(qty(row)).toMatchObject({ value, unit: row.includes('CAP') ? 'capsule' : 'tablet', repaired: true });
  });
  it('reads a 5 as S before mL too, where no unit opens with an S', () => {
    expect(qty('QTY: 7SML')).toMatchObject({ value: 75, unit: 'mL', repaired: true });
    expect(qty('QTY: 7S ML')).toMatchObject({ value: 75, unit: 'mL', repaired: true });
    expect(qty('QTY: 75 ML')).toMatchObject({ value: 75, unit: 'mL' });
  });
  it.each([
    ['Qty: 4s', 45],
    ['Qty: 4S Refills: 0', 45],
    ['QTY: 3B', 38],
  ])('reads a last digit glued as its capital with no unit after it, as a repair: %s', (row, value) => {
    expect(qty(row)).toMatchObject({ value, repaired: true });
  });
  it("leaves the unit's first letter, read as a 1 and glued on, to the unit", () => {
    expect(qty('QTY: 1INHALER NO REFILLS')).toMatchObject({ value: 1, unit: 'inhaler' });
    expect(qty('QTY: 1I TABLETS')?.value).toBe(11);
  });
  it('doubts a count with a percent sign glued after it, a digit blurred into one', () => {
    expect(qty('Dispensed: 4% g Days supply: 30')).toMatchObject({ value: 4, repaired: true });
    expect(qty('Dispensed: 45 g Days supply: 30')?.repaired).toBeUndefined();
    expect(qty('QTY: 6° Refills: 2')).toMatchObject({ value: 6, repaired: true, digitLost: true });
    // So before the refills' caption, its own caption unread.
    expect(qty('gry: 5% REFILLS: 4')).toMatchObject({ value: 5, repaired: true, digitLost: true });
    expect(qty('gry: 56 REFILLS: 4')?.digitLost).toBeUndefined();
    // And on a line of its own, a count of pieces: the directions give the digit, doubted.
    expect(qty('5% tablets')).toMatchObject({ value: 5, unit: 'tablet', repaired: true, digitLost: true });
    const p = parseLabel(reading('Isosorbide Mononitrate ER 60mg tablets', '5% tablets', 'Take TWO tablets each MORNING'));
    expect(p.usualNear).toMatchObject({ read: 5, usual: 56 });
    expect(p.usualNear?.clear).toBeUndefined();
    expect(p.confidence.quantity).toBeLessThan(0.9);
  });
  it('leaves other letters and units alone', () => {
    expect(qty('Qty: 4G')).toMatchObject({ value: 4, unit: 'g' });
    expect(qty('Qty: 4 S')?.value).toBe(4);
    expect(qty('QTY: 30 TABLETS')).toMatchObject({ value: 30, unit: 'tablet' });
    expect(qty('QTY: 30 TABLETS')?.repaired).toBeUndefined();
    expect(qty('QTY: 15G TUBE')?.value).toBe(15);
  });
});

describe("a count alone with its unit, the unit's T read as a digit", () => {
  // "42 1ablets" in both looks of a hard photo (fresh seed 86100): the T's bar and stem read as a 1.
  it.each([['42 1ablets', 42], ['28 7ABLETS', 28]])('reads %s as %s tablets', (row, value) => {
    expect(qty(row)).toMatchObject({ value, unit: 'tablet' });
  });
  it('takes no digit glued to the count for one, nor a digit before a word that is no unit', () => {
    expect(qty('421ablets')?.value).not.toBe(42);
    expect(qty('42 1street')).toBeNull();
  });
});

describe('a count whose 1 leans into a backslash', () => {
  it('reads the backslash as the 1, doubted', () => {
    expect(qty('2\\ tablets')).toMatchObject({ value: 21, unit: 'tablet', exact: false });
    expect(qty('21 tablets')).toMatchObject({ value: 21, exact: true });
  });
});

describe('a count alone with its unit, its digits read as capitals', () => {
  it.each([
    ['SmL', 5, 'mL'],
    ['SO TABLETS', 50, 'tablet'],
    ['BA G', 84, 'g'],
    ['S04 CAPSULES', 504, 'capsule'],
  ])('offers %s as %s, a repair', (row, value, unit) => {
    expect(qty(row)).toMatchObject({ value, unit, repaired: true });
  });
  // A 5 read as the dollar sign, an S's shape with a stroke (ocr-confusion.ts dollarAsFive): no letter
  // of a word and no speck, so it may open the count ("$40 TABLETS" for 540, fresh seed 83100).
  it('reads a 5 read as a dollar sign as the 5, a repair', () => {
    expect(qty('$40 TABLETS')).toMatchObject({ value: 540, unit: 'tablet', repaired: true });
  });
  it('takes no price, and no section sign, read for a 5 and an 8 alike', () => {
    expect(qty('$40.00')).toBeNull();
    expect(qty('Copay $40')).toBeNull();
    expect(qty('§ TABLETS')).toBeNull();
  });
  it('takes no word that is no unit, and no letter before digits but a 0', () => {
    expect(qty('SAG')).toBeNull();
    expect(qty('SO BIG')).toBeNull();
    expect(qty('S5mL')).toBeNull();
    expect(qty('S50 CAPSULES')).toBeNull();
  });
});

describe('the count before a repeats caption that has its own count', () => {
  // Australian and UK labels print "Qty: 28  Repeats: 3" on one line; with the quantity caption
  // unread ("ry. 28", fresh seed 82800), the number before "Repeats: 3" is still the count.
  it.each([
    ['ry. 28  |  Repeats: 3  |  Rx 308836', 28],
    ['oy 28 Repeats: 2', 28],
    ['56 TABLETS Refills: 1', 56],
    ['a: 12 Refills remaining: 2', 12],
    ['ry: 12 Refills left: 2', 12],
  ])('offers %s as %s, a repair', (row, value) => {
    expect(qty(row)).toMatchObject({ value, repaired: true });
  });
  // No pharmacy dispenses nothing: a 0 is a count whose other digits blur took (360 read "0 Repeats: 0",
  // a hard photo of fresh seed 99900), under a caption or alone; the count is left for a person.
  it.each(['0 Repeats: 0', 'QTY: 0 TABLETS', 'Dispensed: 0'])('takes no count of 0: %s', (row) => {
    expect(qty(row)).toBeNull();
  });
  it('takes no number the caption does not follow with its own, nor one glued to a mark', () => {
    expect(qty('2 REPEATS')).toBeNull();
    expect(qty('28 Repeats left')).toBeNull();
    expect(qty('=2 Repeats: 3')).toBeNull();
    expect(qty('Days Supply: 30 Refills: 2')).toBeNull();
  });
  it('leaves a count its caption was read with as read, however clearly the caption was read', () => {
    expect(qty('Qty: 30  |  Repeats: 2')).toMatchObject({ value: 30 });
    expect(qty('Qty: 30  |  Repeats: 2')?.repaired).toBeUndefined();
    expect(qty('Qty:~60 30~96  |  Repeats: 2')?.repaired).toBeUndefined();
  });
});

describe('a quantity label with its middle letter misread', () => {
  it('is the quantity label with its Q read as "("', () => {
    expect(qty('(TY: 360 CAPSULES')).toMatchObject({ value: 360, unit: 'capsule' });
    expect(qty('(TYLENOL 325 MG)')).toBeNull();
  });
  it('is still the quantity label when its colon follows', () => {
    expect(qty('Quy: 540  |  Repeats: 0')?.value).toBe(540);
    expect(qty('Quy 540')).toBeNull();
  });
  // "Qty:" with its T lost under glare ("Qy: 6.79", "Qy:8") or T and Y run together ("Qi: 180"):
  // still the quantity label when its colon follows (fresh seed 50000).
  it.each([
    ['Qy: 180  |  Repeats: 5', 180],
    ['SUMATRIPTAN 25mg Qy:30', 30],
    ['Qi: 180 Repeats: 5 Rx 2743999', 180],
  ])('is still the quantity label with a letter lost: %s', (row, value) => {
    expect(qty(row)?.value).toBe(value);
  });
  it.each(['Qy 180', 'Q4H: 180', 'Quality: 180'])('is no quantity label without the colon or with a longer word: %s', (row) => {
    expect(qty(row)).toBeNull();
  });
});

describe('a 7 opening a count read as a T', () => {
  // A 7's bar and stem read as a T under glare ("T20 CAPSULES" for 720; probe seed 53000, where
  // another look read 120 and the count was saved unreviewed). The T is taken as the 7 it stands
  // for, repaired, so the two looks disagree instead of one of them going unheard.
  it.each([['QTY: T20 CAPSULES', 720], ['T20 CAPSULES', 720], ['Qty: T5', 75]])('reads %s as %s, repaired', (row, value) => {
    const q = qty(row);
    expect(q?.value).toBe(value);
    expect(q?.repaired).toBe(true);
    expect(q?.exact).toBe(false);
  });
  it.each([['QTY: 30TABLETS', 30], ['Qty: 90 TAB', 90]])('leaves a T elsewhere a letter: %s', (row, value) => {
    expect(qty(row)?.value).toBe(value);
    expect(qty(row)?.repaired).toBeUndefined();
  });
  it('is never sure of the repaired count', () => {
    const p = parseLabel(reading('TAKE 3 CAPSULES BY MOUTH QID', 'DOXYCYCLINE HYCLATE 50 MG CAPSULE', 'QTY: T20 CAPSULES'));
    expect(p.medication.quantity).toBe(720);
    expect(p.confidence.quantity).toBeLessThan(0.85);
  });
});

describe('the count\'s caption with its Q read as a parenthesis or its T as R', () => {
  it('reads the count after it', () => {
    expect(qty('Cephalexin 500 mg capsule', '(ry: 20 Capsules Prescriber: Vera O\'Brien')).toMatchObject({ value: 20, unit: 'capsule' });
    expect(qty('Cephalexin 500 mg capsule', '(ay: 20 Capsules')?.value).toBe(20);
    expect(qty('GEPIRONE ER 36.3MG TAB', 'FITZGERALD, NAOMI DDS qry7')?.value).toBe(7);
  });
  it('reads the count after QTY with a speck read as a letter before its colon', () => {
    // "QryY: 18 NO REFILLS" (a camera photo, fresh seed 118200): no count.
    expect(qty('MIRTAZAPINE 30 MG TABLET', 'QryY: 18 NO REFILLS')?.value).toBe(18);
    expect(qty('MIRTAZAPINE 30 MG TABLET', 'QTYe: 18 NO REFILLS')?.value).toBe(18);
  });
  it('but not a parenthesis before anything but a count of tablets or capsules', () => {
    expect(qty('Cephalexin 500 mg capsule', '(ph: 520 555 0199)')?.value ?? null).toBeNull();
  });
});

describe('DISP with its first letters cut at the edge', () => {
  it('is still the count\'s caption before tablets or capsules', () => {
    expect(qty('Colchicine 0.6mg Tab', 'sp: 7 Tablets')).toMatchObject({ value: 7, unit: 'tablet' });
    expect(qty('Colchicine 0.6mg Tab', 'isp: 7 Tablets . i')).toMatchObject({ value: 7, unit: 'tablet' });
  });
  it('but not inside a word, nor before anything but a count of pieces', () => {
    expect(qty('Colchicine 0.6mg Tab', 'WISP: 7 Tablets')?.value ?? null).toBeNull();
    expect(qty('Colchicine 0.6mg Tab', 'sp: 7 days')?.value ?? null).toBeNull();
  });
});

describe('a count of one alone with its unit, the 1 read as a letter or bar', () => {
  it('is one of a thing spelled whole and singular, offered for review', () => {
    for (const [row, unit] of [['linhaler', 'inhaler'], ['Ipen', 'pen'], ['lbox', 'each']] as const) {
      const hit = qty('Budesonide/Formoterol 160-4.5mcg inhaler', row);
      expect(hit?.value, row).toBe(1);
      expect(hit?.unit, row).toBe(unit);
      expect(hit?.exact, row).toBe(false);
    }
    const p = parseLabel(reading('Budesonide/Formoterol 160-4.5mcg inhaler', 'linhaler', 'Inhale TWO puffs every 4 hours when required'));
    expect(p.medication.quantity).toBe(1);
    expect(p.confidence.quantity).toBeLessThan(0.85);
  });
  it('so after the count\'s caption, apart from its unit', () => {
    const hit = qty('Budesonide/Formoterol 160-4.5 mcg inhaler', 'Dispensed: | Inhaler Days supply: 30');
    expect(hit).toMatchObject({ value: 1, unit: 'inhaler', exact: false });
    expect(qty('Budesonide/Formoterol 160-4.5 mcg inhaler', 'Dispensed: | Inhalers Days supply: 30')?.value ?? null).toBeNull();
  });
  it('but not a unit word that opens with a capital I, a plural, or no unit', () => {
    for (const row of ['Inhaler', 'Itablets', 'lotion', 'Ibuprofen']) expect(qty('Budesonide/Formoterol 160-4.5mcg inhaler', row)?.value ?? null, row).toBeNull();
  });
});

describe('a count stacked under its unread caption, over the refills', () => {
  // Narrow labels stack Rx number, quantity and refills, each under its caption; "oy" and "ety" are
  // QTY lost (both looks of a hard photo, fresh seed 91800).
  const stack = (caption: string, count: string, below = 'Refills left') => qty('kx number', '3641753', caption, count, below, '1', 'Doctor', 'Dr. Vera Campbell');
  it('is the count, offered for review', () => {
    expect(stack('ety', '126')).toMatchObject({ value: 126, exact: false, repaired: true });
    expect(stack('oy', '126')?.value).toBe(126);
  });
  it('is not a number under a line of other words, nor one over no refills caption', () => {
    expect(stack('HALL, COLIN', '126')).toBeNull();
    expect(stack('ety', '126', 'Doctor')).toBeNull();
  });
});

describe('a count checked against a dose whose digits were partly lost', () => {
  // "GIVE | 5 TABLETS BY MOUTH 2 TIMES DAILY" for 1.5 (both looks of a hard photo, fresh seed 117600):
  // checked against 5 twice a day, the right "Qty: 270" (90 days of 1.5) was offered as 210.
  it('is left as read', () => {
    const p = parseLabel(reading('MARTIN, LIAM  |  Rx# 2613386', 'GIVE | 5 TABLETS BY MOUTH 2 TIMES DAILY', 'LAMOTRIGINE 100mg Qty: 270', 'Dr A Castellano 23-Mar-2024'));
    expect(p.medication.quantity).toBe(270);
    expect(p.usualNear).toBeUndefined();
  });
});

describe("the count's caption DISP glued to the count, or DISPENSED with its middle misread", () => {
  // "DISP17" (both looks of a hard photo, fresh seed 118800, a nasal spray's 17 g) and "DLGPENGED: 480"
  // (both looks of another): no count.
  it('reads the count after it', () => {
    expect(qty('FLUTICASONE PROPIONATE 50MCG NS', 'DISP17')?.value).toBe(17);
    expect(qty('METFORMIN HCL 500MG TAB', 'DLGPENGED: 480 Robert Halvorsen')?.value).toBe(480);
  });
  it('but not a word that only looks like it without its colon, nor DISP before a date', () => {
    expect(qty('METFORMIN HCL 500MG TAB', 'DLGPENGED 480 Robert Halvorsen')?.value ?? null).toBeNull();
    expect(qty('FLUTICASONE PROPIONATE 50MCG NS', 'DISP06/28/27')?.value ?? null).toBeNull();
  });
});

describe("a count's decimal point read as a colon", () => {
  // "DISPENSED" / "2:5" for 2.5 mL of eye drops (both looks of a mild photo, fresh seed 121800): saved
  // as 2, out of review.
  const stacked = (count: string) => parseLabel(reading('BRIMONIDINE TARTRATE 0.1% OPHTHALMIC SOLU', 'INSTILL 1 DROP IN THE LEFT EYE THREE TIMES DAILY', 'RX NUMBER', '4118815-9893', 'DISPENSED', count, 'REFILLS LEFT', '2'));
  it('is the point, repaired, so the count is doubted', () => {
    const p = stacked('2:5');
    expect(p.medication.quantity).toBe(2.5);
    expect(p.confidence.quantity).toBeLessThan(0.85);
    expect(qty('Brimonidine 0.1% drops', 'Qty: 2:5 mL')?.value).toBe(2.5);
  });
  it('but a time, two digits after its colon, is no count', () => {
    expect(qty('Brimonidine 0.1% drops', 'Qty: 2:50 mL')?.value ?? null).not.toBe(2.5);
  });
});
