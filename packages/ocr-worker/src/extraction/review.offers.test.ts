import { describe, expect, it } from 'vitest';
import { CERTAIN, parseLabel } from './label.parser.js';
import { mergeParsed } from './parse.merge.js';
import { rereadConfirms } from './line.verify.js';
import { offerListedStrength, offerPointedCount, offerUsualCount } from './review.offers.js';
import { reading } from './ocr-reading.fixture.js';

describe('a doubted count that is no usual fill, one look-alike digit from exactly one', () => {
  // Counts are dose × doses a day × a usual period (7, 14, 28, 30, 90 days …): "276" for three every
  // eight hours is 270 misread, "1 TABLETS" for one a day is 7 (fresh seed 72000).
  const label = (count: string, sig = 'TAKE 3 TABLETS BY MOUTH EVERY 8 HOURS') => parseLabel(reading(sig, 'LISINOPRIL 10 MG TABLET', `QTY: ${count}~60 TABLETS`));
  it.each([
    ['276', 270, 'TAKE 3 TABLETS BY MOUTH EVERY 8 HOURS'],
    ['1', 7, 'TAKE 1 TABLET BY MOUTH EACH DAY'],
    ['726', 720, 'TAKE 2 TABLETS BY MOUTH EVERY 4 HOURS'],
  ])('offers %s as %s once every look is taken, still doubted', (count, usual, sig) => {
    const parsed = label(count, sig);
    // The parse keeps what was read, so the other looks and the re-reads are compared with it.
    expect(parsed.medication.quantity).toBe(Number(count));
    expect(parsed.confidence.quantity).toBeLessThan(CERTAIN);
    const offered = offerUsualCount(parsed);
    expect(offered.medication.quantity).toBe(usual);
    expect(offered.confidence.quantity).toBeLessThan(CERTAIN);
  });
  it('keeps a count read clearly as printed, usual fill or not ("QTY 30" for two tablets twice a day)', () => {
    const clear = parseLabel(reading('TAKE 2 TABLETS BY MOUTH TWICE A DAY', 'PRAVASTATIN SODIUM 40 MG TABLET', 'QTY 30~95 Refills remaining: 5'));
    expect(clear.medication.quantity).toBe(30);
    expect(offerUsualCount(clear).medication.quantity).toBe(30);
  });
  it('offers a count read clearly that is neither whole days of the directions nor a round ten', () => {
    // "246 TABLETS" at two four times a day is 30.75 days: no pharmacy counts that out (both looks of a
    // hard photo at 92 and 96, for 240; fresh seed 86400). A clear 250 (a round ten) is kept.
    const odd = parseLabel(reading('TAKE TWO TABLETS QID', 'DICLOFENAC SODIUM 50 MG TABLET', 'QTY: 246~95 TABLETS'));
    expect(odd.confidence.quantity).toBeLessThan(CERTAIN);
    expect(offerUsualCount(odd).medication.quantity).toBe(240);
    const round = parseLabel(reading('TAKE TWO TABLETS QID', 'DICLOFENAC SODIUM 50 MG TABLET', 'QTY: 250~95 TABLETS'));
    expect(offerUsualCount(round).medication.quantity).toBe(250);
  });
  it('keeps a usual count, and one with two usual fills a digit away, as read', () => {
    expect(offerUsualCount(label('90', 'TAKE 1 TABLET BY MOUTH DAILY')).medication.quantity).toBe(90);
    // 66 once a day: 56 (eight weeks) and 60 are both usual, each one look-alike digit away.
    expect(offerUsualCount(label('66', 'TAKE 1 TABLET BY MOUTH DAILY')).medication.quantity).toBe(66);
  });
  it('offers, of several usual fills a digit away, the one that fills a common period', () => {
    // "128 CAPSULES" at two a day (64 days; a hard photo, fresh seed 83100): 120 is 60 days, 126 is
    // 63 (nine weeks, usual but rare), 728 a year: 120.
    const p = label('128~80', 'TAKE 1 CAPSULE BY MOUTH 2 TIMES A DAY');
    expect(p.confidence.quantity).toBeLessThan(CERTAIN);
    expect(offerUsualCount(p).medication.quantity).toBe(120);
  });
  it('offers, for a count whose last digit was read as a mark, the one usual fill those digits open', () => {
    // "QTY: 4%" for 45 at one and a half tablets three times a day (both looks of a hard photo, fresh
    // seed 103500): 45 is ten days, no other count from 40 to 49 is a usual period; "6°" for 60 a day each.
    const marked = (count: string, sig: string) => offerUsualCount(parseLabel(reading('APIXABAN 2.5MG TAB', sig, `QTY: ${count}~80 Refills remaining: 0`)));
    const lost = marked('4%', 'TAKE 1.5 TABLETS BY MOUTH 3 TIMES DAILY');
    expect(lost.medication.quantity).toBe(45);
    expect(lost.confidence.quantity).toBeLessThan(CERTAIN);
    expect(marked('6°', 'TAKE 1 TABLET BY MOUTH DAILY').medication.quantity).toBe(60);
    // Where two counts those digits open fill a common period alike, none is offered: 21 and 28 at one a day.
    expect(marked('2%', 'TAKE 1 TABLET BY MOUTH DAILY').medication.quantity).toBe(2);
  });
  it('leaves a count a digit from two common periods as read', () => {
    // 26 at two a day (13 days): 20 is ten days, 28 two weeks.
    expect(offerUsualCount(label('26~80', 'TAKE 1 TABLET BY MOUTH TWICE A DAY')).medication.quantity).toBe(26);
  });
  it('offers the fill for a clearly read count that another look read otherwise', () => {
    // "Qty: 186" and "Qty: 188" at 90-92 for 180, two tablets at night (fresh seed 85200, a hard photo).
    const night = (count: string) => parseLabel(reading('ONDANSETRON 4MG TABLETS', 'Take TWO tablets at NIGHT before bed', `Qty: ${count}~92 Repeats: 3`));
    expect(offerUsualCount(night('186')).medication.quantity).toBe(186);
    const merged = mergeParsed(night('186'), night('188')).parsed;
    expect(offerUsualCount(merged).medication.quantity).toBe(180);
    expect(offerUsualCount(mergeParsed(night('186'), night('186')).parsed).medication.quantity).toBe(186);
  });
  it('leaves a count another look read as a usual fill to the merge, which takes that one', () => {
    const merged = mergeParsed(label('276'), label('270')).parsed;
    expect(merged.medication.quantity).toBe(270);
    expect(offerUsualCount(merged).medication.quantity).toBe(270);
  });
  it('is not what a re-read is compared with: a re-read of the same misread does not confirm the fill', () => {
    expect(rereadConfirms('quantity', label('276'), label('270'))).toBe(false);
  });
});

describe('a doubted strength the drug is not made in, where a re-read read one it is', () => {
  const page = (strength: string) => parseLabel(reading('MIRTAZAPINE ' + strength + '~40 TAB', 'GIVE ONE TABLET Q8H', 'DISPENSED: 42 TABLETS'));
  it('offers the listed strength the re-read of its line found, still doubted', () => {
    const doubted = page('306MG');
    expect(doubted.confidence.dosage).toBeLessThan(CERTAIN);
    const offered = offerListedStrength(doubted, [parseLabel(reading('MIRTAZAPINE 30MG', 'DISPENSED: 42 TABLETS'))]);
    expect(offered.medication.dosage).toBe('30 mg');
    expect(offered.confidence.dosage).toBeLessThan(CERTAIN);
  });
  it('offers nothing when the re-reads read another drug, two listed strengths, or none', () => {
    const doubted = page('306MG');
    expect(offerListedStrength(doubted, [parseLabel(reading('LISINOPRIL 10 MG TABLET'))]).medication.dosage).toBe('306 mg');
    expect(offerListedStrength(doubted, [parseLabel(reading('MIRTAZAPINE 30MG')), parseLabel(reading('MIRTAZAPINE 15MG'))]).medication.dosage).toBe('306 mg');
    expect(offerListedStrength(doubted, []).medication.dosage).toBe('306 mg');
  });
});

describe('a doubted strength read with its volume, where a re-read lost the volume', () => {
  // "INSULIN ASPART 100 UNITS/M" in a page read of a hard photo, "100 UNITS 4," in the re-read of its
  // line (batch 139200): the re-read's "100 units" was offered, listed, over the right 100 units/mL.
  it('keeps the volume: the lexicon lists strengths without it', () => {
    const page = parseLabel(reading('INSULIN ASPART 100 UNITS/M~33', 'Inject 27 units under the skin', 'Qty 10 mL'));
    expect(page.medication.dosage).toBe('100 units/mL');
    expect(page.confidence.dosage).toBeLessThan(CERTAIN);
    expect(offerListedStrength(page, [parseLabel(reading('INSULIN ASPART 100 UNITS 4,'))]).medication.dosage).toBe('100 units/mL');
  });
});

describe('a strength no listed one is near, where a re-read read the listed one in letters', () => {
  // "568G" in a page read, "HYDROXYZINE HCL SONG" (50MG, its 5 and 0 as S and O, its M as N) in the
  // re-read of the drug's line: a hard photo of fresh seed 99900.
  const page = parseLabel(reading('HYDROXYZINE HCL 568G~40 TAB', 'Take 1/2 tablet orally 3 times a day', 'Dispensed: 21 Tablets'));
  it('offers the strength the letters can be, still doubted', () => {
    expect(page.doseUnlisted).toBe(true);
    const offered = offerListedStrength(page, [parseLabel(reading('HYDROXYZINE HCL SONG'))]);
    expect(offered.medication.dosage).toBe('50 mg');
    expect(offered.confidence.dosage).toBeLessThan(CERTAIN);
  });
  it('does not put letters over a strength the drug is made in, nor offer them for another drug', () => {
    const listed = parseLabel(reading('HYDROXYZINE HCL 25MG~40 TAB', 'Take 1/2 tablet orally 3 times a day', 'Dispensed: 21 Tablets'));
    const doubted = { ...listed, confidence: { ...listed.confidence, dosage: 0.5 }, checked: { ...listed.checked, dosage: false } };
    expect(offerListedStrength(doubted, [parseLabel(reading('HYDROXYZINE HCL SONG'))]).medication.dosage).toBe('25 mg');
    expect(offerListedStrength(page, [parseLabel(reading('LISINOPRIL SONG'))]).medication.dosage).toBe('568 g');
  });
});

describe('a count read as the section sign, a 5 or an 8', () => {
  // Both looks of two hard photos (fresh seeds 111000 and 113700) read the count so: no count before.
  it('is the 5 where the directions fill a usual period with it, doubted', () => {
    const p = parseLabel(reading('Medication: Fluconazole 150 mg', 'Directions: Take one-half tablet at bedtime', 'Quantity: § Refills remaining: 2'));
    expect(offerUsualCount(p).medication.quantity).toBe(5);
    expect(p.confidence.quantity).toBeLessThan(0.5);
  });
  it('and the 8 where they fill one with that, doubted', () => {
    const p = parseLabel(reading('IMOGEN LARSEN', 'TAKE 2 TABLETS BY MOUTH EVERY 7 DAYS', '§ TAB PMS-LEVOTHYROXINE 125mcg Mfr: Nov', 'Levothyroxine DIN: 08634233'));
    const offered = offerUsualCount(p);
    expect(offered.medication.quantity).toBe(8);
    expect(offered.confidence.quantity).toBeLessThan(0.5);
  });
});

describe('no strength read at all, where a re-read read a listed one in letters', () => {
  // "20 Alprazolam mg tablets" in both page reads, its 1 lost; "Alprazolam img" in the re-read of the
  // drug's line: a camera photo of fresh seed 111600.
  const page = parseLabel(reading('20 Alprazolam mg tablets', 'Take ONE tablet every 12 hours'));
  it('offers the strength the letters can be, still doubted', () => {
    expect(page.medication.dosage).toBeNull();
    const offered = offerListedStrength(page, [parseLabel(reading('Alprazolam~96 img~66'))]);
    expect(offered.medication.dosage).toBe('1 mg');
    expect(offered.confidence.dosage).toBeLessThan(CERTAIN);
  });
  it('offers nothing for another drug', () => {
    expect(offerListedStrength(page, [parseLabel(reading('Lorazepam img'))]).medication.dosage).toBeNull();
  });
});

describe('a doubted count whose re-read found a decimal point the page read lost', () => {
  // "QTY: 25" in both page reads, "QTY: 2.5" in the re-read of the line: 2.5 mL of eye drops. (Where
  // the directions name the eye, the parse offers the tenth itself, dropsPointLost: here they do not.)
  const page = (count: string) => {
    const p = parseLabel(reading('INSTILL 1 DROP EACH DAY AS DIRECTED', 'BRIMONIDINE TARTRATE 0.2% OPH SOLN', `QTY: ${count}~60 REFILLS: 5`));
    return { ...p, confidence: { ...p.confidence, quantity: 0.5 } };
  };
  const reread = (count: string) => parseLabel(reading('BRIMONIDINE TARTRATE 0.2%', `QTY: ${count}`));
  it('offers the pointed count, still doubted', () => {
    const offered = offerPointedCount(page('25'), [reread('2.5')]);
    expect(offered.medication.quantity).toBe(2.5);
    expect(offered.confidence.quantity).toBeLessThan(CERTAIN);
  });
  it('offers nothing for other digits, two re-read counts, none, or a count left sure', () => {
    expect(offerPointedCount(page('25'), [reread('3.5')]).medication.quantity).toBe(25);
    expect(offerPointedCount(page('25'), [reread('2.5'), reread('25')]).medication.quantity).toBe(25);
    expect(offerPointedCount(page('25'), []).medication.quantity).toBe(25);
    const sure = page('25');
    expect(offerPointedCount({ ...sure, confidence: { ...sure.confidence, quantity: CERTAIN } }, [reread('2.5')]).medication.quantity).toBe(25);
  });
});
