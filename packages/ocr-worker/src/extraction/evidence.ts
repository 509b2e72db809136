/**
 * How confidence is made: a field's confidence is the probability, as well as we can state it,
 * that its value is right. It starts from how sure Tesseract was of the words (never more than
 * PRIOR_CAP: Tesseract misreads digits at 95–99 % word confidence) and is moved by each
 * independent piece of evidence as a likelihood ratio: how much more often that evidence is
 * seen when the reading is right than when it is wrong. The ratios are stated once here, from
 * what each check can and cannot catch, and are not fitted to any label set.
 *
 * One look at the pixels is never "certain": a field read once stays at most ONE_LOOK_CAP,
 * whatever the lexicon or the pattern says, because a confident misread of a digit passes every
 * check that does not look again. Above that needs a second, independent look that agrees: the
 * re-read of the field's own line (a second preprocessing of the whole label was measured not
 * to be one: see passesAgree).
 */
export const PRIOR_CAP = 0.9;
export const ONE_LOOK_CAP = 0.88;

export const LR = {
  /** The drug word is exactly a lexicon word: a misread rarely lands on another real drug name. */
  lexiconExact: 6,
  /** The drug word is a look-alike correction of one lexicon word (rn/m, 1/l, 0/O). */
  lexiconNear: 2,
  /** Corrected by more than look-alike edits: the lexicon is guessing. */
  lexiconFar: 0.6,
  /** Not a drug the lexicon knows: printed as read. */
  lexiconUnknown: 0.35,
  /**
   * A word read clearly that no lexicon word is within trusted reach of, taken for the one drug word
   * a single edit away or ending with it (`DrugLexicon.guessWord`): the likelier name, but a drug the
   * lexicon lacks reads the same, so it is only ever offered for review.
   */
  lexiconGuess: 0.2,
  /** A clean, unknown word sits inside the drug name: what is reported is probably part of it. */
  unknownWordInName: 0.05,
  /** The name's words are all known but make up no whole ingredient: part of the name was lost. */
  incompleteIngredient: 0.1,
  /** The strength is one the drug is made in (catches most misread digits, not 10 vs 40). */
  strengthListed: 4,
  /**
   * The strength is listed, but so is one a single look-alike digit away (amoxicillin 500 and 600 mg,
   * alendronate 10 and 70 mg): the misread the table would catch lands on a listed strength too, so
   * it cannot tell the two apart. A font whose 0 reads as 6 (or 8, 9) reads it so on every look.
   */
  strengthListedTwin: 1,
  /**
   * The strength is listed, and so are the same digits with a decimal point ("25 mg" and "2.5 mg" of
   * methotrexate, "125" and "12.5"): the point is the smallest mark on the line, lost on a blurred
   * or glared photo in every look alike, and a re-read of the same pixels loses it again. The table
   * cannot tell the two apart, and a point is lost far more often than one is invented, so the
   * reading without it is the ambiguous one: doubted, not only left unchecked (as a look-alike twin
   * is), since a re-read cannot settle it and a tenfold strength is the costliest silent error.
   */
  strengthPointTwin: 0.3,
  /** The drug is known and is not made in that strength: a misread. */
  strengthUnlisted: 0.1,
  /**
   * A whole strength of 100 or more whose last digit is not 0 or 5 ("363 mg", "506 mg"), for a drug
   * whose strengths the table cannot check. Of the strengths the lexicon lists at 100 mg or more,
   * about 5 % have that shape (104 of 2,105, levothyroxine's 137 among them); a decimal point lost
   * (36.3 read 363) or a last 0 read as 6, 8 or 9 gives it nearly always, and alike in every look.
   */
  strengthUnusualDigits: 0.05,
  /**
   * The drug's strengths are not in the table (a drug the FDA list lacks, or one listed without
   * them): nothing checks the digits but the pixels, and a font's 0 drawn as a 6 is read so in every
   * look and re-read alike ("Zuranolone 36mg" for 30 mg at 0.89, fresh seed 72300; "Zurzuvae 26mg"
   * for 20 mg, seed 69300). Such a strength is left for a person, below the review threshold
   * whatever the OCR says.
   */
  strengthUnchecked: 0.5,
  /**
   * The number and unit read as the strength is followed by how or when a dose is taken ("19 UNITS
   * UNDER THE SKIN", "5 ML BY MOUTH", "10 MG AT BEDTIME"): it is a dose from the directions, whose
   * verb was lost, not the strength. Labels print the strength on the drug line, followed by the
   * form, the volume or nothing; a route or a time of day follows a dose.
   */
  doseInDirections: 0.1,
  /** A strength's number opens with 0 and no point ("05 mg"): the decimal point was lost. */
  decimalPointLost: 0.1,
  /**
   * A strength per volume whose volume was printed but not read as a number ("15MG/S ML"): what
   * is reported is half of a concentration, whatever the strength table says of the first half.
   */
  volumeUnread: 0.1,
  /**
   * A quantity with a fraction counted in whole things ("8.5 INH", "2.5 TABS"): what is dispensed
   * by the piece comes whole, so the number measures something else (grams of an inhaler's
   * contents) and the printed unit is not what it is counted in.
   */
  fractionOfPieces: 0.2,
  /**
   * The glyph that carries the value was read as a look-alike letter and repaired: a frequency code
   * ("gid" for qid), a strength's only digit ("Smg" for 5mg, taken only where the drug is made in it).
   * The repair is the likelier reading, but the value was inferred, not read: offered for review.
   */
  letterRepaired: 0.3,
  /**
   * A count's digit read as a mark that stands for either of two digits (the section sign: 5 or 8),
   * the one taken being the one the directions fit: a choice between two readings, not a reading.
   */
  markOfTwoDigits: 0.1,
  /**
   * A refill count read as a lone 1 whose box is as wide as two digits: Tesseract runs two close
   * 1s together into one ("11" read "1") in typefaces whose 1 is a bare stroke, alike in a re-read.
   */
  oneMaybeDoubled: 0.3,
  /** A salt word the drug is not made with was read after its name ("TRAMADOL HC"): left out, so the name read is not all that was printed. */
  strayWordLeftOut: 0.7,
  /**
   * The label gives the count twice and the two differ: a labelled "Qty: 6" and a count opening the
   * drug line ("1 TRAMADOL HCL …"), or two labelled counts. One of the two was misread, and a re-read
   * of the one taken cannot tell which.
   */
  quantityCountsDiffer: 0.2,
  /** The count read is of packs, multiplied by a number printed after it ("2 X 30"): not the quantity dispensed. */
  packCount: 0.1,
  /** A person's name read as one word where labels print given name and surname (or a title and surname): part was lost. */
  nameIncomplete: 0.2,
  /**
   * A quantity with two decimals and no unit after it ("10.28" for "10.2g"): dispensed amounts
   * carry one decimal at most, and a unit letter glued to the number reads as a digit (g as 8 or 9).
   */
  unitReadAsDigit: 0.2,
  /**
   * A discard date not after the fill date, or more than three years on: discard dates follow the
   * fill by a year or so, so one of the two years was misread. Multiplies the discard date's confidence.
   */
  discardOutOfRange: 0.3,
  /**
   * A printed discard date one look-alike digit from a year after the fill ("12/16/2025" and
   * "12/10/2026"): pharmacies date one year on, so one of the two dates was misread. Multiplies both.
   */
  discardOneDigitOffYear: 0.8,
  /** A field label introduces the value ("QTY:", "Refills:"). */
  labelled: 2,
  /** The value is found only by where it stands (a count opening the drug line). */
  positional: 1,
  /** Quantity equals dose × doses a day × printed days supply. */
  quantityConsistent: 6,
  /** Quantity contradicts dose × doses a day × printed days supply. */
  quantityInconsistent: 0.25,
  /**
   * No days supply printed, and the quantity is not a whole number of days' doses for a fixed
   * schedule (39 tablets for two a day): pharmacies dispense whole days, misread digits do not.
   */
  quantityPartDays: 0.25,
  /**
   * No days supply printed, the count for a daily schedule is not a usual dispensing period (a
   * whole number of weeks or of five days: 7, 14, 28, 30, 90 …) but one look-alike digit away
   * from one (99 for 90 days, 39 for 30): prescriptions are written for weeks and months.
   */
  quantityOffUsualPeriod: 0.25,
  /**
   * No schedule or days supply checks the count, and its last digit is 6, 8 or 9 while it is neither
   * whole weeks nor a multiple of 6 ("279" for 270, "99" for 90, "38" for 30). Counts are doses a day
   * times days, and prescriptions run for 7, 10, 14, 28, 30, 60 or 90 days: a right count ends in 0
   * or 5 or is a multiple of 7 (30, 60, 90, 28, 56, 84, 100, 120, 180, 270, 360; 14, 21, 42), and
   * short courses every 4 hours or three times a day come in sixes (12, 18, 36, 48). None of the
   * synthesiser's tablet and capsule counts has that shape, against about 55 % of its counts with a 0
   * read as 6, 8 or 9 — a glyph misread alike in every look, so a re-read does not catch it.
   */
  quantityUnusualCount: 0.1,
  /**
   * A line outside the directions says another number of times a day ("… TAB 1 THREE TIME" beside
   * directions read "… BY MOUT / DAILY"): the directions may have lost the words that said it.
   */
  scheduleSaidElsewhere: 0.1,
  /** Every directions word is one labels use; the frequency is stated once. */
  sigVocabulary: 3,
  /** The re-read of the field's line gives the same value. */
  rereadAgrees: 8,
  /**
   * A second preprocessing of the whole label gives the same value. Measured on the training
   * split, not an independent look: both passes lost the same words ("TAKE TWO TABLETS
   * ORALLY" for "… EVERY EVENING") and read the same wrong digit (28 for 24). So it adds nothing.
   */
  passesAgree: 1,
} as const;

/**
 * What a re-read can vouch for alone. It reads the same pixels again, enlarged: it catches a
 * marginal misread (a digit Tesseract hesitated over) but not what the pixels themselves carry —
 * a font whose 4 looks like 9 to Tesseract both times, a word the glare or the print took from
 * both looks — nor a misreading of what the text means, which the same parser repeats. So a
 * critical field confirmed only by the re-read, with no check that does not look at the pixels
 * (the lexicon's whole ingredient, a strength the drug is made in, the quantity against the printed
 * days supply, directions in the vocabulary without a gap), stays below 0.9: read twice and
 * agreed, not proven. It is still at or above the review threshold: the re-read did agree.
 */
export const REREAD_ONLY_CAP = 0.89;

/**
 * On a photo smeared by the hand moving (motion.blur.ts), a critical field that only the pixels
 * vouch for (no check that does not look at them) is left for a person, however its re-read went.
 * The smear runs a digit's strokes together the same way in every look and every re-read: an 8
 * whose waist is smeared shut reads as 0 each time ("180" read "100" by both passes and the re-read
 * of a smeared photo, 89 % sure, fresh stretch seed 174300), so agreeing proves nothing there. A
 * sharp photo is not measured as smeared (none of 848 flat, tilted, phone, bottle, steep, turned,
 * curved and half-resolution photos of four fresh batches and the dev corpus; all 80 smeared
 * ones), so it loses nothing to this.
 */
export const SMEARED_UNCHECKED_CAP = 0.8;

/** After an independent look disagrees, the field is left for a person. */
export const DISAGREEMENT_CAP = 0.5;

const clamp01 = (p: number) => Math.min(0.999, Math.max(0.001, p));

/** Bayes in odds form: prior probability times likelihood ratios. */
export function combine(prior: number, ...ratios: number[]): number {
  const p = clamp01(prior);
  const odds = (p / (1 - p)) * ratios.reduce((a, b) => a * b, 1);
  return odds / (1 + odds);
}

/** What one look at the pixels with these checks supports (0..ONE_LOOK_CAP). */
export function oneLook(ocr: number, ...ratios: number[]): number {
  if (ocr <= 0) return 0;
  return round(Math.min(ONE_LOOK_CAP, combine(Math.min(ocr, PRIOR_CAP), ...ratios)));
}

/** A second independent look agreed. */
export const confirmed = (c: number, ratio: number = LR.rereadAgrees): number => (c <= 0 ? c : round(combine(c, ratio)));

export const round = (p: number): number => Math.round(p * 1000) / 1000;

/** Digits Tesseract reads for one another (0 with an inner mark as 8, 9 or 6; 3 and 8; 1 and 7). */
const LOOKALIKE_DIGITS: Record<string, string> = { '0': '689', '1': '7', '3': '8', '4': '9', '5': '6', '6': '058', '7': '1', '8': '0369', '9': '04' };

/** The whole numbers one look-alike digit away from n ("99" -> 90, 09, 49, 94 …), without leading zeros. */
export function lookalikeNumbers(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) return [];
  const s = String(n);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const d of LOOKALIKE_DIGITS[s[i]!] ?? '') {
      const t = s.slice(0, i) + d + s.slice(i + 1);
      if (!/^0\d/.test(t)) out.push(Number(t));
    }
  }
  return out;
}

/** Two strings of digits that differ in one place, by digits Tesseract reads for one another ("2025-12-16" / "2025-12-10"). */
export function oneLookalikeApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].map((c, i) => [c, b[i]!] as const).filter(([x, y]) => x !== y);
  return diff.length === 1 && (LOOKALIKE_DIGITS[diff[0]![0]] ?? '').includes(diff[0]![1]);
}
