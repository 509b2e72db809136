import { describe, expect, it } from 'vitest';
import { needsReview, parseLabel } from './label.parser.js';
import { reading } from './ocr-reading.fixture.js';
import { rereadConfirms } from './line.verify.js';

describe('parseLabel on a chain-pharmacy layout', () => {
  const r = reading(
    'SUMMIT MAIL ORDER PHARMACY',
    'PO Box 3310, Denver, CO 80201 (800) 555-0107',
    'RX# 8372913  |  DATE: 10/05/2026',
    'SAMUEL KOWALSKI',
    'TAKE 1 TABLET BY MOUTH 3 TIMES A DAY',
    'BUSPIRONE HCL 15 MG TABLET',
    'GENERIC FOR: BUSPAR  |  MFR: TEVA',
    'QTY: 60  |  Refills remaining: 5',
    'DR. NADIA PATEL  |  DISCARD AFTER: 10/05/2027',
  );
  const p = parseLabel(r);

  it('reads every field', () => {
    expect(p.medication).toMatchObject({
      name: 'Buspirone HCl',
      dosage: '15 mg',
      form: 'tablet',
      schedule: 'Three times daily',
      as_needed: false,
      quantity: 60,
      refills: 5,
      prescriber: 'Nadia Patel',
      rx_number: '8372913',
      sig: 'TAKE 1 TABLET BY MOUTH 3 TIMES A DAY',
    });
  });
  it('is sure enough of the critical fields to offer them, but one look is never above 0.9', () => {
    expect(needsReview(p)).toBe(false);
    for (const f of ['name', 'dosage', 'schedule', 'quantity'] as const) {
      expect(p.confidence[f]).toBeGreaterThanOrEqual(0.85);
      expect(p.confidence[f]).toBeLessThan(0.9);
    }
  });
  it('does not take the patient or the "generic for" brand for the drug', () => {
    expect(p.medication.name).not.toMatch(/Kowalski|Buspar/i);
  });
});

describe('parseLabel on a labelled form layout', () => {
  const p = parseLabel(
    reading(
      'CORNER DRUG',
      'Patient: THOMAS BROWN  |  Rx #: 8997748',
      'Medication: Fluticasone Propionate 50 mcg',
      'Form: Nasal Spray  |  Substitutes: Flonase',
      'Directions: Use 2 sprays in each nostril once a day',
      'Quantity: 16 g  |  Refills remaining: 2',
      'Prescriber: Sarah Smith, NP',
      'Date filled: 07/12/2026  |  (217) 555-0142',
    ),
  );
  it('strips the labels and reads the values', () => {
    expect(p.medication).toMatchObject({
      name: 'Fluticasone Propionate',
      dosage: '50 mcg',
      schedule: 'Once daily',
      quantity: 16,
      refills: 2,
      prescriber: 'Sarah Smith',
      rx_number: '8997748',
      sig: 'Use 2 sprays in each nostril once a day',
    });
  });
  it('does not read the fill date as refills or the phone as quantity', () => {
    expect(p.medication.refills).toBe(2);
    expect(p.medication.quantity).toBe(16);
  });
});

describe('parseLabel on a compact layout', () => {
  const p = parseLabel(
    reading(
      'HARBOR HEALTH RX (757) 555-0130',
      'RX 1264119 11/05/2026 JAMES NOVAK',
      'ALENDRONATE SODIUM 70 MG TABLET',
      'TAKE 1 TABLET BY MOUTH EVERY WEEK WITH FOOD',
      'QTY 30 NO REFILLS SMITH, SARAH MD',
      'MFG TEVA NDC 55519-273-51 DISCARD 11/05/2027',
    ),
  );
  it('splits fields that share a line', () => {
    expect(p.medication).toMatchObject({ quantity: 30, refills: 0, prescriber: 'Sarah Smith', rx_number: '1264119', schedule: 'Once weekly' });
    expect(p.medication.instructions).toBe('Take with food');
  });
});

describe('parseLabel with OCR noise', () => {
  it('corrects a misread drug name through the lexicon', () => {
    const p = parseLabel(reading('RX# 1234567', 'JANE DOE', 'Lisinopri1 20 mg tablet', 'Take 1 tablet by mouth daily', 'Qty: 30  |  Refills: 2'));
    expect(p.medication.name).toBe('Lisinopril');
    expect(p.medication.dosage).toBe('20 mg');
    expect(p.confidence.name).toBeGreaterThan(0.85);
  });

  it('follows directions wrapped onto a second line', () => {
    const p = parseLabel(
      reading(
        'RX# 2473814',
        'TAKE 2 CAPSULES BY MOUTH EVERY 12 HOURS ON AN',
        'EMPTY STOMACH',
        'DILTIAZEM ER 120 MG CAPSULE',
        'QTY: 21  |  3 REFILLS LEFT',
        'DR. P. BROWN',
      ),
    );
    expect(p.medication.sig).toBe('TAKE 2 CAPSULES BY MOUTH EVERY 12 HOURS ON AN EMPTY STOMACH');
    expect(p.medication.name).toBe('Diltiazem ER');
    expect(p.medication.schedule).toBe('Every 12 hours');
    expect(p.medication.refills).toBe(3);
    expect(p.medication.prescriber).toBe('P. Brown');
  });

  it('sends a low-confidence quantity to review', () => {
    const p = parseLabel(reading('SIMVASTATIN 40 MG TABLET', 'TAKE 1 TABLET BY MOUTH AT BEDTIME', 'QTY: 3O~41'));
    expect(p.medication.quantity).toBe(30);
    expect(needsReview(p)).toBe(true);
  });

  it('doubts a strength the drug is not made in, and offers the likely one', () => {
    const p = parseLabel(reading('PRAVASTATIN SODIUM 49 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 30'));
    expect(p.medication.dosage).toBe('40 mg');
    expect(p.confidence.dosage).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
  });

  it('reads a drug missing from the lexicon as printed, but never as certain', () => {
    const p = parseLabel(reading('ZORBLAXIN 25 MG TABLET', 'TAKE 1 TABLET BY MOUTH TWICE DAILY', 'QTY: 60'));
    expect(p.medication.name).toBe('Zorblaxin'); // not 'Forbaxin', the nearest known drug
    expect(p.medication.dosage).toBe('25 mg');
    expect(p.confidence.name).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
  });

  it('offers the drug a clear misread or a cut-off name stands for, but never as certain', () => {
    for (const [line, name] of [
      ['Walofantrine Wcl 250 mg tablet', 'Halofantrine'],
      ['Losin HCl 0.4 mg capsule', 'Tamsulosin'],
      // An ending two drugs share, the strength read with it made in only one of them.
      ['NOPRIL 5MG TABLETS', 'Lisinopril'],
    ] as const) {
      const p = parseLabel(reading(line, 'TAKE 1 CAPSULE BY MOUTH DAILY', 'QTY: 30'));
      expect(p.medication.name, line).toMatch(new RegExp(`^${name}`));
      expect(p.confidence.name, line).toBeLessThan(0.85);
      expect(needsReview(p), line).toBe(true);
    }
    // A word after others on the line is no cut-off start.
    expect(parseLabel(reading('Rx 2 Losin HCl 0.4 mg capsule', 'TAKE 1 CAPSULE BY MOUTH DAILY')).medication.name ?? '').not.toMatch(/Tamsulosin/);
  });

  // A drug's name can end with another drug's whole name (valacyclovir, escitalopram, levofloxacin),
  // so a photo's edge that cuts the first letters leaves a real name behind: the strength says which.
  it('doubts a whole drug name that opens its line when its strength is only the longer drug\'s', () => {
    for (const [line, name] of [
      ['ACYCLOVIR 1G TABLETS', 'Valacyclovir'], // acyclovir: 200, 400, 800 mg
      ['CITALOPRAM 5 MG TABLET', 'Escitalopram'], // citalopram: 10 to 60 mg
    ] as const) {
      const p = parseLabel(reading(line, 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 30'));
      expect(p.medication.name, line).toBe(name);
      expect(p.confidence.name, line).toBeLessThan(0.85);
      // The strength chose the name, so the table cannot vouch for the strength.
      expect(p.confidence.dosage, line).toBeLessThan(0.9);
      expect(needsReview(p), line).toBe(true);
    }
    // A strength the name read is made in: that name, as sure as one look makes it (escitalopram is made in 20 mg too).
    const whole = parseLabel(reading('CITALOPRAM 20 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 30'));
    expect(whole.medication.name).toBe('Citalopram');
    expect(whole.confidence.name).toBeGreaterThan(0.85);
    // Not after a maker's name on the line: nothing was cut there.
    expect(parseLabel(reading('SANDOZ ACYCLOVIR 1G TABLETS', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 30')).medication.name).toBe('Acyclovir');
  });

  it('reads a brand whose first letters the photo\'s edge cut as its ingredient, for review', () => {
    const p = parseLabel(reading('BAKER, HARRIET Rx# 98870153', 'ake two tablets orally every week', 'tarax 10mg Qty: 24'));
    expect(p.medication.name).toBe('Hydroxyzine');
    expect(p.confidence.name).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
  });

  it('reads directions whose verb runs into the dose ("GIVE1/2 TABLET")', () => {
    const p = parseLabel(reading('PRAZIQUANTEL 600MG TAB', 'DISP: 21 TABLETS', 'GIVE1/2 TABLET BY MOUTH EVERY 4 HOURS WHEN', 'REQUIRED FOR PAIN'));
    expect(p.medication.sig).toBe('GIVE 1/2 TABLET BY MOUTH EVERY 4 HOURS WHEN REQUIRED FOR PAIN');
    expect(p.medication.schedule).toBe('Every 4 hours');
    expect(p.medication.as_needed).toBe(true);
  });

  it('reads directions whose verb runs into a dose in words ("GIVETWO TABLETS QID")', () => {
    const p = parseLabel(reading('224 TAB TEVA-AMLODIPINE 5mg Mfr: AUR', 'GIVETWO TABLETS QID', 'Refills: 3'));
    expect(p.medication.sig).toBe('GIVE TWO TABLETS QID');
    expect(p.medication.schedule).toBe('Four times daily');
  });

  it('reads directions whose verb runs into a dose misread past knowing, before the form ("GIVELS TABLETS ORALLY QID")', () => {
    const p = parseLabel(reading('Qty: 360 Tablets Days Supply: 60', 'OLMESARTAN MEDOXOMIL 20MG TAB', 'GIVELS TABLETS ORALLY QID', 'Prescribed by: Dr. Theo Patel Refills: 5'));
    expect(p.medication.sig).toBe('GIVE LS TABLETS ORALLY QID');
    expect(p.medication.schedule).toBe('Four times daily');
  });

  it('reads directions whose opening words were misread past knowing when the way it is taken and how often follow', () => {
    const p = parseLabel(reading('Date Filled: 2024 Qty: 28 Capsules Days Supply: 14', 'LANSOPRAZOLE 30 MG CAPSULE', 'GUE ODE OPSUE ORALLY TWICE A DAY ELT', 'Prescriber: Ethan Russo Refills: 1'));
    expect(p.medication.schedule).toBe('Twice daily');
    expect(p.confidence.sig).toBeLessThan(0.85);
    // Not a drug line that ends with a schedule, nor a route far into a line.
    expect(parseLabel(reading('LANSOPRAZOLE 30 MG CAPSULE', 'KEEP THIS AND ALL MEDICINES ORALLY TWICE A DAY')).medication.schedule).toBeNull();
  });

  it('keeps a one-letter word of the drug\'s name ("PENICILLIN V")', () => {
    const p = parseLabel(reading('PENICILLIN V 125MG TAB', 'TAKE 1.5 TABLETS ORALLY QID', 'DISP: 180'));
    expect(p.medication.name).toBe('Penicillin V');
    expect(p.medication.dosage).toBe('125 mg');
    expect(p.confidence.name).toBeGreaterThanOrEqual(0.85);
    // A letter no ingredient carries after the drug word is left out, and the name doubted.
    const q = parseLabel(reading('LISINOPRIL Q 10 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 30'));
    expect(q.medication.name).toBe('Lisinopril');
  });

  it('reads a misread "BY" before MOUTH without doubting the schedule', () => {
    const p = parseLabel(reading('ROPINIROLE HCL 0.5 MG TABLET', 'TAKE 1 TABLET py~60 MouTH~66 THREE TIMES DAILY', 'QTY: 30'));
    expect(p.medication.sig).toBe('TAKE 1 TABLET BY MouTH THREE TIMES DAILY');
    expect(p.medication.schedule).toBe('Three times daily');
    expect(p.confidence.schedule).toBeGreaterThanOrEqual(0.85);
  });

  it('doubts the schedule when a number in it is poorly read', () => {
    const p = parseLabel(reading('AMOXICILLIN 500 MG CAPSULE', 'TAKE 1 CAPSULE BY MOUTH EVERY 8~50 HOURS', 'QTY: 30'));
    expect(p.medication.schedule).toBe('Every 8 hours');
    expect(p.confidence.schedule).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
  });

  it('drops a poorly read scrap before a known drug name', () => {
    const p = parseLabel(reading('Sth~35 PROPRANOLOL HCL 20 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 90'));
    expect(p.medication.name).toBe('Propranolol HCl');
  });

  it("reads a maker's name before a known generic as the maker, not as part of the name", () => {
    // Canadian generics: "SANDOZ ATORVASTATIN", "APO-ATORVASTATIN", "MINT-LOSARTAN".
    expect(parseLabel(reading('SANDOZ PROPRANOLOL 20 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 90')).medication.name).toBe('Propranolol');
    expect(parseLabel(reading('30 TAB APO-ATORVASTATIN 20MG', 'TAKE 1 TABLET DAILY')).medication).toMatchObject({ name: 'Atorvastatin', dosage: '20 mg', quantity: 30 });
  });
  it.each(['B10-OLMESARTAN', 'BI0-OLMESARTAN', 'PM5-OLMESARTAN'])("reads a maker's prefix with a letter read as a digit, \"%s\", as the maker", (drug) => {
    expect(parseLabel(reading('TAKE TWO TABLETS ONCE A WEEK', `${drug} 20mg Qty: 8`)).medication).toMatchObject({ name: 'Olmesartan', dosage: '20 mg' });
  });

  it('reads a combination with a pharmacy abbreviation and checks its strength', () => {
    const p = parseLabel(reading('HYDROCODONE/APAP 5-325 MG TABLET', 'TAKE 1 TABLET BY MOUTH EVERY 6 HOURS AS NEEDED FOR PAIN', 'QTY: 20'));
    expect(p.medication.name).toBe('Hydrocodone/APAP');
    expect(p.medication.dosage).toBe('5-325 mg');
    expect(p.confidence.dosage).toBeGreaterThanOrEqual(0.85);
    expect(p.medication.as_needed).toBe(true);
  });

  it('stops the directions at a warning sticker below them', () => {
    const p = parseLabel(reading('TAKE 1 TABLET BY MOUTH AT BEDTIME', 'MAY CAUSE DROWSINESS', 'ZOLPIDEM 5 MG TABLET', 'QTY: 30'));
    expect(p.medication.sig).toBe('TAKE 1 TABLET BY MOUTH AT BEDTIME');
  });

  it('reads a strength printed on the line below the name', () => {
    const p = parseLabel(reading('RX# 5741157', 'ATORVASTATIN CALCIUM', '20 MG TABLETS', 'TAKE 1 TABLET BY MOUTH AT BEDTIME', 'QTY: 30'));
    expect(p.medication).toMatchObject({ name: 'Atorvastatin Calcium', dosage: '20 mg', form: 'tablets', quantity: 30 });
    expect(p.confidence.dosage).toBeGreaterThanOrEqual(0.85);
  });

  it('takes grams alone below a cream\'s name for the tube dispensed, not its strength', () => {
    // British labels print the weight under the product; the % read as an X left no strength on the drug line.
    const p = parseLabel(reading('Mupirocin 2X cream', '80g', 'Apply thinly to the affected area TWICE daily', 'Mrs Clara BAKER 17/11/2024'));
    expect(p.medication.quantity).toBe(80);
    expect(p.medication.dosage).not.toBe('80 g');
    // A strength in grams below another name is still read as one.
    expect(parseLabel(reading('SUCRALFATE', '1 G TABLETS', 'TAKE 1 TABLET BY MOUTH 4 TIMES DAILY', 'QTY: 120')).medication.dosage).toBe('1 g');
  });

  it("takes grams alone below a spray's name for the canister dispensed, its strength misread", () => {
    // "Semcg" for 50mcg (a hard photo, batch 125700): the 17 g canister was taken for the strength, and no quantity found.
    const p = parseLabel(reading('Mometasone Furoate Semcg nasal spray', '17g', 'Use TWO sprays in each nostril TWICE a day', 'Miss Esther FRASER'));
    expect(p.medication.quantity).toBe(17);
    expect(p.medication.dosage).not.toBe('17 g');
  });

  it('keeps directions a glare gap splits, but no longer trusts them', () => {
    const p = parseLabel(reading('TRAMADOL HCL 50 MG TABLET', 'TAKE 1 TABLET BY MOUTH EVERY 6 HOURS AS  |  NEEDED FOR PAIN', 'QTY: 40'));
    expect(p.medication.sig).toBe('TAKE 1 TABLET BY MOUTH EVERY 6 HOURS AS NEEDED FOR PAIN');
    expect(p.medication.as_needed).toBe(true);
    expect(p.confidence.schedule).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
  });

  it('does not join a second column field to the directions', () => {
    const p = parseLabel(reading('TAKE 1 TABLET BY MOUTH DAILY  |  DATE: 10/05/2026', 'LISINOPRIL 10 MG TABLET', 'QTY: 30'));
    expect(p.medication.sig).toBe('TAKE 1 TABLET BY MOUTH DAILY');
    expect(needsReview(p)).toBe(false);
  });

  it.each([
    ['Day supply: 60'],
    ['DAYS SUPPLY 30  Use before 05/25/2025'],
    ['FILL DATE 07/26/26  PRESCRIPTION # 6948909'],
    ['Use before: 09/28/2025'],
    ['Use before'],
    ['RF 5  Day supply 60'],
    ['(TY DISPENSED: 40 TABLETS'],
    ['RXNO. 4312013'],
    ['Robert Costa, DO'],
  ])('ends the directions where a captioned field begins, on their line or the next: %s', (field) => {
    const sig = 'TAKE TWO TABLETS BY MOUTH AT BEDTIME';
    for (const lines of [[`${sig}  |  ${field}`], [sig, field]]) {
      const p = parseLabel(reading('TRAZODONE 50 MG TABLET', ...lines, 'QTY: 60'));
      expect(p.medication.sig).toBe(sig);
    }
  });

  it('carries the directions on to an eye named by its abbreviation, which is no credential', () => {
    const p = parseLabel(reading('LATANOPROST 0.005% SOLUTION', 'INSTILL 1 DROP IN RIGHT EYE', 'EVERY NIGHT OD', 'QTY: 2.5 mL'));
    expect(p.medication.sig).toBe('INSTILL 1 DROP IN RIGHT EYE EVERY NIGHT OD');
  });

  it('does not open the directions with a use-before date, but with the verb under it', () => {
    const p = parseLabel(reading('Use before 05/25/2025', 'Take 2 tablets orally twice daily', 'METFORMIN HCL 500 MG TABLET', 'QTY: 120'));
    expect(p.medication.sig).toBe('Take 2 tablets orally twice daily');
  });

  it('passes over a sticker line read between two lines of the directions beside it', () => {
    const r = reading('NITROFURANTOIN 100MG CAPSULE', 'TAKE 2 CAPSULES BY MOUTH EVERY TWELVE', 'AVOID PROLONGED', 'HOURS  |  SUNLIGHT', 'QTY: 240');
    for (const w of r.lines[2]!.words) Object.assign(w.bbox, { x0: w.bbox.x0 + 700, x1: w.bbox.x1 + 700 });
    const p = parseLabel(r);
    expect(p.medication.schedule).toBe('Every 12 hours');
    expect(p.medication.quantity).toBe(240);
  });

  it('reads a directions word with rn read as m, as a word one letter off is read', () => {
    const p = parseLabel(reading('EMPAGLIFLOZIN 10 MG TABLET', 'Take two tablets orally in the moming', 'Quantity: 14'));
    expect(p.medication.schedule).toBe('Once daily');
    expect(p.confidence.schedule).toBe(parseLabel(reading('EMPAGLIFLOZIN 10 MG TABLET', 'Take two tablets orally in the morming', 'Quantity: 14')).confidence.schedule);
  });

  it('does not count a schedule a repaired directions word gave as read as printed, so two looks repairing alike confirm nothing', () => {
    const repaired = parseLabel(reading('EMPAGLIFLOZIN 10 MG TABLET', 'Take two tablets orally in the moming', 'Quantity: 14'));
    expect(repaired.asPrinted?.schedule).toBe(false);
    expect(rereadConfirms('schedule', repaired, repaired)).toBe(false);
    const printed = parseLabel(reading('EMPAGLIFLOZIN 10 MG TABLET', 'Take two tablets orally in the morning', 'Quantity: 14'));
    expect(rereadConfirms('schedule', printed, printed)).toBe(true);
  });

  it('keeps a faint QD that ends the directions, and doubts the schedule it gives', () => {
    const p = parseLabel(reading('DOXYCYCLINE 50 MG CAPSULE', 'GIVE 1 CAPSULE QD~32', 'QTY: 30'));
    expect(p.medication.schedule).toBe('Once daily');
    expect(p.confidence.schedule).toBeLessThan(0.85);
  });

  it('does not take a use-before caption stacked over its date for the directions', () => {
    const p = parseLabel(reading('HUGO OYELARAN', 'VALACYCLOVIR 1G TAB', 'of breath shortness', 'Qty', '240', 'Use before', '09/18/2025'));
    expect(p.medication.sig ?? '').not.toMatch(/before/i);
  });

  it('does not trust the schedule of directions that end on a lone letter, a word cut short', () => {
    const p = parseLabel(reading('ARIPIPRAZOLE 10 MG TABLET', 'GIVE 1.5 TABLETS BY MOUTH DAILY AT B', 'QTY: 15'));
    expect(p.confidence.schedule).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
  });

  it('ignores stray marks around the text', () => {
    const p = parseLabel(reading('|~18 TAKE 1 TABLET BY MOUTH TWICE DAILY bE~14', 'METFORMIN HCL 500 MG TABLET', 'QTY: 60'));
    expect(p.medication.sig).toBe('TAKE 1 TABLET BY MOUTH TWICE DAILY');
    expect(p.medication.name).toBe('Metformin HCl');
  });
});

describe('parseLabel prescriber forms', () => {
  it.each([
    ['DR. P. BROWN', 'P. Brown'],
    ['SMITH, SARAH MD', 'Sarah Smith'],
    ['Prescriber: Sarah Smith, NP', 'Sarah Smith'],
    ['Prescribed by: DR. M. MARTINEZ', 'M. Martinez'],
    ['QTY 60 1 REFILLS LEFT CARLOS NGUYEN, MD', 'Carlos Nguyen'],
  ])('%s', (line, name) => {
    expect(parseLabel(reading('ATORVASTATIN 20 MG TABLET', line)).medication.prescriber).toBe(name);
  });

  it('does not take "DR AUTH REQUIRED" or an address for a name', () => {
    expect(parseLabel(reading('QTY: 100 NO REFILLS - DR AUTH REQUIRED', '100 Main St, Pittsburgh, PA 15213')).medication.prescriber).toBeNull();
  });
});

describe('parseLabel with nothing to read', () => {
  it('returns nulls and asks for review', () => {
    const p = parseLabel(reading('ee~10 Bs~7', ':~2'));
    expect(p.medication.name).toBeNull();
    expect(p.medication.quantity).toBeNull();
    expect(needsReview(p)).toBe(true);
  });
});

describe('the dispensed quantity against the directions', () => {
  const label = (qty: string, sig = 'TAKE 2 TABLETS BY MOUTH TWICE DAILY') =>
    parseLabel(reading('CORNER DRUG', 'JANE DOE', sig, 'METFORMIN HCL 500 MG TABLET', `QTY: ${qty}  |  Refills: 2`));
  it('stays sure of a count that is whole days of doses when no days supply is printed (120 for 2 twice a day)', () => {
    const p = label('120');
    expect(p.medication.quantity).toBe(120);
    expect(p.confidence.quantity).toBeGreaterThanOrEqual(0.85);
  });
  it('doubts a count that is not whole days of doses (122 for 2 twice a day: a misread digit)', () => {
    const p = label('122');
    expect(p.medication.quantity).toBe(122);
    expect(p.confidence.quantity).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
  });
  it('says nothing for one tablet a day, as needed, or a liquid', () => {
    expect(label('37', 'TAKE 1 TABLET BY MOUTH DAILY').confidence.quantity).toBeGreaterThanOrEqual(0.85);
    expect(label('37', 'TAKE 2 TABLETS BY MOUTH TWICE DAILY AS NEEDED').confidence.quantity).toBeGreaterThanOrEqual(0.85);
  });
});

describe('what was read as printed', () => {
  it('marks a drug word the lexicon had to correct, and digits repaired from letters', () => {
    const clean = parseLabel(reading('TAKE 1 TABLET DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 30'));
    expect(clean.asPrinted).toMatchObject({ name: true, dosage: true, quantity: true });
    const repaired = parseLabel(reading('TAKE 1 TABLET DAILY', 'LISINOPRI1 1O MG TABLET', 'QTY: 3O'));
    expect(repaired.medication).toMatchObject({ name: 'Lisinopril', dosage: '10 mg', quantity: 30 });
    expect(repaired.asPrinted).toMatchObject({ name: false, dosage: false, quantity: false });
  });
});

describe('a line that is only a long number under the directions', () => {
  // An Rx number or a DIN under a caption that was not read ("rber" / "1090221" / "84 Tablets", a
  // hard photo of fresh seed 83100): no directions give a number of six digits, so they end there,
  // and the count below is read as a count, not as directions.
  it('ends the directions, and the count under it is the quantity', () => {
    const p = parseLabel(reading('CETIRIZINE HCL 10 MG TABLET', 'Give 3 tablets orally BID', '1090221', '84 Tablets'));
    expect(p.medication.sig).toBe('Give 3 tablets orally BID');
    expect(p.medication.quantity).toBe(84);
  });
  it('while a short number wrapped under them is still theirs', () => {
    const p = parseLabel(reading('AMOXICILLIN 500 MG CAPSULE', 'TAKE 1 CAPSULE BY MOUTH EVERY', '8 HOURS', 'QTY: 30'));
    expect(p.medication.schedule).toBe('Every 8 hours');
  });
});

describe('a sticker printed beside the directions', () => {
  it('is not read into them, and the directions wrap on below it', () => {
    const p = parseLabel(reading('CORNER DRUG', 'TAKE 1 TABLET BY MOUTH IN THE  |  ALCOHOL INTENSIFIES', 'MORNING', 'LISINOPRIL 10 MG TABLET', 'QTY: 30'));
    expect(p.medication.sig).toBe('TAKE 1 TABLET BY MOUTH IN THE MORNING');
    expect(p.medication.schedule).toBe('Once daily');
  });
  it('while what glare left of the directions on the same line is kept', () => {
    const p = parseLabel(reading('CORNER DRUG', 'TAKE 1 TABLET BY MOUTH  |  TWICE DAILY', 'LISINOPRIL 10 MG TABLET', 'QTY: 60'));
    expect(p.medication.schedule).toBe('Twice daily');
  });
  // A sticker may hide words of the directions ("DAILY [AND AT BEDTIME]"), so the schedule read
  // beside one is doubted, unless the count and the printed days supply bear it out.
  const beside = (qty: number, days: string) =>
    parseLabel(reading('CORNER DRUG', 'TAKE 1 CAPSULE DAILY IN THE MORNING  |  hele Lb', 'OMEPRAZOLE 20 MG CAPSULE', `QTY: ${qty}  |  ${days}`));
  it('leaves the schedule in doubt, unless count = dose × doses a day × the printed days supply', () => {
    expect(beside(30, 'DAYS SUPPLY: 30').medication.schedule).toBe('Once daily');
    expect(beside(30, 'DAYS SUPPLY: 30').confidence.schedule).toBeGreaterThanOrEqual(0.85);
    expect(beside(30, 'DAYS SUPPLY: 30').checked?.schedule).toBe(true);
    expect(beside(60, 'DAYS SUPPLY: 30').confidence.schedule).toBeLessThan(0.85); // twice a day's count: a word was lost
    expect(beside(30, 'REFILLS: 2').confidence.schedule).toBeLessThan(0.85); // nothing to bear it out
  });
});

describe('a refill count read as a lone 1 as wide as two digits', () => {
  const label = (oneWidth: number) => {
    const r = reading('ATORVASTATIN 20 MG TABLET', 'TAKE ONE TABLET BY MOUTH DAILY', 'QTY: 30  |  REFILLS: 1');
    const one = r.lines[2]!.words.find((w) => w.text === '1')!;
    one.bbox.x1 = one.bbox.x0 + oneWidth;
    return parseLabel(r);
  };

  it('is offered for review: two close 1s are read as one in typefaces whose 1 is a bare stroke', () => {
    const wide = label(23); // 0.82 of the 28 px line's height
    expect(wide.medication.refills).toBe(1);
    expect(wide.confidence.refills).toBeLessThan(0.85);
  });

  it('is read as the two 1s it spans when as wide as the line is high, and offered for review', () => {
    const wide = label(28);
    expect(wide.medication.refills).toBe(11);
    expect(wide.confidence.refills).toBeLessThan(0.85);
  });

  it('keeps a 1 of a 1’s width as sure as any other count', () => {
    const narrow = label(12);
    expect(narrow.medication.refills).toBe(1);
    expect(narrow.confidence.refills).toBeGreaterThanOrEqual(0.85);
  });
});

describe('a refill count read as the letters its strokes look like', () => {
  it('is read, and offered for review ("n" for two 1s run together under a stacked caption)', () => {
    const p = parseLabel(reading('LISINOPRIL 10 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 30', 'REFILLS', 'n', 'PRESCRIBER', 'Dr. Vera Clarke'));
    expect(p.medication.refills).toBe(11);
    expect(p.confidence.refills).toBeLessThan(0.85);
  });
});

describe('a strength read with a 6 where the drug is made with a 0 there', () => {
  it('names the glyphs to look at, and the strength they give as zeros, even when another look-alike is listed', () => {
    // Pregabalin is made in 100 and 150 mg: "160" is one or the other, and only a zero's shape says which.
    const p = parseLabel(reading('PREGABALIN 160 MG TABLET', 'TAKE 1 TABLET BY MOUTH TWICE DAILY', 'QTY: 60'));
    expect(p.medication.dosage).toBe('160 mg');
    expect(p.confidence.dosage).toBeLessThan(0.85);
    expect(p.zeroRepair).toMatchObject({ word: { text: '160' }, indices: [1], dosage: '100 mg' });
    // Cephalexin is made in 500 mg and not with a 5 or 8 there: offered, and its 6s named.
    const c = parseLabel(reading('CEPHALEXIN 566MG CAPSULE', 'TAKE 1 CAPSULE BY MOUTH FOUR TIMES DAILY', 'QTY: 40'));
    expect(c.medication.dosage).toBe('500 mg');
    expect(c.zeroRepair).toMatchObject({ word: { text: '566MG' }, indices: [1, 2], dosage: '500 mg' });
  });
  it('names none when the strength with an 8 there is made too: a barred zero has an 8’s two holes', () => {
    // Fenofibrate is made in 40 and 48 mg: "46" is either, and two holes would not say which.
    const p = parseLabel(reading('FENOFIBRATE 46 MG TABLET', 'TAKE 1 TABLET BY MOUTH DAILY', 'QTY: 30'));
    expect(p.medication.dosage).toBe('46 mg');
    expect(p.zeroRepair).toBeUndefined();
  });
  it('names none for a repair of other digits', () => {
    // 760 is 750 with its 6 read for a 5; 700 is not made.
    const p = parseLabel(reading('CEPHALEXIN 760MG CAPSULE', 'TAKE 1 CAPSULE BY MOUTH FOUR TIMES DAILY', 'QTY: 40'));
    expect(p.medication.dosage).toBe('750 mg');
    expect(p.zeroRepair).toBeUndefined();
  });
});

describe('a number of times a day read on a line outside the directions', () => {
  // A tilted photo reads the directions' words into the drug's line: what is left of the
  // directions says another schedule than the words that went astray.
  const label = (drugLine: string, qty = 'QTY 360 TABLETS') =>
    parseLabel(reading('(828) 555-0186', 'MEI WRIGHT', drugLine, 'TAKE TWO TABLETS BY MOUTH', 'DAILY', 'RX NO. 7894167', qty, 'DOCTOR', 'BERGERON, NAOMI'));
  it('leaves the directions\' schedule in doubt when it says another', () => {
    const p = label('COLCHICINE 0.6MG TAB 1 THREE TIME');
    expect(p.medication.schedule).toBe('Once daily');
    expect(p.confidence.schedule).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
  });
  it('and not when it says the same, or says none', () => {
    expect(label('COLCHICINE 0.6MG TAB').confidence.schedule).toBeGreaterThanOrEqual(0.85);
    expect(label('COLCHICINE 0.6MG TAB 1 ONCE').confidence.schedule).toBeGreaterThanOrEqual(0.85);
    const twice = parseLabel(reading('MEI WRIGHT', 'COLCHICINE 0.6MG TAB  TWICE', 'TAKE ONE TABLET BY MOUTH TWICE', 'DAILY', 'QTY 60 TABLETS'));
    expect(twice.medication.schedule).toBe('Twice daily');
    expect(twice.confidence.schedule).toBeGreaterThanOrEqual(0.85);
  });
  it('and when TIMES is left there with its count misread, beside directions read as once a day', () => {
    const p = label('TRAMADOL HCL 50 MG ARE~29 TIMES~65');
    expect(p.medication.schedule).toBe('Once daily');
    expect(p.confidence.schedule).toBeLessThan(0.85);
    expect(needsReview(p)).toBe(true);
    // Not "at all times", nor beside directions that say times themselves.
    expect(label('COLCHICINE 0.6MG TAB KEEP REFRIGERATED AT ALL TIMES').confidence.schedule).toBeGreaterThanOrEqual(0.85);
  });
  it('nor when it counts refills', () => {
    for (const refills of ['MAY REFILL 2 TIMES', 'Refills: 3 times before 05/2027']) {
      expect(label('COLCHICINE 0.6MG TAB', `QTY 360 TABLETS  |  ${refills}`).confidence.schedule, refills).toBeGreaterThanOrEqual(0.85);
    }
  });
});

describe('a wrapped line of the directions whose words blur made taller', () => {
  // Blur and speckle grow some words' boxes into the line above; the other words keep the print's size.
  const label = (grow: number[]) => {
    const r = reading('CANYON DRUGS', 'FLUTICASONE PROPIONATE 50 MCG NASAL SPRAY', 'USE TWO SPRAYS IN EACH NOSTRIL TWO', 'TIMES DAILY AS NEEDED', 'QTY: 16');
    const wrapped = r.lines[3]!;
    for (const i of grow) wrapped.words[i]!.bbox.y0 -= 32; // 28 px → 60 px
    return parseLabel(r);
  };
  it('still carries the directions on when half its words are the directions\' height', () => {
    const p = label([1, 2]);
    expect(p.medication.sig).toBe('USE TWO SPRAYS IN EACH NOSTRIL TWO TIMES DAILY AS NEEDED');
    expect(p.medication.schedule).toBe('Twice daily');
    expect(p.medication.as_needed).toBe(true);
  });
  it('and not when most of its words are of another size', () => {
    expect(label([0, 1, 2]).medication.sig).toBe('USE TWO SPRAYS IN EACH NOSTRIL TWO');
  });
});

describe('a count and its unit alone on the line under the directions', () => {
  it('is the quantity, not a wrapped line of the directions', () => {
    const p = parseLabel(reading('WELLSIDE PHARMACY', 'TAYLOR, COLIN', 'COLCHICINE 0.6MG TAB', 'TAKE 2 TABLETS ORALLY EACH DAY', '20 TABLETS'));
    expect(p.medication.sig).toBe('TAKE 2 TABLETS ORALLY EACH DAY');
    expect(p.medication.quantity).toBe(20);
  });
  it('unless the directions were cut on a joining word', () => {
    const p = parseLabel(reading('COLCHICINE 0.6MG TAB', 'TAKE 1 TABLET DAILY FOR 1 WEEK THEN INCREASE TO', '2 TABLETS', 'QTY: 60'));
    expect(p.medication.sig).toBe('TAKE 1 TABLET DAILY FOR 1 WEEK THEN INCREASE TO 2 TABLETS');
  });
});

describe("the pharmacy's street address", () => {
  // The postcode's last part read as a strength ("X1A 2N4" as "X1A 2%") made the address a drug line.
  const address = '15 Franklin Ave, Yellowknife NT X1A 2%';
  it('is never the drug line, nor its house number the count', () => {
    const p = parseLabel(reading('Northern Lights Pharmacy', address, 'GIVE 3 TABLETS EACH DAY WITH FOOD', 'Refills: 1'));
    expect(p.medication.name).toBeNull();
    expect(p.medication.quantity).toBeNull();
  });
  it('and the drug line under it is still read', () => {
    const p = parseLabel(reading('Northern Lights Pharmacy', address, 'GIVE 3 TABLETS EACH DAY WITH FOOD', '90 TAB SERTRALINE 50ng'));
    expect(p.medication.name).toBe('Sertraline');
    expect(p.medication.quantity).toBe(90);
  });
  it('but a count and its unit opening the drug line are no house number', () => {
    const p = parseLabel(reading('Northern Lights Pharmacy', 'GIVE 3 TABLETS EACH DAY WITH FOOD', '90 TAB ST JOHNS WORT 300 MG'));
    expect(p.medication.quantity).toBe(90);
  });
});

describe('a capital I read as a stroke glued to the brand name', () => {
  it.each(['\\mitrex', '|mitrex'])('reads "%s" as the drug, so the count opening its line is read', (brand) => {
    const p = parseLabel(reading('DECLAN BAKER', 'TAKE 1/2 TABLET ORALLY EVERY DAY', `14 TAB ${brand} 100mg Mfr: CIP`, 'sumatriptan DIN: 08097660'));
    expect(p.medication.quantity).toBe(14);
    expect(p.medication.dosage).toBe('100 mg');
  });
});
