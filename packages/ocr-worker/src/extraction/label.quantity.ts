import type { DrugLexicon } from './drug.lexicon.js';
import { tokensOf } from './drug.tokens.js';
import type { FieldHit } from './label.fields.js';
import { spanConfidence, type Segment } from './label.layout.js';
import { CAPITAL_DIGITS, digitsOf, dollarAsFive, markReadings, ocrDistance } from './ocr-confusion.js';
import { findDosages } from './dosage.parser.js';

/** What a dispensed count is counted in, as printed -> canonical. */
const UNITS: [RegExp, string][] = [
  [/^(?:TABS?|TABLETS?|TBS?|TB)$/i, 'tablet'],
  [/^(?:CAPS?|CAPSULES?|CP)$/i, 'capsule'],
  // A blurred m reads as w ("2.5 WL"), as in strengths ("8wg"); the l as an i ("5mi", a UK label's
  // quantity line in one look of a mild photo, fresh seed 105000: no count was found).
  [/^(?:ML|MLS|WL|MI|MILLILITRES?|MILLILITERS?)$/i, 'mL'],
  [/^(?:G|GM|GMS|GRAMS?)$/i, 'g'],
  [/^(?:INH|INHALERS?)$/i, 'inhaler'],
  [/^(?:PENS?)$/i, 'pen'],
  [/^(?:PATCH(?:ES)?)$/i, 'patch'],
  [/^(?:EA|EACH|UNITS?|PKG|PACKS?|BOXE?S?|KITS?|VIALS?|BOTTLES?|SUPP|SUPPOSITORIES?|LOZENGES?|SACHETS?)$/i, 'each'],
];

/** Unit words long enough that one misread letter leaves them unmistakable ("tblets", "CAPSULFS"). */
const LONG_UNITS: [string, string][] = [['TABLETS', 'tablet'], ['TABLET', 'tablet'], ['CAPSULES', 'capsule'], ['CAPSULE', 'capsule'], ['INHALERS', 'inhaler'], ['INHALER', 'inhaler'], ['PATCHES', 'patch']];

/** The unit a word spells as labels print it, no letter misread. */
const spelledUnit = (word: string): string | null => UNITS.find(([re]) => re.test(word.replace(/[^A-Za-z]/g, '')))?.[1] ?? null;
export const quantityUnit = (word: string | undefined): string | null => {
  if (!word) return null;
  // A lone 6 where the unit stands is a G ("16 6 Nasonex" for "16 G"): 6 and G are look-alikes; so is a lone ¢ (UNIT_LETTERS).
  if (word === '6' || word === '¢') return 'g';
  const w = word.replace(/[^A-Za-z]/g, '');
  const exact = spelledUnit(w);
  if (exact) return exact;
  if (w.length < 5) return null;
  return LONG_UNITS.find(([u]) => ocrDistance(w.toUpperCase(), u, 1) <= 1)?.[1] ?? null;
};

export interface QuantityHit extends FieldHit<number> {
  unit: string | null;
  /** The count was read as digits (no look-alike letters repaired: "3O", "l4"). */
  exact: boolean;
  /**
   * The count is of packs and another number follows ("2 X 30 TABLETS", "1 x 100 mL", "2 Boxes
   * of 30"): what was dispensed is a product the label leaves to the reader.
   */
  packed: boolean;
  /**
   * A digit of the count was a letter (a first T for a 7, a last A for a 4), or the unit word after it
   * was misread past reading (MISREAD_FORM): repaired or inferred, not read, so never sure.
   */
  repaired?: boolean;
  /** A digit of the count was read as a mark glued after it ("QTY: 4%" for 45): its last digit is not known. */
  digitLost?: boolean;
  /** A digit was read as a mark that stands for either of two (the section sign: 5 or 8): every count it can be, `value` the first. */
  readings?: number[];
}

/** After a count, "x 30" or "of 30": the count multiplies another number. */
const TIMES_AFTER = /^\s*(?:[x×*]|OF)\s*\d/i;

/**
 * A count's digits, with the letters Tesseract reads for them: O for 0, I l | \ for 1, and a T for a 7
 * opening the count before a digit ("T20 CAPSULES" for 720: a 7's bar and stem under glare). A T
 * anywhere else is a letter ("30TAB" is 30 and TAB). A decimal point read as a colon before one
 * digit ("2:5" for 2.5 mL of eye drops, both looks of a mild photo, fresh seed 121800, saved as 2
 * and not sent to review): a time has two digits after its colon. The point is repaired, so doubted.
 */
// A 1 leaning into a backslash ("2\ tablets" for 21 in both looks of a hard photo, batch 152100,
// with tesseract.js: no count; as in "\mitrex", ocr-confusion.ts) is a stroke like the others.
const NUM = '((?:T(?=[0-9OIl|\\\\]*[0-9]))?[0-9OIl|\\\\]{1,5}(?:[.,][0-9]{1,2}|:[0-9](?![0-9]))?)';
/**
 * A unit word as Tesseract may return it: a letter it splits into two glyphs leaves a stray one
 * beside the word ("17 G6 Flonase" and "45¢g" for 17 G and 45 g: the g's bowl and tail read as a
 * second glyph); quantityUnit reads the letters only. The g may be read as the ¢ alone ("8.5¢",
 * "Dispensed: 16 ¢": five readings of three labels in ~1,900 of fresh seeds 69000-69900).
 */
const UNIT_LETTERS = '(?:¢?[A-Za-z]{1,12}[69]?|¢)';
/** A unit word, or a lone 6 standing for a G before the drug's name (look-alikes). */
const UNIT_WORD = `(${UNIT_LETTERS}|(?<=\\s)6(?=\\s+[A-Za-z]))?`;
/** A word with any one of its letters misread or lost, as a pattern ("Dspensed", "pispensed" for DISPENSED). */
const oneLetterOffPattern = (word: string): string => [...word].map((_, i) => `${word.slice(0, i)}[A-Z]?${word.slice(i + 1)}`).join('|');
/**
 * DISPENSED one letter misread or lost, or its head misread as long as "…pensed" is read; or its D,
 * PEN and ED read and the letters between misread, where a colon follows ("DLGPENGED: 480", both
 * looks of a hard photo, fresh seed 118800: no count).
 */
const DISPENSED_MISREAD = `${oneLetterOffPattern('DISPENSED')}|[A-Z]{0,3}PENSED|D[A-Z]{1,3}PEN[A-Z]ED(?=\\s*:)`;
/** QUANTITY with its middle misread ("Quantny"). */
const QUANTITY_MISREAD = 'QU?AN[A-Z1]{1,3}Y';
/**
 * Field labels for the dispensed count ("Qty filled", "Dispense" as prescriptions write it), with common misreadings (OTY, QIY, "(TY": a Q whose tail and right side glare took; any middle letter, "Quy:",
 * or one letter lost, "Qy:", "Qi:", "TY:" (the Q at a line's edge), or its q and t read as o and n ("ony:"), when the colon follows: no other
 * field word on a label is two or three letters opening with Q, or is TY) and other countries' words (Mitte, Qté).
 * "Dispensed" with one letter misread or lost, or its head misread as long as "…pensed" is read
 * ("pispensed", "Dspensed 30 Capsules", "Ospensed", "Dpensed": 11 of ~790 readings of the word in the
 * cached pages of fresh seeds 99300-101700): no other word a label prints before a count ends so.
 * DISP with a speck read as a letter after it ("DISPL 1A TABLETS", both looks of a hard photo, fresh
 * seed 108000). The Q word with no colon too where a count of tablets or capsules follows ("Quy 504
 * Tablets", both looks of a hard photo, fresh seed 108000: no quantity found), but not a code of
 * directions (QID). QTY or QY with its space lost before the count ("Qy6.7g", both looks of a camera
 * photo, fresh seed 112200): no word opens so. QUANTITY with its middle letters misread
 * ("Quantny 12", a hard photo, fresh seed 111000): no other word on a label runs QUAN…Y. Its Q read
 * as "(" with its T misread too, where a count of tablets or capsules follows ("(ry: 20 Capsules" and
 * "(ay:" in the two looks of a hard photo, fresh seed 116100: no count); and glued QTY with its T read
 * as R or U, as in a row of captions ("qry7", fresh seed 116100). QTY with a speck after it read as
 * a letter before its colon ("QryY: 18", a camera photo, fresh seed 118200: no count). DISP glued to
 * its count ("DISP17", both looks of a hard photo, fresh seed 118800): no word opens so. DISP with
 * its first letters cut at the photo's edge ("sp: 7 Tablets", "isp: 7 Tablets", both looks of a hard
 * photo, batch 123900), where a count of tablets or capsules follows.
 */
const QTY_KEY = `(?:(?:\\b[QO0]{1,2}|(?<![A-Za-z0-9(])\\()[TI1][YV]\\b(?:\\s*(?:DISPENSED|FILLED))?|\\bQ[A-Z]{1,2}(?=\\s*:)|\\bQ[RT][YV][A-Z](?=\\s*:)|(?<![A-Za-z0-9(])\\([A-Z]{1,2}(?=\\s*:\\s*\\d{1,4}\\s+(?:TAB|CAP))|\\bQ(?!ID\\b|AM\\b|PM\\b|HS\\b|OD\\b)[A-Z]{1,2}(?=\\s+\\d{1,4}\\s+(?:TAB|CAP))|\\b[QO0]N[YV](?=\\s*:)|(?<![A-Za-z0-9])T[YV](?=\\s*:)|\\bQ[TRUI1]?[YV](?=\\d)|\\b${QUANTITY_MISREAD}\\b(?:\\s*(?:DISPENSED|FILLED))?|\\bDISP(?:ENSED?|[A-Z])?\\b|\\bDISP(?=\\d)|(?<![A-Za-z0-9])I?SP(?=\\s*:\\s*\\d{1,4}\\s+(?:TAB|CAP))|\\b(?:${DISPENSED_MISREAD})\\b|\\bDSP\\b|\\bMITTE\\b|\\bQT[EÉ]\\b)`;
/**
 * A line opening with the count's caption misread ("Dspensed 720 Tablets", both looks of a hard photo,
 * fresh seed 113700): a field of its own, so the directions above end before it (sig.block.ts), as
 * they do before the caption read right. Without it they ran on to swallow the count.
 */
export const COUNT_CAPTION_MISREAD = new RegExp(`^\\s*(?:${DISPENSED_MISREAD}|${QUANTITY_MISREAD})\\b`, 'i');
/** What follows a day of the month, not a count: "Dispensed: 19-Jan-2023", "Dispensed 19 JAN 2023", "19.01.2023". */
const DATE_AFTER = '(?![-./]\\d)(?!\\s*[-./]?\\s*(?:JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\\.?(?:\\s|[-./]|$))';
// Between the word and the count: a colon or the like, or a run of leader dots ("QTY.......30", thermal printers).
/** The count's caption and what may stand between it and the count (a colon, a hash, a dash, dots). */
const QTY_LEAD = `${QTY_KEY}\\s*(?:[:;#-]|\\.+)?\\s*`;
const QTY_RE = new RegExp(`${QTY_LEAD}#?\\s*${NUM}(?![0-9/])${DATE_AFTER}\\s*${UNIT_WORD}`, 'gid');
/**
 * A count's last digit read as the letter of its shape, glued to it before the unit ("1A TABLETS",
 * "1ATABLETS" for 14: a 4 as A, a 2 as Z): no count ends in a letter, and the unit follows anyway.
 * Only before tablets or capsules, counted by the piece, where no unit word opens with the letter;
 * and before mL, a 5 as S too ("7SML" for 75 mL of a suspension, a hard photo, fresh seed 103200).
 */
/** Tablets or capsules, counted by the piece, as labels abbreviate them. */
const PIECES_WORD = '(?:TAB(?:LET)?S?|CAP(?:SULE)?S?)';
const LETTER_BEFORE_UNIT = new RegExp(`^(?:[AZ]\\s?${PIECES_WORD}|[AZS]\\s?ML)\\b`, 'i');
/**
 * A count's last digit read as the capital it looks like and glued to it, with no unit after it
 * ("Qty: 4s" and "4S" for 45 g of a cream in the three looks of a hard photo, fresh seed 81600,
 * where 4 was saved unreviewed): no unit is one such letter (G is grams, O already a 0).
 */
const LAST_DIGIT_AS_LETTER = /^([SsABZ])(?![A-Za-z])/;
/** "30 TAB Prevacid…", "28 Sertraline 50mg tablets": a count opening the drug line. */
const LEAD_RE = new RegExp(`^\\s*${NUM}\\s*${UNIT_WORD}\\s+(?=[A-Za-z(])`);
/**
 * "% TAB HYDROCHLOROTHIAZIDE 12.5mg", "2% CAP PMS-FLUOXETINE 20mg": a count opening the drug line
 * whose two digits blur into a percent sign (90, 28), or are lost as a speck, leaving the unit
 * alone ("TAB HYDROCHLOROTHIAZIDE"). No strength is a percentage of tablets or capsules, and no
 * drug's name opens with its form, so it is a count that cannot be read, and the drug's words follow.
 */
const UNREAD_COUNT_RE = new RegExp(`^\\s*(?:\\d?%\\s*)?${PIECES_WORD}\\s+(?=[A-Za-z])`, 'i');
/**
 * "BA TAB TEVA-ISOSORBIDE…" for 84 TAB: a count opening the drug line with every digit read as the
 * capital it looks like (B 8, A 4, S 5, O 0, Z 2, G 6; twice in one batch of fresh seed 69900, in
 * two looks of one photo and on another). Before the form and a drug's words it can only be the
 * count: it is offered, never sure.
 */
const LETTERED_COUNT_RE = new RegExp(`^\\s*([0-9BASOZG$§]{1,3})\\s*(${PIECES_WORD})\\s+(?=[A-Za-z])`);
/**
 * The same after a quantity caption, where the count ends the caption's value ("Quy: A Repeats: 4"
 * for Qty: 4 on an Australian label, fresh seed 70800): the line ends, or a unit or the next caption
 * follows. mL is kept as the unit ("QUANTITY: SML" for 5 mL of eye drops, a camera photo, fresh seed
 * 108000, its other look "ML" alone: no quantity found).
 */
const LETTERED_QTY_RE = new RegExp(`${QTY_LEAD}([0-9BASOZG$§]{1,3})(?=\\s*(?:$|${PIECES_WORD}\\b|(ML)\\b|REPEATS?\\b|REFILLS?\\b))`, 'gi');
/**
 * A count with a digit read as the section sign ("Quantity: § Refills" for 5, both looks of a hard
 * photo, fresh seed 113700, no count; "§ TAB PMS-LEVOTHYROXINE" for 8 in 111000, where the § was read
 * too faintly to outlive trimming) is a 5 or an 8 (markReadings): both are given, the directions to
 * choose (label.parser.ts countFit), and the count is doubted whichever they choose.
 */
const letteredReadings = (raw: string): number[] | null => {
  const readings = markReadings(dollarAsFive(raw.replace(/[BASOZG]/g, (c) => CAPITAL_DIGITS[c]!)))
    .filter((d) => /^[1-9]\d*$/.test(d))
    .map(Number);
  return /[A-Z$§]/.test(raw) && readings.length > 0 ? readings : null;
};
const letteredCount = (raw: string): number | null => letteredReadings(raw)?.[0] ?? null;
/** A lettered count's readings for its hit, where a mark gives more than one. */
const severalReadings = (readings: number[]): { readings?: number[] } => (readings.length > 1 ? { readings } : {});
/** The drug line's opening count read as letters (LETTERED_COUNT_RE) and its readings; null when it opens otherwise. */
const letteredLead = (text: string): { m: RegExpMatchArray; readings: number[] } | null => {
  const m = text.match(LETTERED_COUNT_RE);
  const readings = m ? letteredReadings(m[1]!) : null;
  return m && readings ? { m, readings } : null;
};
/**
 * A word in the place of a count's unit that is none: the form's three-letter abbreviation (TAB,
 * CAP, INH) with letters misread or lost ("TA8", "IAB", "TAS", "IW", "I"). What follows it decides.
 */
const MISREAD_FORM = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,3}$/;
/** A strength's unit after a number opening a line ("5 MG …"): a strength, not a count. */
const STRENGTH_UNIT = /^(?:MG|MCG|MEQ|UNITS?|IU|MGS|MQ)$/i;
const FORM_ABBREVIATIONS = ['TAB', 'CAP', 'INH'];
/**
 * A line that is only a count and its unit: "28 tablets", "100ml", "#30 TABLETS" (the count sign of
 * prescriptions). The unit's T may be read as a 1 or a 7, its bar and stem ("42 1ablets" in both looks
 * of a hard photo, fresh seed 86100); quantityUnit reads the rest ("ablets", one letter lost).
 */
const ALONE_RE = new RegExp(`^\\s*#?\\s*${NUM}\\s*(${UNIT_LETTERS}|(?<=\\s)[17][A-Za-z]{4,11})\\s*$`);
/** A line that is only a count and its unit ("20 TABLETS", "#30 caps", "20 TARLETS"): the match, the count and its unit; null otherwise. */
function aloneCount(text: string): { m: RegExpMatchArray; value: number; unit: string } | null {
  const m = text.match(ALONE_RE);
  const unit = m ? quantityUnit(m[2]) : null;
  const value = m && unit ? number(m[1]!) : null;
  return m && unit && value !== null ? { m, value, unit } : null;
}
/**
 * A line that is only a count and a small m: mL with its l lost ("20m" under a UK label's drug line,
 * both looks of a camera photo of insulin, fresh seed 144000: no count was found). No other unit is
 * an m alone, but the l was not read, so the count is offered, never sure.
 */
const ML_L_LOST_RE = /^\s*(\d{1,3}(?:\.\d{1,2})?)\s*m\s*$/;
/**
 * A line that is only a count of pieces whose last digit blurred into a percent sign or a ring ("5%
 * tablets" for 56 in both looks of a hard photo, batch 153300: no count), as after a caption: no
 * count of tablets is a percentage, so a digit is missing. The directions may give it (countFit); doubted.
 */
const ALONE_MARK_RE = new RegExp(`^\\s*(\\d{1,3})[%°]\\s*(${PIECES_WORD})\\s*$`, 'i');
/** The line is only a count and its unit (aloneCount): the quantity, not more of the directions (sig.block.ts). */
export const countAlone = (text: string): boolean => aloneCount(text) !== null;

/**
 * The same with digits read as the capitals they look like ("SmL" for 5mL under a Quantity
 * caption: fresh seed 77400, a hard photo, in one of two looks; the other read "S5mL"; "S04
 * CAPSULES" for 504 under a row of captions, 79200). A letter before digits may be a stray mark as
 * well as a digit ("S5": 5 or 55), so it is taken only where the count could not open without it,
 * before a 0. The count must end where the unit visibly starts, at a space or a small letter: in
 * capitals glued ("SAG") no one can tell the count's letters from the unit's. A 5 read as a dollar
 * sign ("$40 TABLETS" for 540, dollarAsFive) is no speck, so it may open the count. Offered, never sure,
 * as on the drug line and after a caption.
 */
const LETTERED_ALONE_RE = /^\s*([BASOZG]{1,3}|[BASOZG]0\d{0,2}|\$\d{1,2})(?:\s+|(?=[a-z]))([A-Za-z]{1,12})\s*$/;

/**
 * A count of one glued to a singular unit, its 1 read as the letter or bar it looks like, alone on
 * its line as UK labels print the quantity ("linhaler" for "1 inhaler" in one look of a hard photo,
 * fresh seed 91200; the other read "inhaler"). A stroke is a 1 only before a unit word spelled
 * whole and singular, as only one of a thing is. Offered, never sure: the digit was not read.
 */
const STROKE_ONE_ALONE_RE = /^\s*[lI|]\s*([A-Za-z]{2,9})\s*$/;
const singularUnit = (word: string): string | null => (/s$/i.test(word) ? null : spelledUnit(word));
/**
 * So after the count's caption, standing apart from its unit ("Dispensed: | Inhaler Days supply: 30"
 * in both looks of a hard photo, fresh seed 115500: no count read).
 */
const STROKE_ONE_QTY_RE = new RegExp(`${QTY_LEAD}[lI|!]\\s+([A-Za-z]{2,9})\\b`, 'gid');

/**
 * Narrow labels stack each field under its caption: Rx number, quantity, refills. A line that is
 * only a count under a short word that is no caption read ("oy", "ety": QTY lost) and over the
 * refills' caption with its own value is the count ("oy" / "126" / "Refills left" / "1", a hard
 * photo, fresh seed 91800, in both looks). Offered, never sure: its caption was not read.
 */
const COUNT_ONLY_RE = /^\s*#?\s*(\d{1,4})\s*$/;
const UNREAD_CAPTION_RE = /^\s*[A-Za-z]{1,6}[.:]?\s*$/;
const REFILLS_KEYED_RE = /^(?:REFILLS|REPEATS):\s*\d/;

/** A days supply's caption before a number ("Days Supply: 30 Refills: 2"): the number is the days. */
const DAYS_BEFORE = /\b(?:DAYS?|SUPPLY)\W*$/i;
/**
 * "ry. 28 Repeats: 3", "oy 28 Repeats: 2": the count before the repeats (or refills) caption whose own
 * count follows it, as Australian and UK labels print the two on one line ("Qty: 28 Repeats: 3"),
 * with the quantity caption unread (fresh seed 82800, a hard photo; "pty:", "oy" in earlier rounds),
 * and US labels "QTY: 12 Refills remaining: 2" ("a: 12" and "ry: 12", both looks of a hard photo, fresh seed 88500).
 * The number before a caption that is followed by its own number is not that caption's, and no
 * other field is printed there. Offered, never sure: its caption was not read.
 */
const COUNT_BEFORE_REPEATS = new RegExp(`(?<=^|\\s)(\\d{1,3})([%°])?(?:\\s*(${PIECES_WORD}))?(?=\\s+(?:REPEATS?|REFILLS?)(?:\\s+(?:REMAINING|LEFT))?\\s*[:;.]\\s*\\d)`, 'i');

/**
 * "1INH APO-ALBUTEROL": the unit glued to the count opens with a letter the count's pattern takes
 * for a digit (I for 1), so the count reads "1I" and the unit "NH". When the count's trailing letters
 * and the word after them spell a unit, and the word alone does not ("NHALER" is only one letter
 * off a unit), the count ends before them.
 */
function ungluedUnit(m: RegExpMatchArray): RegExpMatchArray {
  const tail = m[1]!.match(/^(\d+)([A-Za-z|]+)$/);
  if (!tail || !m[2] || spelledUnit(m[2]) || !spelledUnit(tail[2]! + m[2])) return m;
  const out = [m[0], tail[1]!, tail[2]! + m[2]] as unknown as RegExpMatchArray;
  out.index = m.index;
  return out;
}

const hit = (seg: Segment, m: RegExpMatchArray, start: number, pattern: number, value: number, unit: string | null, raw: string): QuantityHit => ({
  value,
  unit,
  exact: /^[0-9]+(?:[.,][0-9]+)?$/.test(raw),
  ...(/^T|:/.test(raw) && { repaired: true }),
  packed: (/^[x×]$/i.test(m[2] ?? '') && /^\s*\d/.test(seg.text.slice(start + m[0].length))) || TIMES_AFTER.test(seg.text.slice(start + m[0].length)),
  ocr: spanConfidence(seg, start, start + m[0].length),
  pattern,
  segment: seg,
  span: [start, start + m[0].length],
});

const number = (raw: string): number | null => {
  const d = digitsOf(raw.replace(/^T/, '7').replace(/[,:]/, '.'));
  return d === null ? null : Number(d);
};

/**
 * The dispensed quantity and its unit: from a quantity label ("QTY: 60", "Dispensed: 21 tablets",
 * "Qty: 90 Tablets"), from a count opening the drug line (Canadian and UK labels: "30 TAB
 * Prevacid 30mg", "28 Sertraline 50mg tablets"), or from a line that is only a count ("28 tablets").
 */
export function findQuantity(segments: Segment[], drugSegments: (Segment | null)[], lexicon: DrugLexicon): QuantityHit | null {
  const hits: QuantityHit[] = [];
  const labelled = (seg: Segment) => {
    for (const read of seg.text.matchAll(QTY_RE)) {
      // "QTY: 1INHALER": the unit's I read into the count (fresh seed 85800, a mild photo, gave 11).
      const m = ungluedUnit(read);
      const v = number(m[1]!);
      if (v === null) continue;
      const after = /^[0-9]+$/.test(m[1]!) ? seg.text.slice(read.indices![1]![0] + m[1]!.length) : '';
      // The last digit glued as its capital, before the unit (which it then gives) or with none after.
      const letter = after.match(LETTER_BEFORE_UNIT);
      const glued = letter ?? after.match(LAST_DIGIT_AS_LETTER);
      if (glued) hits.push({ ...hit(seg, m, m.index!, 1, Number(m[1]! + CAPITAL_DIGITS[glued[0][0]!.toUpperCase()]!), letter ? quantityUnit(letter[0].slice(1).trim()) : null, m[1]!), exact: false, repaired: true });
      // A percent sign glued after the count is a digit blurred into one ("Dispensed: 4% g" for 45 g
      // in the three looks of a hard photo, fresh seed 83400, read at 0.89; as "2% CAP" opens a drug
      // line for 28): no count is a percentage, so a digit is missing. Doubted. So is a degree sign,
      // a small ring ("QTY: 4%" for 45, both looks of a hard photo, fresh seed 103500; "6°" for 60,
      // fresh seed 100800): the count the directions give for a usual period may be offered (countFit).
      else if (/^[%°]/.test(after)) hits.push({ ...hit(seg, m, m.index!, 1, v, null, m[1]!), exact: false, repaired: true, digitLost: true });
      else hits.push(hit(seg, m, m.index!, 1, v, quantityUnit(m[2]), m[1]!));
    }
    for (const m of seg.text.matchAll(STROKE_ONE_QTY_RE)) {
      const unit = singularUnit(m[1]!);
      if (unit) hits.push({ ...hit(seg, m, m.index!, 0.85, 1, unit, '1'), exact: false, repaired: true });
    }
    for (const m of seg.text.matchAll(LETTERED_QTY_RE)) {
      const readings = letteredReadings(m[1]!);
      if (readings) hits.push({ ...hit(seg, m, m.index!, 1, readings[0]!, quantityUnit(m[2]), m[1]!), exact: false, repaired: true, ...severalReadings(readings) });
    }
  };
  for (const [i, seg] of segments.entries()) {
    const before = hits.length;
    labelled(seg);
    const captioned = hits.length > before;
    const alone = aloneCount(seg.text);
    if (alone) hits.push(hit(seg, alone.m, 0, 0.9, alone.value, alone.unit, alone.m[1]!));
    const lostL = seg.text.match(ML_L_LOST_RE);
    if (lostL) hits.push({ ...hit(seg, lostL, 0, 0.9, Number(lostL[1]), 'mL', lostL[1]!), exact: false, repaired: true });
    const marked = seg.text.match(ALONE_MARK_RE);
    if (marked) hits.push({ ...hit(seg, marked, 0, 0.9, Number(marked[1]), quantityUnit(marked[2]), marked[1]!), exact: false, repaired: true, digitLost: true });
    // The caption is often a column of its own ("ry. 28" | "Repeats: 3"): the line read on into the next segment.
    const next = segments[i + 1];
    const beforeRepeats = `${seg.text} ${next?.line === seg.line ? next.text : ''}`.match(COUNT_BEFORE_REPEATS);
    // Its last digit may be read as a mark too ("gry: 5% REFILLS: 4" for 56, a hard photo, fresh seed 105300), as after a caption.
    if (beforeRepeats && !captioned && beforeRepeats.index! < seg.text.length && !DAYS_BEFORE.test(seg.text.slice(0, beforeRepeats.index))) hits.push({ ...hit(seg, beforeRepeats, beforeRepeats.index!, 0.85, Number(beforeRepeats[1]), quantityUnit(beforeRepeats[3]), beforeRepeats[1]!), exact: false, repaired: true, ...(beforeRepeats[2] && { digitLost: true }) });
    const stacked = seg.text.match(COUNT_ONLY_RE);
    if (stacked && next && REFILLS_KEYED_RE.test(next.text) && i > 0 && UNREAD_CAPTION_RE.test(segments[i - 1]!.text) && segments[i - 1]!.line === seg.line - 1)
      hits.push({ ...hit(seg, stacked, 0, 0.85, Number(stacked[1]), null, stacked[1]!), exact: false, repaired: true });
    const stroke = seg.text.match(STROKE_ONE_ALONE_RE);
    const strokeUnit = stroke ? singularUnit(stroke[1]!) : null;
    if (stroke && strokeUnit) hits.push({ ...hit(seg, stroke, 0, 0.85, 1, strokeUnit, '1'), exact: false, repaired: true });
    const lettered = seg.text.match(LETTERED_ALONE_RE);
    const letteredUnit = lettered ? quantityUnit(lettered[2]) : null;
    if (lettered && letteredUnit) {
      const v = letteredCount(lettered[1]!);
      if (v !== null) hits.push({ ...hit(seg, lettered, 0, 0.85, v, letteredUnit, lettered[1]!), exact: false, repaired: true });
    }
  }
  for (const seg of new Set(drugSegments)) {
    if (!seg) continue;
    // A labelled count printed on the drug line itself ("METFORMIN 500MG TAB QTY: 60").
    if (!segments.includes(seg)) labelled(seg);
    const lead = letteredLead(seg.text);
    if (lead) {
      hits.push({ ...hit(seg, lead.m, 0, 0.85, lead.readings[0]!, quantityUnit(lead.m[2]), lead.m[1]!), exact: false, repaired: true, ...severalReadings(lead.readings) });
      continue;
    }
    const m0 = seg.text.match(LEAD_RE);
    const m = m0 ? ungluedUnit(m0) : null;
    const v = m ? number(m[1]!) : null;
    if (!m || v === null) continue;
    const unit = quantityUnit(m[2]);
    if (unit) {
      hits.push(hit(seg, m, 0, 0.95, v, unit, m[1]!));
      continue;
    }
    // Without a unit word, the word after the number must be a drug the lexicon knows ("28
    // Sertraline"), or a name whose strength follows on the line ("28 Gepirone ER 18.2mg"): the
    // drug line opening with its count, as UK and Canadian labels print it, for a drug the lexicon lacks.
    const from = m[2] === undefined ? m[0].length : m[0].indexOf(m[2]);
    const [next, after] = tokensOf(seg, from, seg.text.length, lexicon);
    // The name may be the line's only word before the strength ("7 Zuranolone 25mg capsules"): the
    // pattern then leaves it out of its unit word, since no letter follows it, so the next token is the name.
    const name = m[2] ?? next?.raw;
    const namedThenStrength = !!name && /^[A-Z][A-Za-z]{3,}$/.test(name) && findDosages(seg.text.slice(from)).length > 0;
    if (next?.match?.kind === 'drug' || (next && next.match === null && namedThenStrength)) hits.push(hit(seg, m, 0, 0.85, v, null, m[1]!));
    // The form's abbreviation misread between the count and a drug the lexicon knows ("30 TA8
    // ATORVASTATIN", "1 IW BUDESONIDE/FORMOTEROL" for TAB and INH): the count is offered, never sure.
    else if (next && next.match === null && MISREAD_FORM.test(next.raw) && !STRENGTH_UNIT.test(next.raw) && after?.match?.kind === 'drug') {
      hits.push({ ...hit(seg, m, 0, 0.85, v, null, m[1]!), repaired: true });
    }
  }
  // No pharmacy dispenses nothing: a count of 0 is a count whose other digits were lost ("m" / "0" over
  // "REFILLS LEFT" for 60, "0 Repeats: 0" for 360: hard photos of fresh seeds 99600 and 99900).
  return hits.filter((h) => h.value > 0).sort((a, b) => b.pattern * b.ocr - a.pattern * a.ocr)[0] ?? null;
}

/**
 * A line holding only a number, right under the drug's line: UK labels print the quantity so ("16g",
 * "8.5g"), and a spray's or an inhaler's g is lost or read as a digit ("169", "8.58": fresh seed
 * 78000, a clean photo, and 77700). Asked only for directions of a product dispensed by weight, where
 * the number is the weight (the parser's unitGlued takes the g off); the unit was not read, so it is
 * offered, never sure.
 */
export function bareCountUnder(segments: Segment[], drugSegment: Segment | null): QuantityHit | null {
  if (!drugSegment) return null;
  const seg = segments.find((s) => s.line === drugSegment.line + 1 && /^\s*\d{1,3}(?:\.\d{1,2})?\s*$/.test(s.text));
  if (!seg) return null;
  const m = seg.text.match(/\d[\d.]*/)!;
  return { ...hit(seg, m, m.index!, 0.5, Number(m[0]), null, m[0]), exact: false, repaired: true };
}

/**
 * Where the drug's words start on a line that opens with the dispensed count and its unit
 * ("30 TAB Prevacid FasTab 30mg" -> after "TAB "; after "% TAB " too, where the count is unread);
 * 0 when the line does not open so. A bare number is only skipped when its unit word is one
 * ("28 tablets") or none is printed.
 */
export function leadingCountEnd(text: string): number {
  const unread = text.match(UNREAD_COUNT_RE);
  if (unread) return unread[0].length;
  const lettered = letteredLead(text);
  if (lettered) return lettered.m[0].length;
  const m0 = text.match(LEAD_RE);
  const m = m0 ? ungluedUnit(m0) : null;
  if (!m || number(m[1]!) === null || STRENGTH_UNIT.test((m[2] ?? '').replace(/[^A-Za-z]/g, ''))) return 0; // a strength, not a count
  if (m[2] !== undefined && quantityUnit(m[2]) === null) {
    // "28 Sertraline …": the word after the number is the drug, so only the number is skipped.
    return text.indexOf(m[2], m[1]!.length);
  }
  // "30 TA8 ATORVASTATIN": a unit read one letter off (MISREAD_FORM) is no part of the drug's name either.
  const form = text.slice(m[0].length).match(/^([A-Za-z0-9]{3})\s+(?=[A-Za-z])/);
  if (form && FORM_ABBREVIATIONS.some((u) => ocrDistance(form[1]!.toUpperCase(), u, 1) <= 1)) return m[0].length + form[0].length;
  return m[0].length;
}
