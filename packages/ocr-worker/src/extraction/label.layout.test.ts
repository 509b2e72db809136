import { describe, expect, it } from 'vitest';
import { segmentBox, segmentsOf } from './label.layout.js';
import { parseLabel } from './label.parser.js';
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

describe('a caption read with little confidence at a line\'s start (label.layout)', () => {
  // Australian labels print "Qty: 40 Repeats: 3" on one line; on a hard photo Tesseract gave the
  // caption 0 or 34 in two looks ("Qy:", "Ql:") and the count was left without it.
  it.each(['Qy:~0', 'Ql:~34'])('keeps %s, a caption, before the count it names', (caption) => {
    expect(segmentsOf(reading(`${caption} 40 Repeats: 3`))[0]!.text).toBe(`${caption.split('~')[0]} 40 Repeats: 3`);
    const parsed = parseLabel(reading('FLUCONAZOLE 150MG TABLETS', 'Take ONE tablet FOUR times a day', `${caption} 40 Repeats: 3 Rx 463842`));
    expect(parsed.medication.quantity).toBe(40);
  });
  it('still drops two faint letters with no colon, a speck at the edge', () => {
    expect(segmentsOf(reading('ow~20 Refills: 3'))[0]!.text).toBe('Refills: 3');
  });
});

describe('captions in a row above their values (label.layout)', () => {
  // Hospital outpatient and some chain labels print the field words small, in a row of their own,
  // and the values in the row below: each value is read as its caption's field.
  const grid = (captions: string, values: string) => reading('TAKE 1 TABLET BY MOUTH ONCE DAILY', 'LISINOPRIL 10 MG TABLET', captions, values);
  it('reads each value under its caption as that field', () => {
    const p = parseLabel(grid('QTY  |  REFILLS  |  FILLED  |  PRESCRIBER', '30 TABLETS  |  2  |  03/14/2025  |  J. SMITH'));
    expect(p.medication.quantity).toBe(30);
    expect(p.medication.refills).toBe(2);
    expect(p.medication.prescriber).toBe('J. Smith');
    expect(p.record.date_filled).toBe('2025-03-14');
  });
  it('takes a caption read with one letter lost or misread, and one caption lost to glare', () => {
    const p = parseLabel(grid('[1  |  REFLLS  |  FLLED  |  PRESCRIBER', '30 TABLETS  |  2  |  03/14/2025  |  J. SMITH'));
    expect(p.medication.refills).toBe(2);
    expect(p.medication.prescriber).toBe('J. Smith');
  });
  it('takes QTY read as four marks with digits among them as the first, unread caption', () => {
    const p = parseLabel(grid('[104  |  REFILLS  |  FILLED  |  PRESCRIBER', '120 TABLETS  |  5  |  03/06/2024  |  B. OKONKWO'));
    expect(p.medication.sig).toBe('TAKE 1 TABLET BY MOUTH ONCE DAILY');
    expect(p.medication.refills).toBe(5);
    expect(p.medication.prescriber).toBe('B. Okonkwo');
    // Five marks are a value, not a caption: the row is read as it stands.
    expect(parseLabel(grid('[1045  |  REFILLS  |  FILLED  |  PRESCRIBER', '120 TABLETS  |  5  |  03/06/2024  |  B. OKONKWO')).medication.refills).toBeNull();
  });
  it('cuts a value row where the captions stand, the caption only naming the field', () => {
    const segs = segmentsOf(grid('QTY  |  REFILLS', '30 TABLETS  |  2')).slice(2);
    expect(segs.map((s) => s.text)).toEqual(['QTY: 30 TABLETS', 'REFILLS: 2']);
    // The value's box is on its own line: the caption above adds no height to a re-read's crop.
    const box = segmentBox(segs[0]!);
    expect(box.y0).toBeGreaterThan(segmentsOf(grid('QTY  |  REFILLS', '30 TABLETS  |  2'))[1]!.words[0]!.bbox.y1);
  });
  it('is no caption row when a value stands among the captions, or only one caption was read', () => {
    expect(segmentsOf(grid('QTY 30  |  DAYS SUPPLY', 'REFILLS 2')).map((s) => s.text)).toContain('QTY 30');
    expect(segmentsOf(grid('REFILLS  |  MAY CAUSE DROWSINESS', '2  |  SHAKE WELL')).map((s) => s.text)).not.toContain('REFILLS: 2');
  });
});

describe('a caption on its own line over its value (label.layout)', () => {
  // Narrow labels stack their fields: each caption alone on a short line, its value on the next,
  // starting under it ("Quantity" / "30 tablets", "Prescriber" / "Dr. Jane Smith").
  const grid0 = (captions: string, values: string) => reading('TAKE 1 TABLET BY MOUTH ONCE DAILY', 'LISINOPRIL 10 MG TABLET', captions, values);
  const stacked = (...rows: string[]) => reading('LISINOPRIL 10 MG TABLET', 'TAKE 1 TABLET BY MOUTH ONCE DAILY', ...rows);
  it('reads each value under its caption as that field', () => {
    const p = parseLabel(stacked('Rx #', '8890522-63785', 'Quantity', '28', 'Refills remaining', '3', 'Prescriber', 'Dr. Jane Smith', 'Fill date', '03/14/2025'));
    expect(p.medication.quantity).toBe(28);
    expect(p.medication.refills).toBe(3);
    expect(p.medication.rx_number).toBe('8890522-63785');
    expect(p.medication.prescriber).toBe('Jane Smith');
    expect(p.record.date_filled).toBe('2025-03-14');
  });
  it('takes QTY read with its T as R, U or I, as small bold captions are ("Qry", "Quy"), and with its Q as "(" or "a"', () => {
    expect(parseLabel(grid0('ary  |  REFILLS  |  FILLED', '60 TABLETS  |  1  |  01/23/2021')).medication.quantity).toBe(60);
    expect(parseLabel(stacked('Qry', '100', 'Refills', '2')).medication.quantity).toBe(100);
    expect(parseLabel(grid0('Quy  |  REFILLS', '60  |  2')).medication.quantity).toBe(60);
    // Any unread caption opening with a Q, in a row of captions where no other does.
    expect(parseLabel(grid0('qQrY  |  REFILLS  |  FILLED', '60 TABLETS  |  1  |  01/23/2021')).medication.quantity).toBe(60);
    expect(parseLabel(grid0('Qn  |  REFILLS  |  FILLED', '60 TABLETS  |  1  |  01/23/2021')).medication.quantity).toBe(60);
    expect(parseLabel(stacked('(TY', '100', 'Refills', '2')).medication.quantity).toBe(100);
    // Its q and t read as o and n, stacked and inline; "ANY" stays a word.
    expect(parseLabel(stacked('ony', '100', 'Refills', '2')).medication.quantity).toBe(100);
    expect(parseLabel(stacked('qQry', '100', 'Refills', '2')).medication.quantity).toBe(100);
    expect(parseLabel(stacked('ony: 100', 'Refills: 2')).medication.quantity).toBe(100);
    expect(parseLabel(stacked('ANY', '100', 'Refills', '2')).medication.quantity).toBeNull();
    // Its T lost, the refills' caption under it misread too.
    expect(parseLabel(stacked('Rx', '5396466', 'Qy', '28', 'Refils~31 Jef~71', 'u~88')).medication.quantity).toBe(28);
    // Its Q lost at the label's edge, the rest read poorly.
    expect(parseLabel(stacked('TY~18', '56', 'Refills left', '3')).medication.quantity).toBe(56);
    // And RX NO. with its space lost.
    expect(parseLabel(stacked('RXNO.', '4312013', 'Qty', '90 TABLETS')).medication.rx_number).toBe('4312013');
  });
  it('reads a caption word printed right as itself, not as its neighbour one letter away', () => {
    // PRESCRIBED is one letter from PRESCRIBER: "Prescribed by" is still a caption.
    expect(parseLabel(stacked('Prescribed by', 'HADDAD, BENJAMIN')).medication.prescriber).toBe('Benjamin Haddad');
    expect(parseLabel(grid0('QTY  |  PRESCRIBED BY', '30 TABLETS  |  J. SMITH')).medication.prescriber).toBe('J. Smith');
  });
  it("keeps what stands beside the value, and the field's box holds the caption over the value (a re-read sees both)", () => {
    const r = stacked('QTY', '30 TABLETS  |  MAY CAUSE DROWSINESS');
    const segs = segmentsOf(r).slice(2);
    expect(segs.map((s) => s.text)).toEqual(['QTY: 30 TABLETS', 'MAY CAUSE DROWSINESS']);
    const box = segmentBox(segs[0]!);
    expect(box.y0).toBe(r.lines[2]!.bbox.y0);
    expect(box.y1).toBe(r.lines[3]!.bbox.y1);
    // The re-read of that crop, caption and bare value, reads the field again.
    expect(parseLabel(reading('Quantity', '28')).medication.quantity).toBe(28);
  });
  it('is no pair when the value names its own field, the caption holds a digit, or the value starts elsewhere', () => {
    expect(segmentsOf(stacked('Refills', 'Qty: 30')).map((s) => s.text)).toContain('Qty: 30');
    expect(segmentsOf(stacked('QTY 2', '30')).map((s) => s.text)).toContain('30');
    expect(segmentsOf(stacked('REFILLS', 'TAKE WITH FOOD  |  2')).map((s) => s.text)).toContain('2');
    expect(segmentsOf(stacked('MAY CAUSE DROWSINESS', '2')).map((s) => s.text)).not.toContain('REFILLS: 2');
    expect(segmentsOf(stacked('REFILLS  |  MAY CAUSE DROWSINESS', '2')).map((s) => s.text)).not.toContain('REFILLS: 2');
  });
});

describe('a lone caption over a line that cannot be its value', () => {
  // "Rx", the prescription sign, is printed alone above the drug name on some labels: it is no Rx
  // number's caption, and the drug line under it stays the drug line.
  it('leaves a drug line under a lone "Rx" a drug line', () => {
    const p = parseLabel(reading('WELLSIDE PHARMACY  |  (608) 555-0199', 'Rx', 'LISINOPRIL 10 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 30 TABLETS'));
    expect(p.medication.name).toBe('Lisinopril');
    expect(p.medication.dosage).toBe('10 mg');
    expect(p.medication.rx_number).toBeNull();
  });
  it('still pairs a caption with a value of its kind', () => {
    const p = parseLabel(reading('LISINOPRIL 10 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'Rx #', '1234567', 'Quantity', '30 tablets'));
    expect(p.medication.rx_number).toBe('1234567');
    expect(p.medication.quantity).toBe(30);
  });
});
