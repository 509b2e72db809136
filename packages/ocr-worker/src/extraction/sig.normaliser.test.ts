import { describe, expect, it } from 'vitest';
import { dosePerAdministration, normaliseSig, unglued } from './sig.normaliser.js';

describe('normaliseSig', () => {
  it.each([
    ['TAKE 1 TABLET BY MOUTH TWICE A DAY', 'Twice daily'],
    ['Take 1 tablet by mouth 2 times daily', 'Twice daily'],
    ['TAKE ONE TABLET BY MOUTH TWO TIMES A DAY', 'Twice daily'],
    ['TAKE 2 TABLETS BY MOUTH EVERY TWELVE HOURS WITH FOOD', 'Every 12 hours'],
    ['TAKE 1 CAPSULE BY MOUTH EVERY 8 HOURS', 'Every 8 hours'],
    ['take 1 tablet q6h', 'Every 6 hours'],
    ['TAKE ONE TABLET BY MOUTH NIGHTLY AT BEDTIME', 'At bedtime'],
    ['TAKE 1 TABLET BY MOUTH DAILY AT BEDTIME', 'At bedtime'],
    ['Take 2 tablets orally every night at bed', 'At bedtime'],
    ['TAKE 1 TABLET BY MOUTH 3 TIMES A DAY', 'Three times daily'],
    ['TAKE 1 TABLET BY MOUTH FOUR TIMES DAILY', 'Four times daily'],
    ['TAKE 1 TABLET BY MOUTH EVERY WEEK WITH FOOD', 'Once weekly'],
    ['TAKE 1 CAPSULE BY MOUTH EVERY EVENING WITH FOOD', 'Once daily'],
    ['TAKE TWO TABLETS BY MOUTH EVERY MORNING', 'Once daily'],
    ['TAKE 1 TABLET BY MOUTH ONCE DAILY IN THE MORNING ON AN EMPTY STOMACH', 'Once daily'],
    ['USE 2 SPRAYS IN EACH NOSTRIL ONCE A DAY', 'Once daily'],
    ['TAKE 1/2 TABLET BY MOUTH DAILY', 'Once daily'],
  ])('%s -> %s', (sig, schedule) => {
    const n = normaliseSig(sig);
    expect(n.schedule).toBe(schedule);
    expect(n.unambiguous).toBe(true);
  });

  it('does not read "TWICE DAILY" as once daily as well', () => {
    expect(normaliseSig('TAKE 1 TABLET TWICE DAILY').unambiguous).toBe(true);
  });

  it.each(['TAKE 1 TABLET EVERY 4 TO 6 HOURS', 'TAKE 1 TABLET TWICE DAILY AND EVERY 8 HOURS', 'TAKE AS DIRECTED', 'TAKE 2 TABLETS A DAY'])(
    'gives no schedule for vague or conflicting directions: %s',
    (sig) => {
      const n = normaliseSig(sig);
      expect(n.schedule).toBeNull();
      expect(n.unambiguous).toBe(false);
    },
  );

  it.each([
    ['TAKE 1 TABLET BY MOUTH EVERY SIX HOURS AS NEEDED FOR NAUSEA', true],
    ['INHALE 2 PUFFS EVERY 4 HOURS WHEN REQUIRED', true],
    ['TAKE 1 TABLET IF NEEDED FOR SLEEP', true],
    ['TAKE 1 TABLET DAILY', false],
  ])('as needed: %s -> %s', (sig, prn) => {
    expect(normaliseSig(sig).as_needed).toBe(prn);
  });

  it('keeps extra instructions in a canonical form', () => {
    expect(normaliseSig('TAKE 1 TABLET BY MOUTH TWICE DAILY WITH FOOD').instructions).toBe('Take with food');
    expect(normaliseSig('take one capsule daily with a full glass of water').instructions).toBe('Take with a full glass of water');
    expect(normaliseSig('TAKE 2 CAPSULES EVERY 12 HOURS ON AN EMPTY STOMACH').instructions).toBe('Take on an empty stomach');
    expect(normaliseSig('TAKE 1 TABLET DAILY').instructions).toBeNull();
  });
});

describe('Latin codes and numbers as some systems print them', () => {
  it.each([
    ['TAKE 1 TAB PO B.I.D.', 'Twice daily'],
    ['take 1 tab p.o. t.i.d.', 'Three times daily'],
    ['TAKE 1 TAB PO Q.I.D. PRN', 'Four times daily'],
    ['TAKE 1 TAB P.O. Q.D.', 'Once daily'],
    ['TAKE 1 TABLET HS', 'At bedtime'],
    ['TAKE 1 TABLET BY MOUTH AT H.S.', 'At bedtime'],
    ['Take 1 tablet by mouth every 6 (six) hours as needed for pain.', 'Every 6 hours'],
    ['Take 1 tablet by mouth 3 (three) times a day.', 'Three times daily'],
  ])('%s -> %s', (sig, schedule) => {
    expect(normaliseSig(sig).schedule).toBe(schedule);
  });

  it('keeps a number and a different word in brackets apart', () => {
    expect(normaliseSig('TAKE 1 TABLET EVERY 6 (EIGHT) HOURS').schedule).not.toBe('Every 6 hours');
  });
});

describe('correctSigWord', () => {
  it('repairs one misread letter in a directions word', async () => {
    const { correctSigWord } = await import('./sig.vocabulary.js');
    expect(correctSigWord('morming')).toBe('MORNING');
    expect(correctSigWord('Capsyle')).toBe('CAPSULE');
    expect(correctSigWord('EVERY')).toBeNull(); // already a word
    expect(correctSigWord('dasdy')).toBeNull(); // two edits from DAILY: a guess too far
  });
  it('repairs two letters read as one look-alike in a directions word (rn as m)', async () => {
    const { correctSigWord } = await import('./sig.vocabulary.js');
    expect(correctSigWord('moming')).toBe('MORNING');
    expect(correctSigWord('TIRNES')).toBe('TIMES');
  });
});

describe('normaliseSig: wordings that name a frequency other than the words matched alone', () => {
  it.each([
    ['TAKE 1 TABLET IN THE MORNING AND AT BEDTIME', 'Twice daily'],
    ['Take one tablet every morning and one tablet in the evening', 'Twice daily'],
    ['TAKE 1 CAPSULE IN THE MORNING AND EVENING', 'Twice daily'],
    ['TAKE 1 TABLET MORNING AND NIGHT WITH FOOD', 'Twice daily'],
    ['TAKE ONE TABLET EVERY MORNING AND EVENING BEFORE MEALS', 'Twice daily'],
    ['TAKE 1 TABLET AT BEDTIME AND 1 TABLET IN THE MORNING', 'Twice daily'],
    ['Take 2 tablets in the morning and 1 tablet at noon', 'Twice daily'],
    ['TAKE 1 CAPSULE MORNING, NOON AND NIGHT', 'Three times daily'],
    ['TAKE 1 TABLET WITH BREAKFAST, LUNCH AND DINNER', 'Three times daily'],
    ['TAKE 1 TABLET TWICE DAILY MORNING AND EVENING', 'Twice daily'],
    ['TAKE 1 TABLET EVERY EVENING AT BEDTIME', 'At bedtime'],
    ['TAKE 1 TABLET ONCE A WEEK ON MONDAY', 'Once weekly'],
    ['TAKE 1 TABLET ONE TIME A WEEK', 'Once weekly'],
  ])('%s -> %s', (sig, schedule) => {
    const n = normaliseSig(sig);
    expect(n.schedule).toBe(schedule);
    expect(n.unambiguous).toBe(true);
  });

  // "TWICE WEEKLY" once matched WEEKLY and was reported, unambiguous, as once weekly; the re-read
  // of the same words cannot catch a misreading of what they mean.
  it.each(['TAKE 1 TABLET TWICE WEEKLY', 'APPLY 3 TIMES A WEEK', 'TAKE 1 TABLET EVERY OTHER DAY', 'TAKE 1 TABLET DAILY ON ALTERNATE DAYS', 'INJECT 1 PEN EVERY 2 WEEKS', 'TAKE ONE TABLET MONTHLY', 'TAKE 1 TABLET IN THE MORNING FOR 5 DAYS THEN AT BEDTIME'])(
    'reports no schedule for a frequency the vocabulary does not have: %s',
    (sig) => {
      const n = normaliseSig(sig);
      expect(n.schedule).toBeNull();
      expect(n.unambiguous).toBe(false);
    },
  );
});

describe('a schedule said in digits', () => {
  // "EVERY 6 HOURS" misread as "EVERY 8 HOURS" is just as good directions: the vocabulary checks
  // words, not which digit was printed.
  it.each([
    ['TAKE 1 TABLET EVERY 6 HOURS', true],
    ['TAKE 1 TABLET Q8H', true],
    ['TAKE 1 TABLET 3 TIMES DAILY', true],
    ['TAKE 2 TABLETS TWICE DAILY', false],
    ['TAKE 1 TABLET BY MOUTH DAILY', false],
    ['TAKE ONE TABLET EVERY EIGHT HOURS', false],
  ])('%s -> numeric %s', (sig, numeric) => {
    expect(normaliseSig(sig).numeric).toBe(numeric);
  });
});

describe('a choice of how often is not one schedule', () => {
  it.each(['TAKE 1 TABLET ONCE OR TWICE DAILY', 'TAKE 1 TABLET 2 TO 3 TIMES A DAY', 'TAKE 1-2 TABLETS 1-2 TIMES DAILY'])('%s -> none', (sig) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule: null, unambiguous: false });
  });
  it('while a choice of dose keeps its schedule', () => {
    expect(normaliseSig('TAKE 1 TO 2 TABLETS TWICE DAILY').schedule).toBe('Twice daily');
    expect(normaliseSig('TAKE 1 TO 2 TABLETS DAILY').schedule).toBe('Once daily');
  });
});

describe('an interval of hours read with look-alike letters', () => {
  it.each([
    ['Take one tablet ql2h after meals', 'Every 12 hours'],
    ['Take one tablet g4h', 'Every 4 hours'],
    ['TAKE 1 TABLET QI2H', 'Every 12 hours'],
    ['TAKE ONE CAPSULE Q\\2H', 'Every 12 hours'],
  ])('%s -> %s', (sig, schedule) => {
    expect(normaliseSig(sig).schedule).toBe(schedule);
  });
});

describe("an interval code's 1 read twice, as a stroke and a digit", () => {
  it.each([
    ['Take one tablet by mouth qi12h with food', 'Every 12 hours'],
    ['TAKE 1 TABLET Q1I2H', 'Every 12 hours'],
  ])('%s -> %s, doubted', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('leaves a code read whole as printed', () => {
    expect(normaliseSig('Take one tablet by mouth q12h with food')).toMatchObject({ schedule: 'Every 12 hours', repaired: false });
  });
});

describe('dosePerAdministration', () => {
  it('reads a dose with a decimal point, a half and whole doses', () => {
    expect(dosePerAdministration('TAKE 1.5 TABLETS 2 TIMES A DAY')).toBe(1.5);
    expect(dosePerAdministration('TAKE HALF TABLET DAILY')).toBe(0.5);
    expect(dosePerAdministration('Take 0.5 tablet daily')).toBe(0.5);
    expect(dosePerAdministration('TAKE TWO CAPSULES')).toBe(2);
  });
  it('takes no dose that is not whole, halves or quarters: a misread digit ("1.9" for 1.5)', () => {
    expect(dosePerAdministration('GIVE 1.9 TABLETS BY MOUTH TWICE A DAY')).toBeNull();
    expect(dosePerAdministration('TAKE 0.25 TABLET DAILY')).toBe(0.25);
  });
  it('reads the dose after whatever word opens the directions, a verb misread past knowing or one it does not list', () => {
    expect(dosePerAdministration('TE 1 TABLET BY MOUTH ONCE DAILY')).toBe(1);
    expect(dosePerAdministration('PLACE 1 TABLET UNDER THE TONGUE')).toBe(1);
    expect(dosePerAdministration('APPLY A THIN LAYER 2 TIMES DAILY')).toBeNull();
  });
  it('reads a dose in words with one letter of three misread, after the verb and before the form', () => {
    expect(dosePerAdministration('TAKE THO TABLETS 2 TIMES DAILY')).toBe(2);
    expect(dosePerAdministration('TAKE OME TABLET DAILY')).toBe(1);
    expect(dosePerAdministration('TAKE THE TABLETS DAILY')).toBeNull();
  });
  it('reads a 1 read as a bar or an I before the form as the 1', () => {
    expect(dosePerAdministration('(JIVE | TABLET BY MOUTH EVERY NIGHT AT BEDTIME')).toBe(1);
    expect(dosePerAdministration('TAKE I CAPSULE DAILY')).toBe(1);
    expect(dosePerAdministration('Take l tablet daily')).toBe(1);
    expect(dosePerAdministration('TAKE | DAILY')).toBeNull();
  });
  it('takes no dose where a stroke stands alone before its digits: digits of it were lost ("| 5" for 1.5)', () => {
    expect(dosePerAdministration('GIVE | 5 TABLETS BY MOUTH 2 TIMES DAILY')).toBeNull();
    expect(dosePerAdministration('GIVE 1.5 TABLETS BY MOUTH 2 TIMES DAILY')).toBe(1.5);
  });
});

describe('normaliseSig with its patterns made once', () => {
  it('answers a text the same however often and after whatever other text it is asked (no match state carried over)', () => {
    const texts = ['TAKE 1 TABLET TWICE DAILY AS NEEDED', 'TAKE 1 IN THE MORNING AND AT BEDTIME', 'INHALE 2 PUFFS EVERY 6 HOURS', 'TAKE ONE DAILY WITH FOOD', 'APPLY THINLY'];
    const first = texts.map((t) => normaliseSig(t));
    for (let round = 0; round < 3; round++) for (const [i, t] of [...texts.entries()].reverse()) expect(normaliseSig(t)).toEqual(first[i]);
    expect(first.map((n) => n.schedule)).toEqual(['Twice daily', 'Twice daily', 'Every 6 hours', 'Once daily', null]);
  });
});

describe('a frequency code read with a look-alike letter', () => {
  it('reads "gid" as QID, marked repaired', () => {
    expect(normaliseSig('Take two capsules by mouth gid with food')).toMatchObject({ schedule: 'Four times daily', repaired: true });
    expect(normaliseSig('Take two capsules by mouth qid with food')).toMatchObject({ schedule: 'Four times daily', repaired: false });
  });
  it.each([['Take 1 capsule by mouth gd until all taken', 'Once daily'], ['TAKE 1 TABLET BY MOUTH GHS', 'At bedtime'], ['Take 1 tablet gam', 'Once daily']])('reads the other codes so: "%s" as %s, marked repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
    expect(normaliseSig(sig.replace(/\bg(?=d\b|hs\b|am\b)/i, (g) => (g === 'g' ? 'q' : 'Q')))).toMatchObject({ schedule, repaired: false });
  });
  it('reads "gq4h" as Q4H, as "g4h" is: the digit, not the letter, carries the interval', () => {
    expect(normaliseSig('Take one-half tablet by mouth gq4h if needed')).toMatchObject({ schedule: 'Every 4 hours', as_needed: true, repaired: false });
    expect(normaliseSig('Take one capsule by mouth qg4h when required')).toMatchObject({ schedule: 'Every 4 hours', as_needed: true, repaired: false });
  });
  // "GIVE 2 TABLETS ORALLY QO" for QD, a hard photo (batch 137100): no schedule was read.
  it('reads QD with its D read as O as once daily, repaired, and no word holding QO', () => {
    expect(normaliseSig('GIVE 2 TABLETS ORALLY QO')).toMatchObject({ schedule: 'Once daily', repaired: true });
    expect(normaliseSig('GIVE 2 TABLETS ORALLY Q0 WITH FOOD')).toMatchObject({ schedule: 'Once daily', repaired: true });
    expect(normaliseSig('GIVE 2 TABLETS ORALLY QOD').schedule).not.toBe('Once daily');
  });
});

describe('a dose of one-half written in words', () => {
  it.each(['GIVE ONE-HALF TABLET 3 TIMES DAILY', 'Take one half tablet three times daily', 'TAKE 1/2 TABLET 3 TIMES DAILY'])('is half a tablet: %s', (sig) => {
    expect(dosePerAdministration(sig)).toBe(0.5);
  });
});

describe('two directions words whose space was lost', () => {
  // Blur and tight fonts lose the space between words ("AFFECTED AREATID", "ONCEDAILY"). A word the
  // vocabulary lacks that is one known word then another, in one way only, is read as the two; a
  // schedule that needed it is not as printed, so a person or a re-read that sees the space confirms it.
  it.each([
    ['APPLY ATHIN LAYER TO AFFECTED AREATID', 'Three times daily'],
    ['TAKE 1 TABLET ONCEDAILY', 'Once daily'],
    ['TAKE 1 CAPSULE BY MOUTH TWICEDAILY', 'Twice daily'],
    // The article glued to a four-letter word ("TWICE aday", both looks of a hard photo, fresh seed 87600).
    ['Take TWO tablets TWICE aday', 'Twice daily'],
  ])('reads %s as %s, repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('reads a count glued to the directions word after it as the two, repaired', () => {
    expect(normaliseSig('Give 1/2 tablet by mouth 1time a day')).toMatchObject({ schedule: 'Once daily', repaired: true });
    // Not once daily by its DAILY alone.
    expect(normaliseSig('Take 1 tablet by mouth 2times daily')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    // Nor are a strength's or a code's letters a word ("5MG", "Q12H").
    expect(normaliseSig('TAKE 1 TABLET Q12H')).toMatchObject({ schedule: 'Every 12 hours', repaired: false });
  });
  it('leaves a schedule read without it as printed', () => {
    expect(normaliseSig('TAKE ONE TABLET BYMOUTH EVERY DAY')).toMatchObject({ schedule: 'Once daily', repaired: false });
  });
  it('splits only a word the vocabulary lacks, and only one way', () => {
    expect(unglued('BEDTIME')).toBeNull();
    expect(unglued('AREATID')).toBe('AREA TID');
    expect(unglued('PAINT')).toBeNull();
    // Four letters only after an A, into A and a word.
    expect(unglued('ADAY')).toBe('A DAY');
    expect(unglued('ONCE')).toBeNull();
    expect(unglued('AREA')).toBeNull();
  });
});

describe('once a day said by its time, beside another time of day', () => {
  // "EVERY MORNING AND EVENING" whose AND went to the line above (a tilted photo) read as once daily
  // at 0.98 and was saved unreviewed. Two times of day name two doses, or two schedules.
  it('is no schedule when another time of day is left over', () => {
    expect(normaliseSig('TAKE ONE CAPSULE BY MOUTH EVERY MORNING EVENING').schedule).toBeNull();
    expect(normaliseSig('TAKE 1 TABLET IN THE EVENING ... MORNING').schedule).toBeNull();
  });
  it('keeps once daily when the other words name the same time, or the schedule named no time', () => {
    expect(normaliseSig('TAKE 1 TABLET EVERY MORNING WITH BREAKFAST').schedule).toBe('Once daily');
    expect(normaliseSig('TAKE 1 TABLET EVERY EVENING WITH SUPPER').schedule).toBe('Once daily');
    expect(normaliseSig('TAKE 1 TABLET ONCE DAILY AT NIGHT').schedule).toBe('Once daily');
    expect(normaliseSig('TAKE 1 TABLET EVERY MORNING AND EVENING').schedule).toBe('Twice daily');
  });
});

describe("a code's Q read as a zero", () => {
  // "Give 1/2 tablet orally 0D" for QD on a clean photo (fresh seed 72300): no schedule was read.
  it.each([
    ['Give 1/2 tablet orally 0D', 'Once daily'],
    ['TAKE 1 CAPSULE BY MOUTH 0ID', 'Four times daily'],
    ['TAKE 1 TABLET 06H AS NEEDED', 'Every 6 hours'],
    ['TAKE TWO CAPSULES ORALLY ©6H WHEN REQUIRED FOR HEADACHE', 'Every 6 hours'],
    // Or as the letter O: both looks of a clean photo in a typewriter face, probe batch 173400.
    ['TAKE ONE-HALF TABLET ORALLY OID', 'Four times daily'],
    ['TAKE 1 TABLET O8H AS NEEDED', 'Every 8 hours'],
    ['TAKE 1 CAPSULE BY MOUTH OHS', 'At bedtime'],
  ])('reads %s as %s, repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('leaves OD (an eye, or once daily in the UK), a number, and a code read right alone', () => {
    expect(normaliseSig('INSTILL 1 DROP IN OD TWICE DAILY')).toMatchObject({ schedule: 'Twice daily', repaired: false });
    expect(normaliseSig('TAKE 1 TABLET QD')).toMatchObject({ schedule: 'Once daily', repaired: false });
    expect(normaliseSig('TAKE 1 TABLET DAILY FOR 10D').schedule).toBe('Once daily');
  });
  it('reads "EVERY NIGHT" / "BEDTIME", the AT at the wrap lost, as at bedtime', () => {
    expect(normaliseSig('TAKE ONE CAPSULE ORALLY EVERY NIGHT BEDTIME UNTIL GONE').schedule).toBe('At bedtime');
  });
  it('and "DAILY" / "BEDTIME" too: bedtime is named only to mean it', () => {
    expect(normaliseSig('TAKE ONE TABLET BY MOUTH DAILY BEDTIME').schedule).toBe('At bedtime');
    expect(normaliseSig('TAKE 1 TABLET ONCE DAILY BEDTIME').schedule).toBe('At bedtime');
  });
  it('reads "at NIGHT", as British labels print it, as at bedtime, and a night dose beside another time as two a day', () => {
    expect(normaliseSig('Take ONE tablet at NIGHT')).toMatchObject({ schedule: 'At bedtime', unambiguous: true });
    expect(normaliseSig('Take ONE tablet at NIGHT before |').schedule).toBe('At bedtime');
    expect(normaliseSig('Take ONE tablet in the MORNING and ONE at NIGHT').schedule).toBe('Twice daily');
  });
  it('reads EACH before DAY with a letter misread as EACH, doubted', () => {
    expect(normaliseSig('GIVE 2 CAPSULES BY MOUTH BACH DAY DO NOT CRUSH OR CHEW')).toMatchObject({ schedule: 'Once daily', repaired: true });
    expect(normaliseSig('GIVE 2 CAPSULES BY MOUTH EACH DAY')).toMatchObject({ schedule: 'Once daily', repaired: false });
    expect(normaliseSig('TAKE 1 TABLET EVERY SAME DAY').schedule).not.toBe('Once daily');
  });
  it('reads a count glued to the word before TIMES as the count, doubted', () => {
    expect(normaliseSig('APPLY A THIN LAYER TO THE AFFECTED AREA1 TIME A DAY')).toMatchObject({ schedule: 'Once daily', repaired: true });
    expect(normaliseSig('INSTILL 1 DROP IN EYE3 TIMES DAILY')).toMatchObject({ schedule: 'Three times daily', repaired: true });
    expect(normaliseSig('APPLY TO THE AFFECTED AREA 1 TIME A DAY')).toMatchObject({ schedule: 'Once daily', repaired: false });
  });
  it('reads marks between MORNING and EVENING as AND, doubted', () => {
    expect(normaliseSig('Inhale 1 puff every morning =< evening')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    expect(normaliseSig('Inhale 1 puff every morning «1d evening')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    expect(normaliseSig('Inhale 1 puff every morning and evening')).toMatchObject({ schedule: 'Twice daily', repaired: false });
    expect(normaliseSig('Inhale 1 puff every morning or evening').schedule).toBeNull();
  });
  it('reads a word after AND that is the start of one time of day as that time, doubted', () => {
    expect(normaliseSig('TAKE 1 TABLET BY MOUTH EVERY MORNING AND EV FULL GLASS OF WATER')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    expect(normaliseSig('TAKE 1 TABLET BY MOUTH EVERY MORNING AND EVE')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    expect(normaliseSig('TAKE 1 TABLET IN THE MORNING AND AT BEDT')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    // A word, or the start of more than one time, is left as read.
    expect(normaliseSig('TAKE 1 TABLET EVERY MORNING AND AS NEEDED').schedule).toBe('Once daily');
    expect(normaliseSig('TAKE 1 TABLET EVERY MORNING AND EVENING')).toMatchObject({ schedule: 'Twice daily', repaired: false });
  });
  it('reads directions that end at AND after a time of day as two times a day, doubted', () => {
    // "… EVERY MORNING AND" with the line's end cut off in both looks of a mild photo (fresh seed 148800).
    expect(normaliseSig('APPLY A THIN LAYER TO THE AFFECTED AREA EVERY MORNING AND')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    expect(normaliseSig('TAKE 1 TABLET IN THE MORNING AND AT')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    expect(normaliseSig('TAKE 1 TABLET AT BEDTIME AND')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    // AND after no time of day, or not at the end, is left as read.
    expect(normaliseSig('TAKE 1 TABLET DAILY AND')).toMatchObject({ schedule: 'Once daily', repaired: false });
    expect(normaliseSig('TAKE 1 TABLET EVERY MORNING AND AS NEEDED').schedule).toBe('Once daily');
  });
  it('reads a number word misread before TIMES A DAY as that number, doubted', () => {
    expect(normaliseSig('APPLY A THIN LAYER TO THE AFFECTED AREA THRCL TIMES DAILY AS NEEDED')).toMatchObject({ schedule: 'Three times daily', repaired: true });
    expect(normaliseSig('TAKE 1 TABLET FOUP TIMES A DAY')).toMatchObject({ schedule: 'Four times daily', repaired: true });
    expect(normaliseSig('TAKE 1 TABLET THREE TIMES DAILY')).toMatchObject({ schedule: 'Three times daily', repaired: false });
    // Two number words alike, or none near: how often stays unread.
    expect(normaliseSig('TAKE 1 TABLET XYZQ TIMES A DAY').schedule).toBeNull();
  });
  it('reads OD as once daily where nothing goes into an eye', () => {
    expect(normaliseSig('TAKE 2 TABLETS BY MOUTH OD AS NEEDED')).toMatchObject({ schedule: 'Once daily', as_needed: true });
    expect(normaliseSig('Take ONE tablet OD')).toMatchObject({ schedule: 'Once daily', repaired: false });
    expect(normaliseSig('INSTILL 1 DROP OD')).toMatchObject({ schedule: null });
    expect(normaliseSig('1 DROP OD AT BEDTIME').schedule).toBe('At bedtime');
  });
});

describe('a count before "TIMES A DAY" that is no number', () => {
  it('leaves how often unread instead of once daily by the DAILY left over', () => {
    expect(normaliseSig('GIVE 1 CAPSULE BY MOUTH TIMO TIMES DAILY').schedule).toBeNull();
    expect(normaliseSig('TAKE 1 TABLET TIMES A DAY').schedule).toBeNull();
  });
  it('keeps a count said in digits or words, and "ONE TIME DAILY"', () => {
    expect(normaliseSig('GIVE 1 CAPSULE BY MOUTH TWO TIMES DAILY').schedule).toBe('Twice daily');
    expect(normaliseSig('TAKE 1 TABLET 3 TIMES A DAY WITH MEALS').schedule).toBe('Three times daily');
    expect(normaliseSig('USE 2 SPRAYS IN EACH NOSTRIL ONE TIME DAILY').schedule).toBe('Once daily');
  });
});

describe('a mark standing alone among the words of directions', () => {
  it('is an edge or a speck read as a mark, not a word that parts a schedule', () => {
    expect(normaliseSig('TAKE TWO TABLETS BY MOUTH EVERY NIGHT AT | BEDTIME').schedule).toBe('At bedtime');
    expect(normaliseSig('Take ONE tablet ONCE « week').schedule).toBe('Once weekly');
    expect(normaliseSig('Take ONE tablet ONCE » week').schedule).toBe('Once weekly');
    expect(normaliseSig('| TAKE 1 TABLET TWICE DAILY |').schedule).toBe('Twice daily');
  });
  it('while a bar inside a code is still read as the 1 it stands for, and & still joins two times', () => {
    expect(normaliseSig('TAKE 1 TABLET Q|2H').schedule).toBe('Every 12 hours');
    expect(normaliseSig('TAKE 1 TABLET MORNING & EVENING').schedule).toBe('Twice daily');
  });
});

describe('HOURS with its end misread after EVERY and a number', () => {
  it.each(['EVERY 4 HOUT.S', 'EVERY 4 HOUILS', 'EVERY 4 HOU'])('reads "%s" as every 4 hours', (every) => {
    expect(normaliseSig(`TAKE ONE TABLET ORALLY ${every} AS NEEDED FOR SHORTNESS OF BREATH`)).toMatchObject({ schedule: 'Every 4 hours', as_needed: true, numeric: true });
  });
  it('and no other word after the number', () => {
    expect(normaliseSig('TAKE ONE TABLET EVERY 4 HOLDS').schedule).toBeNull();
  });
  it('reads a word one look-alike letter from HRS or HOURS there as hours, marked repaired', () => {
    expect(normaliseSig('TAKE 1/2 TABLET EVERY 6 WRS')).toMatchObject({ schedule: 'Every 6 hours', repaired: true });
    expect(normaliseSig('TAKE 1/2 TABLET EVERY 6 HRS')).toMatchObject({ schedule: 'Every 6 hours', repaired: false });
    expect(normaliseSig('TAKE 1 TABLET EVERY 2 WKS').schedule).toBeNull();
  });
  // "TAKE ONE TABLET BY MOUTH EVERY TWELVE", HOURS on a line both looks of a mild photo lost (batch 139800).
  it('reads EVERY and an hour count ending the directions as every so many hours, repaired', () => {
    expect(normaliseSig('TAKE ONE TABLET BY MOUTH EVERY TWELVE')).toMatchObject({ schedule: 'Every 12 hours', repaired: true });
    expect(normaliseSig('TAKE 1 CAPSULE EVERY 8')).toMatchObject({ schedule: 'Every 8 hours', repaired: true });
    expect(normaliseSig('TAKE 1 CAPSULE EVERY 8 HOURS')).toMatchObject({ schedule: 'Every 8 hours', repaired: false });
    expect(normaliseSig('TAKE 1 CAPSULE EVERY 3').schedule).toBeNull();
    expect(normaliseSig('TAKE 1 CAPSULE EVERY 8 DAYS').schedule).not.toBe('Every 8 hours');
  });
});

describe('the W of TWO or TWICE read as two narrow strokes', () => {
  it.each(['TINO TIMES DAILY', 'TIVO TIMES A DAY', 'TIVICE DAILY', 'TVVICE A DAY'])('reads "%s" as twice daily, marked repaired', (often) => {
    expect(normaliseSig(`GIVE 1 CAPSULE BY MOUTH ${often}`)).toMatchObject({ schedule: 'Twice daily', repaired: true });
  });
  it('leaves TWO and TWICE read as printed unrepaired', () => {
    expect(normaliseSig('GIVE 1 CAPSULE BY MOUTH TWO TIMES DAILY')).toMatchObject({ schedule: 'Twice daily', repaired: false });
    expect(normaliseSig('TAKE TWO TABLETS DAILY')).toMatchObject({ schedule: 'Once daily', repaired: false });
  });
});

describe("an interval code's digit read as the capital it looks like", () => {
  it.each([['GIVE ONE TABLET QAH', 'Every 4 hours'], ['TAKE 1 TABLET QBH PRN', 'Every 8 hours'], ['Take one tablet by mouth qéh', 'Every 6 hours'], ['Take two tablets orally géh until all taken', 'Every 6 hours'], ['Take 2 tablets by mouth g6éh as needed', 'Every 6 hours'], ['Take 1 capsule by mouth gé6h as needed', 'Every 6 hours'], ['TAKE 1 TABLET Q8BH', 'Every 8 hours'], ['Take 1/2 tablet by mouth qdh if needed', 'Every 4 hours'], ['Take 1 tablet gdh', 'Every 4 hours']])('reads "%s" as %s, marked repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('leaves the codes that are words alone', () => {
    expect(normaliseSig('TAKE 1 TABLET QAM')).toMatchObject({ schedule: 'Once daily', repaired: false });
    expect(normaliseSig('TAKE 1 TABLET QHS')).toMatchObject({ schedule: 'At bedtime', repaired: false });
  });
  it('takes a digit before a look-alike only when it is that look-alike\'s own', () => {
    expect(normaliseSig('TAKE 1 TABLET Q4BH').schedule).toBeNull();
    expect(normaliseSig('TAKE 1 TABLET QA8H').schedule).toBeNull();
  });
});

describe('the 1 of "1 TIME A DAY" read as a stroke', () => {
  it.each(['I time a day', 'l time a day', '| TIMES DAILY'])('reads "%s" as once daily, marked repaired', (often) => {
    expect(normaliseSig(`Take 3 capsules by mouth ${often} when required`)).toMatchObject({ schedule: 'Once daily', repaired: true });
  });
  it('leaves a 1 read as printed unrepaired, and an I in a word alone', () => {
    expect(normaliseSig('Take 3 capsules by mouth 1 time a day')).toMatchObject({ schedule: 'Once daily', repaired: false });
    expect(normaliseSig('INHALE 2 PUFFS TWICE A DAY')).toMatchObject({ schedule: 'Twice daily', repaired: false });
  });
});

describe('the A of "TIMES A DAY" read as a round glyph', () => {
  it.each([
    ['Take 1/2 tablet orally 3 times o day', 'Three times daily'],
    ['TAKE 1 CAPSULE TWICE 0 DAY', 'Twice daily'],
    ['Take one tablet ONCE @ DAY', 'Once daily'],
    ['Take TWO capsules TWICE 8 day', 'Twice daily'],
  ])('reads "%s" as %s, marked repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('takes no word of two letters for it', () => {
    expect(normaliseSig('TAKE 1 TABLET AT THE SAME TIME OF DAY').schedule).toBeNull();
  });
});

describe('a speck read as a mark inside an interval code', () => {
  it.each([
    ['TAKE 2 TABLETS BY MOUTH Q&4H IF NEEDED', 'Every 4 hours'],
    ['TAKE TWO TABLETS BY MOUTH Q@8H IF NEEDED FOR PAIN', 'Every 8 hours'],
  ])('reads "%s" as %s, marked repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('takes no mark for the hours themselves', () => {
    expect(normaliseSig('TAKE 2 TABLETS BY MOUTH Q&H IF NEEDED').schedule).toBeNull();
  });
});

describe('DAILY, WEEKLY or MONTHLY misread after ONCE, TWICE or a count of TIMES', () => {
  it.each([
    ['TAKE 2 TARETS TWICE BAILY', 'Twice daily'],
    ['TAKE 1 TABLET ONCE DA1LY', 'Once daily'],
    ['Take 1 tablet 3 times daly with food', 'Three times daily'],
    ['TAKE 1 TABLET ONCE WEEKIY', 'Once weekly'],
  ])('reads "%s" as %s, marked repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('leaves a word that is no period alone', () => {
    expect(normaliseSig('TAKE 1 TABLET ONCE THEN 2 TABLETS').schedule).not.toBe('Once daily');
    expect(normaliseSig('TAKE 1 TABLET TWICE DAILY')).toMatchObject({ schedule: 'Twice daily', repaired: false });
  });
});

describe("an interval code's H read as the K or N that shares its stem", () => {
  it.each([
    ['TAKE | CAPSULE BY MOUTH Q8K', 'Every 8 hours'],
    ['Take 1 tablet by mouth q6n as needed', 'Every 6 hours'],
    ['TAKE 2 TABLETS G12K', 'Every 12 hours'],
  ])('reads "%s" as %s, marked repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('reads the code read as printed as sure', () => {
    expect(normaliseSig('TAKE 1 CAPSULE BY MOUTH Q8H')).toMatchObject({ schedule: 'Every 8 hours', repaired: false });
  });
});

describe("how often's own words misread where nothing else stands", () => {
  it.each([
    ['Take ONE tablet THREE umes daily', 'Three times daily'],
    ['TAKE 1 TABLET 2 TIMFS A DAY', 'Twice daily'],
    ['GIVE 1.5 TABLETS ORALLY ONCE A WEEX', 'Once weekly'],
    ['TAKE 1 CAPSULE BY MOUTH ONCE A DAV', 'Once daily'],
    ['Take one tablet two t111es daily', 'Twice daily'],
    ['TAKE 1 TABLET 3 T1MES DAILY', 'Three times daily'],
  ])('reads "%s" as %s, marked repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('leaves directions words read as printed in those places alone', () => {
    expect(normaliseSig('TAKE TWO TABS DAILY')).toMatchObject({ schedule: 'Once daily', repaired: false });
    expect(normaliseSig('TAKE 1 TABLET EVERY MORNING')).toMatchObject({ schedule: 'Once daily', repaired: false });
    expect(normaliseSig('TAKE 1 TABLET 3 TIMES DAILY')).toMatchObject({ schedule: 'Three times daily', repaired: false });
  });
});

describe('directions cut after TWICE', () => {
  it('reads a dose taken TWICE, its period lost, as twice a day, doubted', () => {
    expect(normaliseSig('Take ONE tablet TWICE')).toMatchObject({ schedule: 'Twice daily', repaired: true });
    expect(normaliseSig('TAKE 1 CAPSULE BY MOUTH TWICE')).toMatchObject({ schedule: 'Twice daily', repaired: true });
  });
  it('leaves TWICE that says no dose alone, and TWICE with its period', () => {
    expect(normaliseSig('TAKE 1 TABLET AS NEEDED MAY REPEAT TWICE').schedule).toBeNull();
    expect(normaliseSig('Take ONE tablet TWICE daily')).toMatchObject({ schedule: 'Twice daily', repaired: false });
  });
});

describe("the hours' digit read as a mark", () => {
  it('takes the one digit the mark may be that directions count hours in, doubted', () => {
    // § is a 5 or an 8; only 8 is an interval of hours.
    expect(normaliseSig('Take ONE tablet every § hours when required')).toMatchObject({ schedule: 'Every 8 hours', repaired: true });
    // é is a 6 or a 0.
    expect(normaliseSig('TAKE 1 TABLET EVERY é HOURS')).toMatchObject({ schedule: 'Every 6 hours', repaired: true });
    // @ is only a 0: no interval.
    expect(normaliseSig('TAKE 1 TABLET EVERY @ HOURS').schedule).toBeNull();
  });
});

describe('the IN of IN THE MORNING misread', () => {
  it('reads a word one edit from IN before THE and a time of day as IN, doubted', () => {
    expect(normaliseSig('Give two tablets by mouth tn the morning')).toMatchObject({ schedule: 'Once daily', repaired: true });
    expect(normaliseSig('Give two tablets by mouth in the morning')).toMatchObject({ schedule: 'Once daily', repaired: false });
    // A word of directions read as printed stays itself.
    expect(normaliseSig('Give two tablets by mouth to the morning').schedule).toBeNull();
  });
});

describe('the AT of AT BEDTIME misread', () => {
  // "TAKE TWO TABLETS ORALLY DAILY AY BEDTIME UNTIL GONE" (a hard photo, fresh seed 122700): once
  // daily, the bedtime lost.
  it.each(['TAKE TWO TABLETS ORALLY DAILY AY BEDTIME UNTIL GONE', 'Take 1 tablet daily Al bedtime'])('reads "%s" at bedtime, doubted', (sig) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule: 'At bedtime', repaired: true });
  });
  it('but not a word that is a word of its own ("OR BEDTIME"), nor AT read as printed', () => {
    expect(normaliseSig('TAKE 1 TABLET IN THE MORNING OR BEDTIME').schedule).toBeNull();
    expect(normaliseSig('TAKE TWO TABLETS DAILY AT BEDTIME')).toMatchObject({ schedule: 'At bedtime', repaired: false });
  });
});

describe('NEEDED with its end lost', () => {
  it('is still as needed', () => {
    expect(normaliseSig('TAKE ONE TABLET BY MOUTH EVERY 4 HOURS AS NEED! FOR HEADACHE')).toMatchObject({ schedule: 'Every 4 hours', as_needed: true });
    expect(normaliseSig('TAKE 1 TABLET DAILY IF NEED FOR PAIN').as_needed).toBe(true);
  });
  it('is as needed when its AS or IF was lost, not when NOT or NO LONGER says otherwise', () => {
    expect(normaliseSig('TAKE 2 TABLETS BY MOUTH EVERY EIGHT HOURS | NEEDED').as_needed).toBe(true);
    expect(normaliseSig('TAKE 1 TABLET DAILY. DISCARD WHEN NO LONGER NEEDED').as_needed).toBe(false);
    expect(normaliseSig('TAKE 1 TABLET DAILY. A SECOND DOSE IS NOT NEEDED').as_needed).toBe(false);
  });
  it('is not read into a word that only starts so', () => {
    expect(normaliseSig('TAKE 1 TABLET DAILY AS NEEDLES ARE CHANGED').as_needed).toBe(false);
  });
});

describe('BID, TID or QID with a letter read as one it looks like', () => {
  it.each([
    // The B of BID read as an 8.
    ['GIVE 3 TABLETS BY MOUTH 81D', 'Twice daily'],
    ['GIVE 3 TABLETS BY MOUTH 8ID', 'Twice daily'],
    // The I read as another upright stroke.
    ['TAKE 1/2 TABLET BY MOUTH B\\D', 'Twice daily'],
    ['TAKE 1 TABLET BY MOUTH B1D', 'Twice daily'],
    ['take 1 capsule by mouth blD', 'Twice daily'],
    ['TAKE 1 TABLET BY MOUTH T|D WITH MEALS', 'Three times daily'],
    ['TAKE 1 TABLET BY MOUTH Q1D.', 'Four times daily'],
    ['INHALE 2 PUFFS Q/D', 'Four times daily'],
  ])('reads "%s" as %s, marked repaired', (sig, schedule) => {
    expect(normaliseSig(sig)).toMatchObject({ schedule, repaired: true });
  });
  it('takes no Queensland (QLD) for QID, nor a look-alike inside a longer number or word', () => {
    expect(normaliseSig('TAKE 1 TABLET 181D').schedule).toBeNull();
    expect(normaliseSig('TAKE 1 TABLET DAILY BRISBANE QLD').schedule).toBe('Once daily');
    expect(normaliseSig('TAKE 1 TABLET BY MOUTH AB1D').schedule).toBeNull();
  });
});
