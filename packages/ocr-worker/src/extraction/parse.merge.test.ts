import { emptyMedication } from '@rxscan/contracts';
import { describe, expect, it } from 'vitest';
import { emptyRecord, needsReview, parseLabel, zeroRecordConfidence, type ParsedLabel } from './label.parser.js';
import { reading } from './ocr-reading.fixture.js';
import { DISAGREEMENT_CAP, mergeParsed, sameValue } from './parse.merge.js';
import type { FieldConfidence } from './types.js';

const parsed = (fields: Partial<Record<string, [unknown, number]>>): ParsedLabel => {
  const medication = emptyMedication() as Record<string, unknown>;
  const confidence = Object.fromEntries(Object.keys(medication).map((k) => [k, 0])) as FieldConfidence;
  for (const [k, [v, c]] of Object.entries(fields) as [keyof FieldConfidence, [unknown, number]][]) {
    medication[k] = v;
    confidence[k] = c;
  }
  return { medication: medication as ParsedLabel['medication'], record: emptyRecord(), confidence: { ...confidence, ...zeroRecordConfidence() } };
};

describe('mergeParsed', () => {
  it('fills a field only the second pass found', () => {
    const { parsed: m, from } = mergeParsed(parsed({ name: ['Glipizide', 0.95] }), parsed({ quantity: [100, 0.9] }));
    expect(m.medication).toMatchObject({ name: 'Glipizide', quantity: 100 });
    expect(m.confidence.quantity).toBe(0.9);
    expect(from).toMatchObject({ name: 'a', quantity: 'b' });
  });

  it('does not count two preprocessings of one photo that agree as two looks', () => {
    const { parsed: m, agreed } = mergeParsed(parsed({ dosage: ['49 mg', 0.6] }), parsed({ dosage: ['49 MG', 0.6] }));
    expect(m.confidence.dosage).toBe(0.6);
    expect(agreed.has('dosage')).toBe(true);
  });

  it('takes two strengths a decimal point apart for two readings, not one', () => {
    const { parsed: m, agreed } = mergeParsed(parsed({ dosage: ['25 mg', 0.9] }), parsed({ dosage: ['2.5 MG', 0.6] }));
    expect(agreed.has('dosage')).toBe(false);
    expect(m.confidence.dosage).toBe(DISAGREEMENT_CAP);
    expect(sameValue('1.25 mg', '125 mg')).toBe(false);
    expect(sameValue('2.5 mg', '2.5MG')).toBe(true);
  });

  it('caps a field the passes disagree on', () => {
    const { parsed: m, agreed } = mergeParsed(parsed({ schedule: ['Once daily', 0.95] }), parsed({ schedule: ['Twice daily', 0.9] }));
    expect(agreed.has('schedule')).toBe(false);
    expect(m.medication.schedule).toBe('Once daily');
    expect(m.confidence.schedule).toBe(DISAGREEMENT_CAP);
  });

  // A third look reading one of the two numbers again settles nothing: it sees the same pixels, and
  // one look of the first two was already wrong ("Qty: 4" twice, "Qty: 24" once, for 24).
  it.each(['quantity', 'dosage'] as const)('keeps a %s two looks read differently in dispute when a further look agrees with one', (f) => {
    const [x, y] = f === 'quantity' ? [4, 24] : ['20 mg', '40 mg'];
    const first = mergeParsed(parsed({ [f]: [x, 0.88] }), parsed({ [f]: [y, 0.73] })).parsed;
    expect(first.confidence[f]).toBe(DISAGREEMENT_CAP);
    const { parsed: m } = mergeParsed(first, parsed({ [f]: [x, 0.88] }));
    expect(m.medication[f]).toBe(x);
    expect(m.confidence[f]).toBe(DISAGREEMENT_CAP);
    expect(needsReview(m)).toBe(true);
  });

  it.each([
    ['did not read', null, 0],
    ['read more doubtfully than not', 1, 0.26],
  ])('lets a further look settle a number that one of two looks %s', (_, other, conf) => {
    const first = mergeParsed(parsed({ quantity: [24, 0.6] }), parsed({ quantity: [other, conf] })).parsed;
    const { parsed: m } = mergeParsed(first, parsed({ quantity: [24, 0.88] }));
    expect(m.medication.quantity).toBe(24);
    expect(m.confidence.quantity).toBeGreaterThan(0.85);
  });

  it('keeps with each value whether it was read as printed and independently checked, from the reading it came from', () => {
    const a = { ...parsed({ name: ['Glipizide', 0.8], quantity: [100, 0.8] }), asPrinted: { name: false, quantity: true }, checked: { name: true, quantity: false } };
    const b = { ...parsed({ name: ['Glipizide', 0.7], quantity: [100, 0.88] }), asPrinted: { name: true, quantity: true }, checked: { name: true, quantity: true } };
    const { parsed: m } = mergeParsed(a, b);
    expect(m.asPrinted).toMatchObject({ name: false, quantity: true });
    expect(m.checked).toMatchObject({ name: true, quantity: true });
  });
});

describe('two looks that read the count differently', () => {
  // Half a tablet three times a day is 1.5 a day: 42 is 28 days of it, 427 no usual number of days.
  // One look read "427TAB" (a glyph glued before the unit) more confidently than the other read
  // "42 TAB" (fresh seed 69000); the count that fits the directions is offered, and stays in review.
  const look = (count: string, conf: number) =>
    parseLabel(reading('RAFAEL KERRIGAN', 'TAKE ONE-HALF TABLET ORALLY EVERY EIGHT HOURS', `${count}~${conf} TAB JAMP-COLCHICINE 0.6mg`, 'colchicine DIN: 02373823'));
  it.each([
    ['the more confident look', look('427', 80), look('42', 60)],
    ['the less confident look', look('42', 60), look('427', 80)],
  ])('takes the usual fill over %s, unsure', (_, a, b) => {
    expect(a.medication.quantity).not.toBe(b.medication.quantity);
    const { parsed: m } = mergeParsed(a, b);
    expect(m.medication.quantity).toBe(42);
    expect(needsReview(m)).toBe(true);
  });
  it('takes no count lasting longer than the longest fill for a usual one', () => {
    // "660 TABLETS" at one a day (660 days, a whole ten of them) against "60" (fresh seed 84000).
    const daily = (count: string, conf: number) => parseLabel(reading('COLCHICINE 0.6 MG TABLET', 'TAKE 1 TABLET BY MOUTH EVERY EVENING', 'QUANTITY', `${count}~${conf} TABLETS`));
    expect(mergeParsed(daily('660', 90), daily('60', 80)).parsed.medication.quantity).toBe(60);
    expect(mergeParsed(daily('60', 80), daily('660', 90)).parsed.medication.quantity).toBe(60);
  });
  it('takes, of two usual fills, the one for a common period', () => {
    // Two every four hours: 1080 is 90 days, 1680 is 140 (whole weeks and tens, but no usual fill's length).
    const often = (count: string, conf: number) => parseLabel(reading('GIVE TWO TABLETS EVERY FOUR HOURS', `${count}~${conf} TAB TRAMADOL HCL 50mg`));
    expect(mergeParsed(often('1680', 93), often('1080', 85)).parsed.medication.quantity).toBe(1080);
    expect(mergeParsed(often('1080', 85), often('1680', 93)).parsed.medication.quantity).toBe(1080);
    // The look that read 1080 read the directions past knowing how often: the other look's say.
    const garbled = parseLabel(reading('GIVE Tin TABLETS EXERY FOUR. Bows', '1080~85 TAB TRAMADOL HCL 50mg'));
    expect(garbled.medication.schedule).toBeNull();
    expect(mergeParsed(often('1680', 93), garbled).parsed.medication.quantity).toBe(1080);
  });
  it('keeps the more confident count when neither is a usual fill', () => {
    const { parsed: m } = mergeParsed(look('437', 80), look('43', 60));
    expect(m.medication.quantity).toBe(437);
  });
  // One look lost the directions, so it could not check its count; the other read them and a count
  // that is no usual fill of them ("Quantity" / "224" against "24" for two capsules four times a day:
  // 224 is 28 days, 24 is 3; fresh seed 75300).
  const stacked = (count: string, conf: number, sig: string | null) =>
    parseLabel(reading('HUGO TAYLOR', 'GABAPENTIN 400 MG CAPSULE', ...(sig ? [sig] : []), 'Quantity', `${count}~${conf}`, 'Refills remaining', '0'));
  it.each([
    ['first', stacked('224', 77, null), stacked('24', 87, 'TAKE TWO CAPSULES 4 TIMES A DAY AFTER MEALS')],
    ['second', stacked('24', 87, 'TAKE TWO CAPSULES 4 TIMES A DAY AFTER MEALS'), stacked('224', 77, null)],
  ])('judges the count of a look without directions by the other look\'s (%s)', (_, a, b) => {
    const { parsed: m } = mergeParsed(a, b);
    expect(m.medication.quantity).toBe(224);
    expect(needsReview(m)).toBe(true);
  });
  it('keeps the more confident count when the other look\'s is no usual fill of the directions either', () => {
    // One a day: 24 days and 23, neither a usual fill. (24 at eight a day, as above, is three days,
    // now doubted as fewer than any course.)
    const { parsed: m } = mergeParsed(stacked('23', 77, null), stacked('24', 87, 'TAKE ONE CAPSULE DAILY AFTER MEALS'));
    expect(m.medication.quantity).toBe(24);
  });
  // Both looks read "126" for 120 (a slashed zero read as 6): at two a day 63 days, where one
  // look-alike digit gives 60. The look that read the directions doubts it; the one that lost them
  // could not check it, and its surer reading must not stand for both (fresh seed 176700).
  const twoADay = 'TAKE TWO CAPSULES ONCE DAILY';
  it.each([
    ['first', stacked('126', 90, twoADay), stacked('126', 96, null)],
    ['second', stacked('126', 96, null), stacked('126', 90, twoADay)],
  ])('keeps the doubt the directions cast on a count both looks read alike, where only one read them (%s)', (_, a, b) => {
    expect(a.countDoubted || b.countDoubted).toBe(true);
    const { parsed: m } = mergeParsed(a, b);
    expect(m.medication.quantity).toBe(126);
    expect(needsReview(m)).toBe(true);
    expect(m.countDoubted).toBe(true);
  });
  it('is as sure of a count both looks read alike as the surer look, where the directions do not doubt it', () => {
    const { parsed: m } = mergeParsed(stacked('120', 80, twoADay), stacked('120', 96, null));
    expect(m.confidence.quantity).toBeGreaterThanOrEqual(stacked('120', 96, null).confidence.quantity);
  });
});

describe('two looks that read the name differently', () => {
  // One look read "JNW-ENPAGLIFLOZIN" at word confidence 0, the other only "TFLOZIN" at 74 (fresh
  // seed 69000): the name the lexicon knows is offered over the fragment, and stays in review.
  const known = { ...parsed({ name: ['Empagliflozin', 0] }), checked: { name: true } };
  const fragment = { ...parsed({ name: ['Tflozin', 0.49] }), checked: { name: false } };
  it.each([[known, fragment], [fragment, known]])('takes the name the lexicon knows', (a, b) => {
    const { parsed: m } = mergeParsed(a, b);
    expect(m.medication.name).toBe('Empagliflozin');
    expect(m.confidence.name).toBeLessThanOrEqual(DISAGREEMENT_CAP);
  });
  it('takes the more confident of two unrelated names, whichever the lexicon knows', () => {
    // A sticker's "WERE" matched a lexicon word in one look; the other read a drug the lexicon lacks.
    const sticker = { ...parsed({ name: ['Wera', 0.1] }), checked: { name: true } };
    const unknown = { ...parsed({ name: ['Jamp-Gepirone', 0.76] }), checked: { name: false } };
    expect(mergeParsed(sticker, unknown).parsed.medication.name).toBe('Jamp-Gepirone');
    expect(mergeParsed(unknown, sticker).parsed.medication.name).toBe('Jamp-Gepirone');
  });
  it('takes the more confident of two names the lexicon knows', () => {
    const other = { ...parsed({ name: ['Dapagliflozin', 0.6] }), checked: { name: true } };
    expect(mergeParsed(known, other).parsed.medication.name).toBe('Dapagliflozin');
  });
  // "2uranolone" and "Zuranolone" in the two looks of a camera photo, a drug the lexicon lacks (fresh seed 91200).
  it('takes, of two readings of a name the lexicon lacks, the one with no digit among its letters', () => {
    const digit = { ...parsed({ name: ['2uranolone', 0.4] }), checked: { name: false } };
    const letters = { ...parsed({ name: ['Zuranolone', 0.39] }), checked: { name: false } };
    expect(mergeParsed(digit, letters).parsed.medication.name).toBe('Zuranolone');
    expect(mergeParsed(letters, digit).parsed.medication.name).toBe('Zuranolone');
    expect(mergeParsed(digit, letters).parsed.confidence.name).toBeLessThanOrEqual(DISAGREEMENT_CAP);
    // Digits after a name's letters are printed ones: the more confident reading decides.
    const b12 = { ...parsed({ name: ['Vitamin B12', 0.6] }), checked: { name: false } };
    const b2 = { ...parsed({ name: ['Vitamin B2', 0.5] }), checked: { name: false } };
    expect(mergeParsed(b2, b12).parsed.medication.name).toBe('Vitamin B12');
  });
});

describe('two looks that read a strength differently, of a drug listed in neither', () => {
  // Strengths follow a few round series: 83 of the lexicon's drugs are made in 30 mg, 5 in 36 mg. Two
  // looks of a camera photo read "Zuranolone 36mg" and "30mg" at 91 each (fresh seed 86100); the
  // far commoner is taken, whichever look was the more confident, and stays in dispute.
  const look = (strength: string, conf: number) => parseLabel(reading(`360 Zorblexane ${strength}~${conf} capsules`, 'Take ONE capsule FOUR times a day'));
  it.each([
    ['the more confident look', look('36mg', 92), look('30mg', 90)],
    ['the less confident look', look('30mg', 90), look('36mg', 92)],
  ])('takes the common strength over %s, unsure', (_, a, b) => {
    expect(a.medication.dosage).not.toBe(b.medication.dosage);
    const { parsed: m } = mergeParsed(a, b);
    expect(m.medication.dosage).toBe('30 mg');
    expect(m.confidence.dosage).toBeLessThanOrEqual(DISAGREEMENT_CAP);
  });
  it('takes, of the same strength read with and without what it is per, the fuller', () => {
    // (Fresh seed 88200 read the cut look as "100 UNITS/M", which round 37 reads as per mL itself.)
    const cut = parseLabel(reading('INSULIN ASPART 100 UNITS~90', 'Inject 6 units subcutaneously one time daily'));
    const full = parseLabel(reading('INSULIN ASPART 100 UNITS/ML~80 SOLN', 'Inject 6 units subcutaneously one time daily'));
    expect([cut.medication.dosage, full.medication.dosage]).toEqual(['100 units', '100 units/mL']);
    expect(mergeParsed(cut, full).parsed.medication.dosage).toBe('100 units/mL');
    expect(mergeParsed(full, cut).parsed.medication.dosage).toBe('100 units/mL');
  });
  it('takes the more confident where neither strength is far commoner', () => {
    // 80 mg (44 drugs) and 30 mg (83): both common, so the lexicon cannot say which was printed.
    const { parsed: m } = mergeParsed(look('80mg', 92), look('30mg', 90));
    expect(m.medication.dosage).toBe('80 mg');
  });
});

describe('a count one look read without the directions that say it is grams', () => {
  // One look of a hard photo read the spray's directions and "ony" / "176" (17 g, its g read as a 6:
  // offered as 17, doubted); the other lost the directions and kept 176, more confidently (fresh seed 86400).
  const withSig = parseLabel(reading('MOMETASONE FUROATE 50 MCG NASAL SPRAY', 'USE 2 SPRAYS IN EACH NOSTRIL ONCE A DAY', 'QTY', '176~60'));
  const without = parseLabel(reading('ASONE FUROATE 50 MC', 'jo SPRAYS IN EACH NOSTR EAD', 'QTY', '176~96'));
  it.each([
    ['first', withSig, without],
    ['second', without, withSig],
  ])('takes the size in grams, the look with the directions %s, unsure', (_, a, b) => {
    expect(withSig.medication.quantity).toBe(17);
    expect(without.medication.quantity).toBe(176);
    const { parsed: m } = mergeParsed(a, b);
    expect(m.medication.quantity).toBe(17);
    expect(m.confidence.quantity).toBeLessThan(0.85);
  });
});

describe('looks that read the printed days supply differently', () => {
  // "Oty 18" over "Days supply 18" in one look of a hard photo, "Days supply 10" in the other, for 10
  // and 10 (fresh seed 101400): the count was checked against a days supply misread the same way.
  // (Eighteen days, no usual period, no longer check a count of 18 at all since round 38, misreadAlike;
  // 28 for 20 is a misread to usual days that still does.)
  const look = (qty: string, days: string) => parseLabel(reading('Fluoxetine HCL 40 mg capsule', `${qty}`, `Days supply ${days} Rx 9390154`, 'TAKE 1 CAPSULE ORALLY NIGHTLY AT BEDTIME'));
  it('no longer holds the count checked against either, and doubts it', () => {
    const misread = look('Qty 28', '28');
    expect(misread.checked?.quantity).toBe(true);
    const { parsed: m } = mergeParsed(look('ty 20', '20'), misread);
    expect(m.medication.quantity).toBe(28);
    expect(m.checked?.quantity).toBe(false);
    expect(m.confidence.quantity).toBeLessThanOrEqual(DISAGREEMENT_CAP);
    expect(needsReview(m)).toBe(true);
  });
  it('keeps the check of a count both looks read alike, whatever one read for the days', () => {
    const { parsed: m } = mergeParsed(look('Qty 28', '23'), look('Qty 28', '28'));
    expect(m.checked?.quantity).toBe(true);
  });
  it('keeps the check when the looks read the same days supply', () => {
    const { parsed: m } = mergeParsed(look('Qty 28', '28'), look('Qty 28', '28'));
    expect(m.checked?.quantity).toBe(true);
    expect(m.daysSupply).toBe(28);
  });
});

describe('two looks that read the same digits of a count, one with a mark after them', () => {
  // "qr: 5" in one look, "gry: 5%" in the other, for 56 at one tablet twice a day (a hard photo,
  // fresh seed 105300): the mark says a digit was lost, whichever look's count is taken.
  const look = (count: string) => parseLabel(reading('TAKE 1 TABLET ORALLY 2 TIMES A DAY', 'VALSARTAN 160MG TAB', `${count} REFILLS: 4`));
  it("carries the usual fill the marked look found", () => {
    const { parsed: m } = mergeParsed(look('qr: 5'), look('gry: 5%'));
    expect(m.medication.quantity).toBe(5);
    expect(m.usualNear).toMatchObject({ read: 5, usual: 56 });
    expect(mergeParsed(look('gry: 5%'), look('qr: 5')).parsed.usualNear).toMatchObject({ read: 5, usual: 56 });
  });
  it('carries none to a count read otherwise', () => {
    expect(mergeParsed(look('qr: 6'), look('gry: 5%')).parsed.usualNear?.usual).not.toBe(56);
  });
});

describe("two looks that read a cream's weight differently", () => {
  // "ty: 4" and "Qty: 4S" for 45 g of a cream twice a day (a hard photo, fresh seed 105900): 45 g is a
  // tube, 4 g none; the tube is taken, still doubted.
  const look = (count: string) => parseLabel(reading('APPLY A THIN LAYER TO THE AFFECTED AREA BID', 'Tenovate 0.05%', `${count} Refills: 8`));
  it('takes the one that is a tube size, still doubted', () => {
    for (const [a, b] of [[look('ty: 4'), look('Qty: 4S')], [look('Qty: 4S'), look('ty: 4')]] as const) {
      const { parsed: m } = mergeParsed(a, b);
      expect(m.medication.quantity).toBe(45);
      expect(needsReview(m)).toBe(true);
    }
  });
});
