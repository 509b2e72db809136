import { describe, expect, it } from 'vitest';
import { findDosages } from './dosage.parser.js';

describe('findDosages', () => {
  it.each([
    ['BUSPIRONE HCL 15 MG TABLET', '15 mg', '15mg'],
    ['Fluticasone Propionate 50 mcg', '50 mcg', '0.05mg'],
    ['ROPINIROLE HCL 0.5 MG TABLET', '0.5 mg', '0.5mg'],
    ['HYDROCODONE-APAP 5-325 MG', '5-325 mg', '325mg+5mg'],
    ['AMOXICILLIN 400 MG/5 ML SUSP', '400 mg/5 mL', '400mg'],
    ['TRIAMCINOLONE 0.1% CREAM', '0.1%', '0.1%'],
    ['VALACYCLOVIR 1 GRAM TABLET', '1 g', '1000mg'],
    ['GLIPIZIDE 5 M6 TABLET', '5 mg', '5mg'],
    // A blurred m read as w ("Wiss" for "Miss"): "8wg" is 8 mg.
    ['APO-ONDANSETRON 8wg', '8 mg', '8mg'],
    // mcg alike ("S0wcg", fresh seed 50000).
    ['FLUTICASONE PROPIONATE 50wcg', '50 mcg', '0.05mg'],
    ['METOPROLOL 2S MG', null, null],
    ['Lisinopril 1O mg', '10 mg', '10mg'],
    ['PRAVASTATIN 40mg', '40 mg', '40mg'],
    ['Tamsulosin .4mg capsules', '0.4 mg', '0.4mg'],
  ])('%s', (text, dose, key) => {
    const [d] = findDosages(text);
    expect(d?.text ?? null).toBe(dose);
    expect(d?.key ?? null).toBe(key);
  });

  it('marks a strength whose digits were repaired or whose leading zero was lost as not read as printed', () => {
    expect(findDosages('Tamsulosin .4mg')[0]?.repaired).toBe(true);
    expect(findDosages('Lisinopril 1O mg')[0]?.repaired).toBe(true);
    expect(findDosages('Tamsulosin 0.4 mg')[0]?.repaired).toBeUndefined();
  });

  it('reads a comma before one or two digits as the decimal point, and says it was not read as printed', () => {
    expect(findDosages('Budesonide/Formoterol 160-4,5mcg inhaler')[0]).toMatchObject({ text: '160-4.5 mcg', repaired: true });
    expect(findDosages('Warfarin 2,5 mg')[0]).toMatchObject({ text: '2.5 mg', key: '2.5mg', repaired: true });
    // Before three digits a comma groups thousands.
    expect(findDosages('Amoxicillin 1,000 mg')[0]).toMatchObject({ text: '1000 mg' });
  });

  it('reads a space before the decimal point after a digit as none, and says it was not read as printed', () => {
    expect(findDosages('BUDESONIDE/FORMOTEROL 160-4 .5mcg Qty: 10.2')[0]).toMatchObject({ text: '160-4.5 mcg', repaired: true });
    expect(findDosages('BUDESONIDE/FORMOTEROL 160-4.5mcg')[0]?.repaired).toBeUndefined();
  });

  it("reads a unit whose g was read twice, as q and as itself", () => {
    expect(findDosages('BUDESONIDE/FORMOTEROL 160-4.5mcqg')[0]).toMatchObject({ text: '160-4.5 mcg' });
    expect(findDosages('LISINOPRIL 10mqg')[0]).toMatchObject({ text: '10 mg' });
  });

  it('does not take a phone number, NDC or date for a strength', () => {
    expect(findDosages('(217) 555-0142')).toEqual([]);
    expect(findDosages('NDC 55519-273-51 DISCARD 11/05/2027')).toEqual([]);
  });
});

describe("a liquid's strength per 5 mL read with look-alikes", () => {
  // "15MGI5 ML" in both looks of a hard photo (fresh seed 91500): the slash read as the stroke it is.
  it.each(['15wg/S wl', '15wg/5 wml', '15mg/S mL', '15 mg/5 wl', '15MGI5 ML', '15MG|5 ML', '15mgl5mL'])('reads "%s" as 15 mg/5 mL, marked repaired', (text) => {
    const [d] = findDosages(`Prednisolone ${text} Susp`);
    expect(d).toMatchObject({ text: '15 mg/5 mL', key: '15mg', repaired: true, perRepaired: true });
  });
  it('keeps a strength read as printed unrepaired, and an S with no volume after it no volume', () => {
    expect(findDosages('Prednisolone 15mg/5 mL Susp')[0]).toEqual({ text: '15 mg/5 mL', key: '15mg', start: 13, end: 22 });
    expect(findDosages('Zestril 10mg/S')[0]).toMatchObject({ text: '10 mg' });
  });
  it('takes no stroke for a slash where no volume\'s number follows it', () => {
    expect(findDosages('Zestril 10MG I TAB')[0]).toEqual({ text: '10 mg', key: '10mg', start: 8, end: 12 });
    expect(findDosages('Zestril 10MGI')).toEqual([]);
  });
});

describe("insulin's units per mL with the slash read as a mark or lost", () => {
  // "INSULIN GLARGINE 100 UNITS'ML SOLN" and "100 UNITSML" (both looks of a hard photo, fresh seed
  // 120600): the strength was reported as 100 units.
  it.each(["100 UNITS'ML", '100 UNITSML', '100 UNITSIML', '100 UNITS|ML'])('reads "%s" as 100 units/mL, marked repaired', (text) => {
    expect(findDosages(`INSULIN GLARGINE ${text} SOLN`)[0]).toMatchObject({ text: '100 units/mL', key: '100u', repaired: true, perRepaired: true });
  });
  // "100 units/aL", "units/al", "units/nl": the three looks of a camera photo, batch 130800.
  it.each(['100 units/aL', '100 units/al', '100 units/nl', '100 units/mI'])('reads "%s", its mL misread after the slash, as 100 units/mL, marked repaired', (text) => {
    expect(findDosages(`INSULIN GLARGINE ${text} Mfr: SN`)[0]).toMatchObject({ text: '100 units/mL', key: '100u', repaired: true, perRepaired: true });
  });
  // "INSULIN GLARGINE 100 UNITS | ML SOLN" and "100 UNITS | WL SOLN": the two looks of a hard photo,
  // batch 137700, reported as 100 units at 0.98.
  it.each(['100 UNITS | ML', '100 UNITS | WL', '100 units l mL', '100 UNITS I ML'])('reads "%s", the slash a stroke standing alone, as 100 units/mL, marked repaired', (text) => {
    expect(findDosages(`INSULIN GLARGINE ${text} SOLN`)[0]).toMatchObject({ text: '100 units/mL', key: '100u', repaired: true, perRepaired: true });
  });
  // "INSULIN ASPART 100 UNITS/M" (the first look of a hard photo, batch 139200): reported as 100 units.
  it('reads "100 UNITS/M", the l of mL lost, as 100 units/mL, marked repaired; an M after mg is no mL', () => {
    expect(findDosages('INSULIN ASPART 100 UNITS/M\nInject 27 units')[0]).toMatchObject({ text: '100 units/mL', key: '100u', repaired: true, perRepaired: true });
    expect(findDosages('PREDNISOLONE 15 MG/M SOLN')[0]?.text).not.toBe('15 mg/mL');
  });
  it('takes no word between units and mL for the slash', () => {
    expect(findDosages('INSULIN GLARGINE 100 UNITS IN ML SOLN')[0]?.text).toBe('100 units');
    expect(findDosages('100 UNITS | MLX')[0]?.text).toBe('100 units');
  });
  it('keeps the slash read as printed unrepaired, and mg glued to ML no strength per mL', () => {
    expect(findDosages('INSULIN GLARGINE 100 UNITS/ML SOLN')[0]).toEqual({ text: '100 units/mL', key: '100u', start: 17, end: 29 });
    expect(findDosages('Prednisolone 15MGML')[0]?.text ?? null).not.toBe('15 mg/mL');
  });
});

describe('a strength glued to the release or salt word before it', () => {
  it.each([
    ['METOPROLOL SUCCINATE ER100 MG TABLET', '100 mg'],
    ['NIFEDIPINE XL30mg', '30 mg'],
    ['HYDROXYZINE HCL25 MG', '25 mg'],
    ['Inderal LA80 mg capsule', '80 mg'],
  ])('%s gives %s, as a repair (the space was lost, not read)', (line, strength) => {
    const found = findDosages(line);
    expect(found.map((d) => d.text)).toEqual([strength]);
    expect(found[0]!.repaired).toBe(true);
  });
  it('but after any other letters, digits and a unit are no strength (a code, a word)', () => {
    expect(findDosages('LOT AB100MG EXP')).toEqual([]);
    expect(findDosages('WATER100 ML')).toEqual([]);
  });
});
