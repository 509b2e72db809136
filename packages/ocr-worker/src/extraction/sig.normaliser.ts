import type { Schedule } from '@rxscan/contracts';
import { markReadings, ocrDistance } from './ocr-confusion.js';
import { SIG_VOCABULARY } from './sig.vocabulary.js';

export interface NormalisedSig {
  schedule: Schedule | null;
  as_needed: boolean;
  /** Extra directions such as "Take with food"; null when none. */
  instructions: string | null;
  /** False when the directions name two different schedules or only a vague one. */
  unambiguous: boolean;
  /**
   * The schedule hangs on digits ("EVERY 6 HOURS", "Q8H", "3 TIMES DAILY"): a misread digit gives
   * another schedule the vocabulary knows just as well, so the vocabulary does not check it.
   */
  numeric: boolean;
  /** The schedule's code was read with a look-alike letter and repaired ("gid" for qid): not as printed. */
  repaired: boolean;
}

const NUM_WORDS: Record<string, number> = {
  ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5, SIX: 6, SEVEN: 7, EIGHT: 8, NINE: 9, TEN: 10,
  ELEVEN: 11, TWELVE: 12, TWENTY: 20, 'TWENTY-FOUR': 24, TWENTYFOUR: 24, 'TWENTY FOUR': 24,
  ONCE: 1, TWICE: 2, THRICE: 3,
};
const NUM = '(\\d+|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|ELEVEN|TWELVE|TWENTY[- ]?FOUR)';
/** A number in digits or words ("TWO", "TWICE", "TWENTY-FOUR"); NaN for none. */
export const toNum = (s: string): number => (/^\d+$/.test(s) ? Number(s) : NUM_WORDS[s.replace(/\s/g, '')] ?? NUM_WORDS[s] ?? NaN);

const PER_DAY: Record<number, Schedule> = { 1: 'Once daily', 2: 'Twice daily', 3: 'Three times daily', 4: 'Four times daily' };
const EVERY_HOURS: Record<number, Schedule> = { 4: 'Every 4 hours', 6: 'Every 6 hours', 8: 'Every 8 hours', 12: 'Every 12 hours', 24: 'Once daily' };

type Rule = [RegExp, (m: RegExpMatchArray) => Schedule | null];

/** Times of day a dose is given at; the same time said two ways counts once. */
const TIME_WORDS = ['MORNING', 'BREAKFAST', 'NOON', 'MIDDAY', 'LUNCH', 'LUNCHTIME', 'AFTERNOON', 'EVENING', 'SUPPER', 'DINNER', 'BEDTIME', 'NIGHT'];
const TIME = `\\b(?:${TIME_WORDS.join('|')})\\b`;
const timeOfDay = (w: string): string =>
  /MORNING|BREAKFAST/.test(w) ? 'am' : /NOON|MIDDAY|LUNCH/.test(w) ? 'mid' : /EVENING|SUPPER|DINNER/.test(w) ? 'pm' : 'bed';
/** A few dose words may stand between two times ("AND 2 TABLETS AT"), never a sequence or a choice. */
const FILLER = '(?:(?!THEN\\b|OR\\b|FOR\\b|UNTIL\\b|IF\\b)\\S+ ){0,4}?';
const LEAD = '(?:IN THE |EVERY |EACH |AT |WITH )?';
const TIME_ALL = new RegExp(TIME, 'g');
/** Two or more times of day, the last joined by AND ("MORNING AND EVENING", "MORNING NOON AND NIGHT"). */
const TIMES_OF_DAY = new RegExp(`${LEAD}${TIME}(?: ${LEAD}${TIME})*(?: (?:AND|&) ${FILLER}${LEAD}${TIME})+`);

/** Ordered most specific first; each match is blanked out so "TWICE DAILY" does not also count as "DAILY". */
const RULES: Rule[] = [
  [new RegExp(`\\bEVERY ${NUM} (?:TO|-|OR) ${NUM} HOURS?\\b`), () => null], // a range is not one schedule
  // Nor is a choice of how often: "ONCE OR TWICE DAILY", "2 TO 3 TIMES A DAY", "1-2 TIMES DAILY".
  [new RegExp(`\\b(?:${NUM}|ONCE|TWICE|THRICE) ?(?:TO|-|OR) ?(?:${NUM}|ONCE|TWICE|THRICE)(?: TIMES?)? (?:A |PER |EACH )?(?:DAY|DAILY)\\b`), () => null],
  // Doses at several times of day are that many a day, however each time is said ("IN THE MORNING
  // AND AT BEDTIME", "AT BEDTIME AND 1 IN THE MORNING", "MORNING NOON AND NIGHT"); read first so
  // one time word is not taken alone as the schedule.
  [TIMES_OF_DAY, (m) => PER_DAY[new Set(m[0].match(TIME_ALL)!.map(timeOfDay)).size] ?? null],
  // Less often than daily but not weekly: no schedule the vocabulary has, so none is reported.
  [new RegExp(`\\b(?:EVERY OTHER (?:DAY|WEEK)|(?:ON )?ALTERNATE DAYS|EVERY (?:2|3|4|5|6|TWO|THREE|FOUR|FIVE|SIX|14|FOURTEEN|OTHER) (?:DAYS|WEEKS)|EVERY MONTH|MONTHLY|(?:TWICE|THRICE|(?:[2-7]|TWO|THREE|FOUR|FIVE|SIX|SEVEN) TIMES) (?:A |PER |EACH )?WEEK(?:LY)?)\\b`), () => null],
  // HOURS with its end misread ("EVERY 4 HOUT.S", "HOUILS": fresh seed 76200): after EVERY and a
  // number, a word opening HOU can only be hours.
  [new RegExp(`\\b(?:EVERY|Q) ?${NUM} ?(?:HOURS?|HRS?|H|HOU[A-Z]{0,3})\\b`), (m) => EVERY_HOURS[toNum(m[1]!)] ?? null],
  [/\bQ ?(\d{1,2}) ?H\b/, (m) => EVERY_HOURS[Number(m[1])] ?? null],
  // "AT BED" is only ever the start of "AT BEDTIME": a line whose end glare or the label's edge took
  // ("EVERY NIGHT AT BED") still names bedtime, not merely once a day; so does "EVERY NIGHT" /
  // "BEDTIME" whose AT at the wrap was lost (a hard photo, fresh seed 88200: once daily before), and
  // "DAILY" / "BEDTIME" (a tilted hard photo, fresh seed 96600, its AT read into the drug's line:
  // saved as once daily, sure and wrong). No directions name bedtime to mean any time of day.
  // British and Australian labels say it "at NIGHT" ("Take ONE tablet at NIGHT"), alone or before
  // "before bed" (whose last word a hard photo lost, fresh seed 106800: no schedule before); a night
  // dose beside another time of day was read above as that many a day, and "ONCE DAILY AT NIGHT"
  // stays once daily at a time of day.
  [/\b(?:(?:EVERY (?:EVENING|NIGHT) |NIGHTLY |DAILY |ONCE DAILY |AT NIGHT )?AT BED(?:TIME)?|(?:EVERY (?:EVENING|NIGHT)|(?:ONCE )?DAILY) BEDTIME|NIGHTLY|BEFORE BED(?:TIME)?|(?<!DAILY )AT NIGHT|QHS|(?:AT )?HS)\b/, () => 'At bedtime'],
  [new RegExp(`\\b${NUM} TIMES? (?:A |PER |EACH )?(?:DAY|DAILY)\\b`), (m) => PER_DAY[toNum(m[1]!)] ?? null],
  [/\b(ONCE|TWICE|THRICE) (?:A |PER |EACH )?(?:DAY|DAILY)\b/, (m) => PER_DAY[toNum(m[1]!)] ?? null],
  // "TIMES A DAY" always follows how many; a word there that is no number, even repaired (W_AS_STROKES:
  // "TINO TIMES DAILY" was once daily at 0.88 before, fresh seed 75600), leaves how often unread, not
  // once daily by the DAILY left over.
  [/\S+ TIMES? (?:A |PER |EACH )?(?:DAY|DAILY)\b/, () => null],
  [/\bBID\b/, () => 'Twice daily'],
  [/\bTID\b/, () => 'Three times daily'],
  [/\bQID\b/, () => 'Four times daily'],
  [new RegExp(`\\b(?:ONCE (?:A |PER |EVERY )?WEEK(?:LY)?|EVERY WEEK|WEEKLY|EVERY 7 DAYS|EVERY SEVEN DAYS|${NUM} TIMES? (?:A |PER )WEEK)\\b`), (m) => (m[1] && toNum(m[1]) !== 1 ? null : 'Once weekly')],
  [/\b(?:ONCE DAILY|DAILY|EVERY DAY|EACH DAY|EVERY MORNING|EVERY EVENING|EACH MORNING|EACH EVENING|IN THE MORNING|IN THE EVENING|EVERY NIGHT|QD|QAM|QPM)\b/, () => 'Once daily'],
  // OD is once daily on British and Canadian labels ("TAKE 2 TABLETS BY MOUTH OD AS NEEDED", a clean
  // photo of fresh seed 88200, read with no schedule), and the right eye on eye drops: once daily
  // only where nothing in the directions is put into an eye.
  [/(?<!\b(?:EYES?|DROPS?|INSTILL)\b.*)\bOD\b(?!.*\b(?:EYES?|DROPS?|INSTILL)\b)/, () => 'Once daily'],
];

/** The rules as global patterns, made once (a call used to compile two a rule). */
const RULES_ALL: Rule[] = RULES.map(([re, toSchedule]) => [new RegExp(re.source, 'g'), toSchedule]);

// NEEDED with its ED lost or read as a mark ("AS NEED! FOR HEADACHE", both looks of a hard photo):
// no other directions say AS NEED. Nor NEEDED but as, if or when needed, whose first word may be
// lost ("EVERY EIGHT HOURS | NEEDED", the IF at a line's end read as a bar), except "NOT NEEDED"
// and a warning's "NO LONGER NEEDED".
const AS_NEEDED = /\b(?:(?:AS|IF|WHEN) (?:NEED|REQUIRED)|(?<!\b(?:NOT|LONGER) )NEEDED|PRN)\b/;

/** Extra directions worth showing a family; the canonical sentence for each. */
const INSTRUCTIONS: [RegExp, string][] = [
  [/\bWITH (?:A )?FULL GLASS OF WATER\b/, 'Take with a full glass of water'],
  [/\bON AN EMPTY STOMACH\b/, 'Take on an empty stomach'],
  [/\bWITH (?:FOOD|A MEAL)\b/, 'Take with food'],
  [/\bWITH MEALS\b/, 'Take with meals'],
  [/\bBEFORE MEALS\b/, 'Take before meals'],
  [/\bAFTER MEALS\b/, 'Take after meals'],
  [/\bWITH (?:MILK)\b/, 'Take with milk'],
  [/\bDO NOT CRUSH(?: OR CHEW)?\b/, 'Do not crush or chew'],
  [/\bSHAKE WELL\b/, 'Shake well'],
];

/** The Latin codes that open with Q, after it: QD, QID, QAM, QPM, QHS. */
const Q_CODE_TAIL = 'D|ID|AM|PM|HS';
/**
 * A Latin code's q read as g: "gid" for qid, "gd" for qd (a mild photo in a typewriter face, batch
 * 131100: no schedule), "ghs", "gam", "gpm". A small q and g differ by the tail's turn, which blur
 * and small print lose. No word or code on a label is spelt so, and each is one look-alike letter
 * from one code only (b and t are not read as g), so it is read as that code; but the letter was
 * repaired, not read, so the schedule is doubted (NormalisedSig.repaired) and a re-read, which
 * repairs it alike, cannot confirm it.
 */
const Q_CODE_READ_G = new RegExp(`\\bG(${Q_CODE_TAIL})\\b`, 'g');
const READ_G_CODE = new RegExp(Q_CODE_READ_G.source);
/**
 * A Latin code's Q read as a zero, its tail lost: "0D" for QD (fresh seed 72300, a clean photo), and
 * so "0ID", "0AM", "0HS", "06H". No number is written with a code's letters after it, so it is read
 * as the code; but the letter was repaired, not read, so the schedule it gives is doubted.
 * Or as the copyright sign, a round glyph with a mark inside ("ORALLY ©6H WHEN REQUIRED" for Q6H,
 * a hard photo, batch 152700: no schedule). Or as the letter O ("TAKE ONE-HALF TABLET ORALLY OID"
 * for QID in both looks of a clean photo in a typewriter face, probe batch 173400: no schedule):
 * no word of directions is spelt OID, OAM, OPM, OHS or O6H. Not OD: that is the right eye on eye
 * drops and once daily in the UK (RULES reads it where it can).
 */
const Q_READ_ZERO = new RegExp(`(?<![A-Z0-9])(?:[0©](${Q_CODE_TAIL}|\\d{1,2}H)|O(ID|AM|PM|HS|\\d{1,2}H))\\b`, 'g');
/**
 * QD with its D read as the O it looks like when its stem blurs ("GIVE 2 TABLETS ORALLY QO", a hard
 * photo, batch 137100: no schedule). No word or code is spelt QO, and QD is the one code a letter
 * from it; but the letter was repaired, so the schedule is doubted. (QOD, every other day, is not
 * read as a code at all, so a QOD that lost its D gives a doubted schedule, never a sure one.)
 */
const QD_READ_O = /\bQ[O0]\b/g;
/**
 * The W of TWO or TWICE read as two narrow strokes, IN, IV or VV ("TINO TIMES DAILY", "TIVICE": twice
 * in fresh seeds 75600 and 76200, in every look of the photo), as a directions verb's W is (sig.block.ts).
 * No word of directions is spelt so; but the letter that says how often was repaired, not read,
 * so the schedule it gives is doubted.
 */
const W_AS_STROKES = /\bT(?:IN|IV|VV)(O|ICE)\b/g;
/**
 * An interval code's digit read as the capital it looks like: "QAH" for Q4H (a camera photo, fresh
 * seed 77100, both looks), "QBH" for Q8H. No code spells a word so (QAM and QHS end otherwise); the
 * digit was repaired, not read, so the schedule is doubted. In a light typeface a 6's closed bowl
 * reads as an accented e ("qéh" for q6h in both looks of a camera photo, fresh seed 83400), its q
 * as a g too, as with a digit ("géh": a clean photo, fresh seed 88500). The digit may be read both
 * ways, itself and then its look-alike ("g6éh" for q6h in both looks of a camera photo, fresh seed
 * 95700), or after it ("gé6h" in both looks of a camera photo, batch 131100: no schedule): only
 * that digit beside its own look-alike is taken, never another ("Q4BH"). A small 4 whose open top
 * closed reads as a d ("qdh" and "gdh" for q4h in both looks of camera photos in rounds 34 and 38,
 * fresh seed 145200): no code is spelt QDH either.
 */
const Q_LETTER_HOURS = /\b(?:Q|G|GQ)(?:(4(?=A)|8(?=B)|6(?=É))?([ABÉD])|(?:A(?=4)|B(?=8)|É(?=6))(\d))H\b/g;
/** The hours each letter in Q_LETTER_HOURS stands for. */
const LETTER_HOURS: Record<string, string> = { A: '4', B: '8', É: '6', D: '4' };
/**
 * The 1 of "1 TIME A DAY" read as the stroke it is, I, l or | ("I time a day": a hard photo, fresh
 * seed 79500). "TIMES A DAY" always follows how many, and no word of one letter says how many; the
 * digit was repaired, not read, so the schedule is doubted.
 */
const ONE_AS_STROKE = /(?<![A-Z0-9])[IL|] (?=TIMES? (?:A |PER |EACH )?(?:DAY|DAILY)\b)/g;
/**
 * The A of "TIMES A DAY", "ONCE A DAY" read as the round glyph it blurs into, O, 0, @, e or c ("3 times
 * o day": a hard photo of fresh seed 99900, in both looks), or a lower-case a whose bowl and hook run
 * together into an 8 ("TWICE 8 day", every look of a hard UK photo, fresh seed 173700). Only one
 * letter stands there, and only A says it ("AT THE SAME TIME OF DAY" is two letters; no count
 * follows how often). Repaired, so the schedule is doubted.
 */
const A_AS_ROUND = /\b(TIMES?|ONCE|TWICE) [O0@EC8] (?=DAY\b)/g;
/**
 * A speck read as a mark between an interval code's q and its hours ("Q&4H", "Q@8H": hard photos of
 * fresh seeds 102000 and 102600, the other look "Q&H" or "Q8H"): no code holds a mark, and the hours
 * are read. Only before digits: "Q&H" may be the mark for the hours' digit itself. Doubted.
 */
const MARK_IN_CODE = /\b[QG][@&](\d{1,2})H\b/g;
/**
 * The 1 of an interval code read twice, as the stroke it is and as the digit ("qi12h" for q12h in
 * both looks of a mild photo, batch 152100, with tesseract.js: no schedule), as a digit is read
 * beside its own look-alike (Q_LETTER_HOURS): no interval is eleven hours. Doubted.
 */
const ONE_READ_TWICE = /\b([QG]) ?(?:[IL|\\]1|1[IL|\\])(\d?) ?H\b/g;
/**
 * An interval code's H read as the K or N that shares its left stem ("TAKE | CAPSULE BY MOUTH Q8K"
 * in both looks of a hard photo, batch 159000: no schedule). No code or word of directions is a q,
 * hours and a K or N; the letter was repaired, not read, so the schedule is doubted.
 */
const HOURS_END_MISREAD = /\b[QG] ?(\d{1,2}) ?[KN]\b/g;
/**
 * How often's own words misread where nothing else stands: between a count and DAY or DAILY only
 * TIMES ("THREE umes daily", its ti run together as u: a hard photo, fresh seed 79800, read as once
 * daily before); after ONCE A, TWICE A or EVERY only a period ("ONCE A WEEX", the same batch, no
 * schedule). A word two look-alike edits from TIMES, one from WEEK, DAY, MONTH, is read as it;
 * never a directions word read as printed ("TWO TABS DAILY"). Repaired, so the schedule is doubted.
 */
// Its i and the stems of its m may be read as the stroke 1 ("two t111es daily", a hard photo
// read well elsewhere, fresh seed 103500, once daily before): they are read as I before measuring.
const TIMES_MISREAD = new RegExp(`\\b${NUM} ([A-Z1]{2,6})(?= (?:A |PER |EACH )?(?:DAY|DAILY)\\b)`, 'g');
const PERIOD_MISREAD = /\b(ONCE A|TWICE A|EVERY) ([A-Z]{3,6})\b/g;
/**
 * So after ONCE, TWICE or a count of TIMES written without A: only DAILY, WEEKLY or MONTHLY stands
 * there ("TAKE 2 TARETS TWICE BAILY", a hard photo, batch 159300: no schedule). A word one look-alike
 * edit from one of them, and from no other, is read as it. Repaired, so the schedule is doubted.
 */
const ADVERB_MISREAD = new RegExp(`\\b(ONCE|TWICE|${NUM} TIMES) ([A-Z1|]{4,8})\\b`, 'g');
/**
 * So after EVERY and a number, where only a period stands: a word one look-alike edit from HRS or
 * HOURS is hours ("EVERY 6 WRS", its H read as the W that M is read as too in that photo's "100WG":
 * a camera photo, batch 130500, no schedule). Repaired, so the schedule is doubted.
 */
const HOURS_MISREAD = new RegExp(`\\bEVERY ${NUM} ([A-Z]{3,5})\\b`, 'g');
/**
 * And where nothing stands after EVERY and a number at the directions' end, the line that held HOURS
 * lost ("TAKE ONE TABLET BY MOUTH EVERY TWELVE", the next line unread in both looks of a mild photo,
 * batch 139800: no schedule): 4, 6, 8 and 12 are the hours directions are written in. Completed, not
 * read, so the schedule is doubted (an injection every 4 weeks would be offered as hours, in review).
 */
const HOURS_LOST = new RegExp(`\\bEVERY (4|6|8|12|FOUR|SIX|EIGHT|TWELVE)\\s*$`, 'g');
/**
 * The hours' digit read as the mark it looks like ("every § hours" for 8 in both looks of a hard
 * photo, batch 151500: no schedule): of the digits the mark may be (ocr-confusion.ts), the one that
 * is an interval directions are written in (4, 6, 8, 12) is taken, if only one is. Doubted.
 */
const HOURS_MARK = /\bEVERY ([§É@]) (?=HOURS?\b|HRS\b)/g;
const hoursOfMark = (m: string, mark: string): string => {
  const hours = markReadings(mark === 'É' ? 'é' : mark).filter((d) => ['4', '6', '8', '12'].includes(d));
  return hours.length === 1 ? `EVERY ${hours[0]} ` : m;
};
/**
 * A dose in words, one letter of three misread, after the verb and before the form it counts ("TAKE
 * THO TABLETS 2 TIMES DAILY", both looks of a camera photo, fresh seed 109200, where the dose went
 * unread and the count could not be checked; "4 TAXE THO TABLETS" in round 29): TWO or ONE, which
 * no look-alike letter confuses with each other. The dose only; it says nothing of how often.
 */
/** The forms a dose is counted in, as directions print them. */
export const DOSE_FORMS = 'TABLETS?|TABS?|CAPSULES?|CAPS?|PUFFS?|DROPS?|SPRAYS?';
const DOSE_WORD_MISREAD = new RegExp(`\\b(TAKE|GIVE|USE|CHEW|INHALE|INSTILL) ([A-Z0-9]{3}) (?=(?:${DOSE_FORMS})\\b)`, 'g');
/**
 * How many times a day in words, misread ("THRCL TIMES DAILY" for THREE, a hard photo, fresh seed
 * 116100, whose other look read "THREE": no schedule in this one): a word that is none, as long as
 * one number word and a letter and a look-alike from it, and from no other, before TIMES A DAY.
 * Repaired, so doubted.
 */
const COUNT_WORD_MISREAD = /\b([A-Z]{3,5}) (?=TIMES? (?:A |PER |EACH )?(?:DAY|DAILY)\b)/g;
const COUNT_WORDS = ['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX'];
/** So EACH before DAY, one letter misread ("BY MOUTH BACH DAY", "CACH DAY": both looks of a hard photo, fresh seed 108900, no schedule). */
const EACH_MISREAD = /\b([A-Z]{4}) (?=DAY\b)/g;
/**
 * A count glued to the word before it, its space lost, before TIME or TIMES ("TO THE AFFECTED AREA1
 * TIME A DAY": a camera photo, fresh seed 111600, no schedule): no word ends in a digit, and TIMES
 * always follows how many. The space was not read, so the schedule is doubted.
 */
const COUNT_GLUED = /\b([A-Z]{3,})([1-9]) (?=TIMES?\b)/g;
/**
 * AND between two times of day read as marks ("every morning =< evening" and "«1d evening" in the
 * two looks of a hard photo, fresh seed 113700: no schedule): the only word that stands there is AND
 * (OR and THEN are read as words). Repaired, so the schedule is doubted.
 */
const AND_MISREAD = /\bMORNING (\S{1,3}) (?=(?:EVENING|NIGHT|BEDTIME)\b)/g;
/**
 * A second time of day cut after AND ("EVERY MORNING AND EV" / "… AND EVE" in the two looks of a
 * tilted hard photo, fresh seed 115200, the rest of EVENING read into the line above: once daily,
 * sure and wrong): a word after AND that is no word but the start of one time of day is that time.
 * Completed, not read, so the schedule is doubted.
 */
const TIME_CUT = new RegExp(`(${TIME}) (?:AND|&) ((?:IN THE |AT |EVERY |EACH )?)([A-Z]{2,8})(?=\\s|$)`, 'g');
const timeCut = (m: string, time: string, lead: string, part: string): string => {
  // (LUNCH and LUNCHTIME are one time: "LUN" is lunch.)
  const whole = TIME_WORDS.filter((t) => t.startsWith(part) && t !== part);
  return whole.length > 0 && new Set(whole.map(timeOfDay)).size === 1 && !known(part) && !TIME_WORDS.includes(part) ? `${time} AND ${lead}${whole[0]}` : m;
};
/**
 * Directions that end at AND after a time of day ("APPLY … EVERY MORNING AND", the line's end cut
 * off in both looks of a mild photo, fresh seed 148800: once daily, doubted only as cut): AND joins
 * a second time, so it is twice a day, whichever time was lost. Completed, not read, so doubted.
 */
const TIME_AND_LOST = new RegExp(`(${TIME}) (?:AND|&)((?: IN THE| AT| EVERY| EACH)?)\\s*$`, 'g');
/**
 * Directions that end at TWICE after the dose and its form or the route ("Take ONE tablet TWICE",
 * the line's DAILY lost in one look of a hard photo, batch 155700, the other look's verb unread: no
 * schedule): how often a dose is taken, cut before its period, is far most often a day. Completed,
 * not read, so doubted (a dose twice a week would be offered as twice a day, in review).
 */
const TWICE_CUT = new RegExp(`\\b((?:${DOSE_FORMS}|MOUTH|ORALLY) TWICE)\\s*$`, 'g');
/**
 * The AT of "AT BEDTIME" misread ("DAILY AY BEDTIME", a hard photo, fresh seed 122700, in one look:
 * once daily, the bedtime lost): a word of two marks or fewer, no word itself, one edit from AT.
 * Repaired, so the schedule is doubted.
 */
const AT_MISREAD = /(?<=^|\s)(\S{1,2}) (?=BEDTIME\b)/g;
/**
 * So the IN of "IN THE MORNING" ("by mouth tn the morning" in a hard photo, batch 151500: no
 * schedule): only IN stands before THE and a time of day in directions. Repaired, so doubted.
 */
const IN_MISREAD = /(?<=^|\s)(\S{1,2}) (?=THE (?:MORNING|AFTERNOON|EVENING|NIGHT)\b)/g;
/**
 * BID, TID or QID with a letter read as one it looks like: the I as another upright stroke (1, l, |,
 * a slash or a backslash, !: "BY MOUTH B\D", both looks of a turned photo, fresh stretch seed
 * 174600), or the B as an 8 ("81D" and "8ID", the two looks of a hard photo, batch 127200): no
 * schedule. No word of directions is a B, T, Q or 8, a stroke and a D. Not QLD (Queensland, in an
 * Australian address). Repaired, so the schedule is doubted.
 */
const CODE_LOOKALIKE = /(?<=^|\s)(8[IL1|\\/!]|[BT][1L|\\/!]|Q[1|\\/!])D(?=\s|$|[.,;])/g;
const misread = (word: string, as: string, edits: number): boolean => !known(word) && ocrDistance(word, as, edits) <= edits;
/** Those repairs, each with what it reads its match as; and each pattern once more without /g, to test. */
const LETTER_REPAIRS: [RegExp, (m: string, ...groups: string[]) => string][] = [
  [Q_READ_ZERO, (_, zero, o) => `Q${zero ?? o}`],
  [QD_READ_O, () => 'QD'],
  [W_AS_STROKES, (_, end) => `TW${end}`],
  [Q_LETTER_HOURS, (_, _digit, c, after) => `Q${after ?? LETTER_HOURS[c!]}H`],
  [ONE_AS_STROKE, () => '1 '],
  [A_AS_ROUND, (_, word) => `${word} A `],
  [MARK_IN_CODE, (_, hours) => `Q${hours}H`],
  [ONE_READ_TWICE, (_, _q, rest) => `Q1${rest}H`],
  [HOURS_END_MISREAD, (_, hours) => `Q${hours}H`],
  // (A word with a 1 in it is no known word, so only the one as read is looked up.)
  [TIMES_MISREAD, (m, n, w) => (!known(w!) && ocrDistance(w!.replace(/1/g, 'I'), 'TIMES', 2) <= 2 ? `${n} TIMES` : m)],
  [PERIOD_MISREAD, (m, lead, w) => {
    const period = ['WEEK', 'DAY', 'MONTH'].find((p) => misread(w!, p, 1));
    return period ? `${lead} ${period}` : m;
  }],
  [ADVERB_MISREAD, (m, lead, _n, w) => {
    const periods = ['DAILY', 'WEEKLY', 'MONTHLY'].filter((p) => misread(w!, p, 1));
    return periods.length === 1 ? `${lead} ${periods[0]}` : m;
  }],
  [COUNT_WORD_MISREAD, (m, w) => {
    const words = COUNT_WORDS.filter((n) => n.length === w!.length && misread(w!, n, 1.3));
    return words.length === 1 ? `${words[0]} ` : m;
  }],
  [EACH_MISREAD, (m, w) => (misread(w!, 'EACH', 1) ? 'EACH ' : m)],
  [HOURS_MISREAD, (m, n, w) => (['HRS', 'HOURS'].some((h) => misread(w!, h, 1)) ? `EVERY ${n} HOURS` : m)],
  [HOURS_LOST, (_, n) => `EVERY ${n} HOURS`],
  [HOURS_MARK, (m, mark) => hoursOfMark(m, mark!)],
  [COUNT_GLUED, (_, word, n) => `${word} ${n} `],
  [TIME_CUT, (m, time, lead, part) => timeCut(m, time!, lead!, part!)],
  [TWICE_CUT, (_, said) => `${said} DAILY`],
  [TIME_AND_LOST, (_, time, lead) => `${time} AND${lead} ${['am', 'mid'].includes(timeOfDay(time!)) ? 'EVENING' : 'MORNING'}`],
  [AND_MISREAD, (m, w) => (/[A-Z]{2}/.test(w!) && known(w!.replace(/[^A-Z]/g, '')) ? m : 'MORNING AND ')],
  [AT_MISREAD, (m, w) => (misread(w!, 'AT', 1) ? 'AT ' : m)],
  [IN_MISREAD, (m, w) => (misread(w!, 'IN', 1) ? 'IN ' : m)],
  [CODE_LOOKALIKE, (_, code) => `${code![0] === '8' ? 'B' : code![0]}ID`],
  [DOSE_WORD_MISREAD, (m, verb, w) => {
    const word = ['TWO', 'ONE'].find((n) => misread(w!, n, 1));
    return word ? `${verb} ${word} ` : m;
  }],
];
const READ_REPAIRED = LETTER_REPAIRS.map(([re]) => new RegExp(re.source));

/** Codes directions are written in, beside the vocabulary's words. */
const SIG_CODES = new Set(['BID', 'TID', 'QID', 'QD', 'QHS', 'QAM', 'QPM', 'HS', 'PRN', 'PO']);
const known = (w: string): boolean => SIG_VOCABULARY.has(w) || SIG_CODES.has(w);

/**
 * Two directions words whose space blur or a tight font lost ("AFFECTED AREATID", "APPLY ATHIN
 * LAYER", "ONCEDAILY"): a word that is none, and is one known word followed by another in exactly
 * one way, is read as the two. Parts of a letter ("A") or more; the second of two letters or more.
 * Four letters only after an A ("TWICE aday" in both looks of a hard photo, fresh seed 87600).
 */
export function unglued(word: string): string | null {
  if ((word.length < 5 && !/^A[A-Z]{3}$/.test(word)) || !/^[A-Z]+$/.test(word) || known(word)) return null;
  const splits: string[] = [];
  for (let i = 1; i <= word.length - 2; i++) {
    const [a, b] = [word.slice(0, i), word.slice(i)];
    if ((known(a) || a === 'A') && known(b)) splits.push(`${a} ${b}`);
  }
  return splits.length === 1 ? splits[0]! : null;
}

/** Upper-case, digits for "1/2", one space, words glued by a lost space apart (unglued); keeps letters the rules look for. */
export function canonicalSig(sig: string): string {
  return ungluedWords(spelledSig(sig));
}

/**
 * A count glued to the directions word after it ("by mouth 1time a day" in both looks of a camera
 * photo, batch 150900: no schedule; "2TIMES DAILY" gave once daily, by its DAILY): no word of
 * directions starts with a digit, so digits then a known word of three letters or more are the two.
 */
const DIGITS_GLUED = /(?<![A-Z0-9.])(\d+)([A-Z]{3,})\b/g;
const ungluedWords = (spelled: string): string =>
  spelled.replace(/[A-Z]{4,}/g, (w) => unglued(w) ?? w).replace(DIGITS_GLUED, (m, n: string, w: string) => (known(w) ? `${n} ${w}` : m));

/** canonicalSig with the words spaced as read. */
function spelledSig(sig: string, repair = true): string {
  const upper = sig.toUpperCase();
  return (repair ? LETTER_REPAIRS.reduce((t, [re, to]) => t.replace(re, to), upper) : upper)
    // Latin abbreviations written with points ("B.I.D.", "q.i.d.", "P.O.", "H.S."): the letters are the
    // code, so the points go before points become spaces, which would leave "B I D".
    .replace(/\b(?:[A-Z]\.){2,}/g, (m) => `${m.replace(/\./g, '')} `)
    // A number followed by itself in words ("EVERY 6 (SIX) HOURS", as some systems print it) is one number.
    .replace(new RegExp(`\\b(\\d+) ?\\(${NUM}\\)`, 'g'), (m, d: string, w: string) => (toNum(w) === Number(d) ? d : m))
    .replace(/[.,;:!()]/g, ' ')
    // A mark standing alone is an edge or a speck read among the words ("EVERY NIGHT AT | BEDTIME",
    // the edge where the line wrapped, fresh seed 75900; "ONCE « week" for ONCE a week, 76500): no
    // word of directions, and it must not part two that make one schedule. A bar inside a word
    // ("Q|2H") is a 1, read below; & and / and - say something, and are kept.
    .replace(/(?<=^|\s)[|«»~*•°^_"“”‘’]+(?=\s|$)/g, ' ')
    // "ONE-HALF TABLET" is half a tablet, not one ("GIVE ONE-HALF TABLET 3 TIMES DAILY" left the count unchecked).
    .replace(/\bONE[- ]HALF\b|\bHALF\b|\b1\/2\b|½/g, ' 0.5 ')
    // A small q is often read as g ("g4h"), or as g and q ("gq4h", "qg4h": a camera photo, batch
    // 132300, no schedule), and a 1 as l or I ("ql2h"), or as the leaning stroke \ ("Q\2H" for Q12H
    // on a camera photo, fresh seed 104100, its I read so in a name too): an interval of hours is
    // digits, and the letter carries no part of the schedule.
    .replace(/\b(?:[QG]|GQ|QG) ?([0-9IL|\\]?\d[0-9IL|\\]?) ?H\b/g, (_, n: string) => `Q${n.replace(/[IL|\\]/g, '1')}H`)
    // "gid" is qid with its q read as g (Q_CODE_READ_G): here the letter opens the code, so it is repaired and doubted.
    .replace(Q_CODE_READ_G, 'Q$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Turns directions as printed into a schedule, an as-needed flag and extra instructions. */
export function normaliseSig(sig: string): NormalisedSig {
  const spelled = spelledSig(sig);
  const canon = ungluedWords(spelled);
  const { schedule, numeric } = scheduleOf(canon);
  const as_needed = AS_NEEDED.test(canon);
  const instructions = INSTRUCTIONS.filter(([re]) => re.test(canon)).map(([, s]) => s);
  // Unglued words (unglued) are the letters as read but not the spacing: where they gave the
  // schedule, a re-read must see the space to confirm it.
  const unspaced = canon !== spelled && scheduleOf(spelled).schedule !== schedule;
  return {
    schedule,
    as_needed,
    instructions: instructions.length ? instructions.join('; ') : null,
    unambiguous: schedule !== null,
    numeric,
    repaired: (schedule !== null && READ_G_CODE.test(sig.toUpperCase())) || (READ_REPAIRED.some((re) => re.test(sig.toUpperCase())) && scheduleOf(ungluedWords(spelledSig(sig, false))).schedule !== schedule) || unspaced,
  };
}

/** The one schedule directions name (null for none, a vague one or two), and whether it hangs on digits. */
function scheduleOf(canon: string): { schedule: Schedule | null; numeric: boolean } {
  let text = ` ${canon} `;
  const found = new Set<Schedule | null>();
  let morning = false;
  let numeric = false;
  /** The times of day a once-daily schedule was said by ("EVERY MORNING"). */
  const onceAt = new Set<string>();
  for (const [re, toSchedule] of RULES_ALL) {
    // (matchAll and replace each start from the text's beginning: the shared pattern's lastIndex stays 0.)
    for (const m of text.matchAll(re)) {
      const schedule = toSchedule(m);
      found.add(schedule);
      if (schedule !== null && /\d/.test(m[0])) numeric = true;
      if (schedule === 'Once daily' && /MORNING|\bQAM\b/.test(m[0])) morning = true;
      if (schedule === 'Once daily') for (const t of m[0].match(TIME_ALL) ?? []) onceAt.add(timeOfDay(t));
    }
    text = text.replace(re, ' # ');
  }
  // Once a day said by its time ("EVERY MORNING") with another time of day left over ("… EVERY
  // MORNING" / "EVENING": the AND between them lost to a tilted line, fresh seed 72000) names two
  // doses a day, or two schedules: not once daily. A time the once-daily words did not name leaves
  // "ONCE DAILY AT NIGHT" alone, and the same time said again ("EVERY MORNING WITH BREAKFAST") too.
  if (onceAt.size > 0 && [...text.matchAll(TIME_ALL)].some((m) => !onceAt.has(timeOfDay(m[0])))) found.add(null);
  // Bedtime is a once-a-day time, so "DAILY ... AT BEDTIME" is not a conflict; a morning dose and a
  // bedtime dose not joined as one list ("IN THE MORNING FOR 5 DAYS THEN AT BEDTIME") is.
  if (found.has('At bedtime') && !morning) found.delete('Once daily');
  // "EVERY MORNING ... DAILY" both mean once daily, so only distinct schedules count as a conflict.
  const distinct = new Set(found);
  return { schedule: distinct.size === 1 ? [...distinct][0]! : null, numeric };
}

const DOSE_WORDS: Record<string, number> = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4 };

/** A dose of pieces ("2 TABLETS", "ONE CAPSULE") after a verb that opens directions, or after whatever word opens them. */
const DOSE_OF_PIECES = '\\s+(\\d+(?:[_.]\\d+)?|ONE|TWO|THREE|FOUR)\\s+(?:TABLETS?|CAPSULES?|TABS?|CAPS?)\\b';
const DOSE_AFTER_VERB = new RegExp(`\\b(?:TAKE|GIVE|CHEW|DISSOLVE|SWALLOW)${DOSE_OF_PIECES}`);
const DOSE_AFTER_FIRST_WORD = new RegExp(`^[A-Z]{1,8}${DOSE_OF_PIECES}`);
/** How many tablets or capsules one dose is ("TAKE 2 TABLETS", "TAKE ONE CAPSULE", "1/2 TABLET"); null when not counted so. */
export function dosePerAdministration(sig: string): number | null {
  // canonicalSig turns points into spaces, which made "TAKE 1.5 TABLETS" no dose at all (and its count
  // unchecked): a point between digits is kept through it.
  // A 1 read as a bar or an I before the form ("GIVE | TABLET BY MOUTH", both looks of a hard photo,
  // fresh seed 87900, where the count went unchecked and a misread one won) is the 1: canonicalSig
  // drops a bar standing alone.
  // But a stroke standing alone before the dose's digits ("GIVE | 5 TABLETS" for 1.5, both looks of a
  // hard photo, fresh seed 117600, where the count was checked against 5 and a right 270 turned 210)
  // is digits of the dose lost: 1.5 or 15, or 5 and a speck; no dose to check a count against.
  if (/(?:^|\s)[|!Il]\s+\d/.test(sig)) return null;
  const canon = canonicalSig(sig.replace(/(\d)\.(\d)/g, '$1_$2').replace(/(?<=^|\s)[|Il](?=\s+(?:TABLETS?|CAPSULES?|TABS?|CAPS?)\b)/gi, '1'));
  // Or after whatever word opens the directions: a verb misread past knowing ("TE 1 TABLET BY MOUTH
  // ONCE DAILY", fresh seed 81900) still leaves the dose before the form, and the count to check.
  const m = canon.match(DOSE_AFTER_VERB) ?? canon.match(DOSE_AFTER_FIRST_WORD);
  if (!m) return null;
  const dose = DOSE_WORDS[m[1]!] ?? Number(m[1]!.replace('_', '.'));
  // Tablets are taken whole, in halves or in quarters: "GIVE 1.9 TABLETS" is 1.5 misread (fresh seed
  // 74400), and a count checked against it would be checked against nothing the label says.
  return Number.isInteger(dose * 4) ? dose : null;
}
