import { CRITICAL_FIELDS, REVIEW_THRESHOLD, needsReview as reviewRule, type Medication, type Schedule } from '@rxscan/contracts';
import { bundledDrugLexicon, type DrugLexicon } from './drug.lexicon.js';
import { findDosages } from './dosage.parser.js';
import { drugLineScore, findDrug, type DrugReading } from './drug.line.js';
import { lookalikeNumbers, LR, oneLook, round } from './evidence.js';
import { findRefills, findRxNumber, type FieldHit } from './label.fields.js';
import { findDates, pickDates, regionOf } from './label.dates.js';
import { segmentBox, segmentsOf, type Segment } from './label.layout.js';
import { bareCountUnder, findQuantity, type QuantityHit } from './label.quantity.js';
import { findPatient, findPhone } from './label.record.js';
import { findPrescriber } from './prescriber.parser.js';
import { findSigBlock, type SigBlock } from './sig.block.js';
import { dosePerAdministration, normaliseSig, toNum } from './sig.normaliser.js';
import type { Box, FieldConfidence, OcrReading } from './types.js';
import type { ZeroRepair } from './glyph.zero.js';

/**
 * What a label says beyond the medication event's fields: whose it is, when it was filled and
 * must be thrown away, the pharmacy's phone, and what the quantity is counted in. Dates are
 * YYYY-MM-DD; the patient is "Given Surname" however printed.
 */
export interface LabelRecord {
  patient: string | null;
  date_filled: string | null;
  discard_after: string | null;
  pharmacy_phone: string | null;
  /** tablet, capsule, mL, g, inhaler, pen, patch or each; null when the label does not say. */
  quantity_unit: string | null;
}
export type RecordField = keyof LabelRecord;
export const RECORD_KEYS: RecordField[] = ['patient', 'date_filled', 'discard_after', 'pharmacy_phone', 'quantity_unit'];
export type RecordConfidence = Record<RecordField, number>;
export const emptyRecord = (): LabelRecord => ({ patient: null, date_filled: null, discard_after: null, pharmacy_phone: null, quantity_unit: null });
export const zeroRecordConfidence = (): RecordConfidence => ({ patient: 0, date_filled: 0, discard_after: 0, pharmacy_phone: 0, quantity_unit: 0 });

export interface ParsedLabel {
  medication: Medication;
  record: LabelRecord;
  /** Per medication field and per record field, 0..1. */
  confidence: FieldConfidence & RecordConfidence;
  /** Where on the image each field was read (boxes of its segments), so it can be re-read. */
  evidence?: Partial<Record<keyof Medication, Box[]>>;
  /**
   * Which critical fields were read exactly as printed: every drug word spelt as the lexicon
   * spells it, digits read as digits. A value two looks agree on only after both were repaired
   * (the same look-alike letters corrected the same way) was not confirmed by either.
   */
  asPrinted?: Partial<Record<(typeof CRITICAL_FIELDS)[number], boolean>>;
  /**
   * Which critical fields a check that does not look at the pixels again supports: the name is a
   * whole ingredient the lexicon knows, the strength is one that drug is made in, the quantity
   * equals dose × doses a day × the printed days supply, the schedule is said in the directions
   * vocabulary without a gap (in words; one said in digits, "EVERY 6 HOURS", only when the printed
   * days supply bears out its doses a day). A re-read of the same pixels cannot stand in for one (line.verify.ts).
   */
  checked?: Partial<Record<(typeof CRITICAL_FIELDS)[number], boolean>>;
  /**
   * Numbers a re-read of their own line read as a different number: two looks at the pixels
   * disagree, so no later look that agrees with one of them settles it (line.verify.ts).
   */
  disputed?: (typeof CRITICAL_FIELDS)[number][];
  /** The one listed strength with 0s for some of the strength's 6s as read: its glyphs are worth a look (glyph.zero.ts). */
  zeroRepair?: ZeroRepair;
  /** The strength is the one reading of letters for digits the drug is made in (drug.line.ts): listed, but by that choice. */
  doseFromLetters?: true;
  /** The strength is none the drug is made in (a misread digit no listed strength is near): review.offers.ts. */
  doseUnlisted?: true;
  /**
   * The count is dose × doses a day × the printed days supply, or a usual number of days of it
   * (countFit): where two looks read the count differently, the one that is wins (parse.merge.ts).
   */
  usualCount?: boolean;
  /** The count fills one of the periods most prescriptions are filled for (COMMON_DAYS), or the printed days supply: of two usual counts, it wins. */
  commonCount?: boolean;
  /** The days supply this look read, which the count was checked against (quantityCheck); merged, only where the looks agree (parse.merge.ts). */
  daysSupply?: number;
  /**
   * The count is no usual fill while exactly one count a look-alike digit from it is, or exactly one fills a common period (countFit):
   * offered in its place once every look has been taken and the count is still doubted (review.offers.ts).
   * `clear`: the count was read clearly, and is kept as printed unless another look read it otherwise.
   */
  usualNear?: { read: number; usual: number; clear?: boolean };
  /**
   * The directions this look read doubt its count (quantityCheck): a doubt that holds whatever
   * another look of the same pixels reads, where that look read no directions to check it by (parse.merge.ts).
   */
  countDoubted?: true;
}

/** Critical fields below this confidence send the label to a person (the contract's review rule). */
export const CERTAIN = REVIEW_THRESHOLD;
export { CRITICAL_FIELDS };

const PHARMACY = /\b(?:PHARMACY|PHARMACIES|PHARMACIE|DRUGS?|DRUG\s+MART|APOTHECARY|CHEMISTS?|DISPENSARY|RX)\b/i;

/** A field found by its label or pattern: the pattern's clarity as a likelihood ratio. */
const patternRatio = (hit: FieldHit<unknown>): number => (hit.pattern >= 1 ? LR.labelled : hit.pattern >= 0.9 ? 1.5 : 1);
const hitConfidence = (hit: FieldHit<unknown> | null): number => (hit ? oneLook(hit.ocr, patternRatio(hit)) : 0);

const PER_DAY: Partial<Record<Schedule, number>> = {
  'Once daily': 1, 'Twice daily': 2, 'Three times daily': 3, 'Four times daily': 4, 'Every 4 hours': 6,
  'Every 6 hours': 4, 'Every 8 hours': 3, 'Every 12 hours': 2, 'At bedtime': 1, 'Once weekly': 1 / 7,
};
/**
 * A count of times a day read on a line outside the directions ("COLCHICINE 0.6MG TAB 1 THREE TIME"
 * on a tilted hard photo, fresh seed 90900, its directions read "TAKE TWO TABLETS BY MOUT / DAILY"):
 * the directions' words went to another line, and what is left of them may say another schedule.
 */
const TIMES_ELSEWHERE = /\b(?:(TWICE)|(TWO|THREE|FOUR|[2-4])\s+TIMES?)\b/i;
/** Times a refill may be had ("MAY REFILL 2 TIMES", "Refills: 2 times"): no schedule. */
const REFILL_WORD = /\b(?:REFILL|REPEAT)/i;
/**
 * TIMES, more than once, read outside the directions with its count misread ("TRAMADOL HCL 50 MG ARE
 * TIMES" over "TAKE ONE TABLET BY MOUTH" / "DAILY", a hard photo of fresh seed 108900 whose TWO TIMES
 * went to the drug's line: saved as once daily at 0.98): directions read as once a day or less lost
 * it. Not "at all times" (keep refrigerated), and no count of refills.
 */
const TIMES_LEFT = /(?<!\bALL\s)\bTIMES\b/i;
/** Another line than the directions, no refill's, says how often otherwise than their `perDay` (TIMES_ELSEWHERE, TIMES_LEFT). */
const saidElsewhere = (segments: readonly Segment[], sig: string | null, perDay: number): boolean => {
  const onceOrLess = perDay <= 1 && !/\bTIMES?\b/i.test(sig ?? '');
  return segments.some((s) => {
    if (REFILL_WORD.test(s.text)) return false;
    const m = TIMES_ELSEWHERE.exec(s.text);
    return (m !== null && toNum((m[1] ?? m[2]!).toUpperCase()) !== perDay) || (onceOrLess && TIMES_LEFT.test(s.text));
  });
};
/** A size creams and ointments are weighed out in: a whole five of grams (15, 30, 45, 60, 80, 100 g). */
const tubeSize = (n: number): boolean => n > 0 && n % 5 === 0;
/** Units dispensed by the piece: a count of them is a whole number. */
const PIECES = new Set(['tablet', 'capsule', 'inhaler', 'pen', 'patch', 'each']);
/** Directions whose dose is a measure or a device's, not tablets or capsules. */
const MEASURED_DOSE = /\b(?:PUFFS?|SPRAYS?|DROPS?|ML|UNITS?|INHALE|INSTILL|INJECT|APPLY|NEBULI[SZ]E)\b/i;
/** Directions of a cream or ointment, spread on the skin. */
const SPREAD_ON = /\b(?:APPLY|RUB|MASSAGE)\b/i;
/** A count of a cream or an ointment: in grams or with no unit read, for directions that spread it on. */
const creamWeight = (qty: { unit: string | null }, sig: string | null): boolean => (qty.unit === 'g' || qty.unit === null) && !!sig && SPREAD_ON.test(sig);
/** A cream's or an ointment's form word on the drug line, as labels abbreviate it. */
const CREAM_FORM = /^(?:CRM|CREAM|OINT|OINTMENT)$/i;
/** A dose measured in mL at the head of the directions ("TAKE 5 ML", "GIVE 2.5 ML"). */
const ML_DOSE = /\b(?:TAKE|GIVE|DRINK|SWALLOW)\s+(\d+(?:\.\d+)?)\s*MLS?\b/i;
const DAYS_SUPPLY = /\bDAYS?\s*SUPPLY\s*[:.]?\s*(\d{1,3})\b|\b(\d{1,3})\s*DAYS?\s*SUPPLY\b/i;

/** Bottles in fluid ounces, as mL: 2, 4, 8, 16 and 32 fl oz. */
const OUNCE_ML = new Set([59, 118, 236, 473, 946]);
/**
 * A liquid comes in a bottle of round metric size (75, 100, 150, 200 mL) or of whole fluid ounces: a
 * volume ending in 6, 8 or 9 that is no ounce size is a 0 misread, as a count's is ("Qty: 109 mL" for
 * 100 in every look and the re-read of a turned photo, fresh seed 183900, at 0.89).
 */
const oddVolume = (n: number): boolean => Number.isInteger(n) && /[689]$/.test(String(n)) && !OUNCE_ML.has(n);

/**
 * Pharmacy systems compute the days supply from the quantity and the directions, so where a
 * label prints it, the quantity can be checked against dose × doses a day × days. Only for
 * counted units taken on a fixed schedule.
 */
export function quantityCheck(segments: Segment[], qty: Pick<QuantityHit, 'value' | 'unit'>, sig: string | null, schedule: Schedule | null, asNeeded: boolean): number {
  const { days, perDay, perDose, counted } = countFacts(segments, qty, sig, schedule);
  // A liquid taken by the mL on a fixed schedule ("TAKE 5 ML … EVERY TWELVE HOURS", "Disp: 260 mL"
  // for 200): bottles are filled for whole usual periods too, and one look-alike digit from such a
  // count is a misread. Only this doubt: a bottle is often filled past the days (a 473 mL pint), so a
  // count that is no usual period is not itself doubted, nor checked against a printed days supply.
  // A count whose unit was not read is of mL too when the dose is ("Quantity / 160" for a 100 mL
  // bottle at 5 mL three times a day: a hard photo, fresh seed 91800, read alike by its re-read at 0.89).
  const perMl = (qty.unit === 'mL' || qty.unit === null) && sig ? sig.match(ML_DOSE) : null;
  if (perMl && perDay && !asNeeded && schedule !== 'Once weekly') {
    const daysOfMl = (n: number) => n / (Number(perMl[1]) * perDay);
    return oneDigitFromUsual(qty.value, (n) => usualFill(n, daysOfMl(n))) || oddVolume(qty.value) ? LR.quantityOffUsualPeriod : 1;
  }
  // Insulin (mL of a product dosed in units) is dispensed in whole vials of 10 mL or pens of 3 or
  // 1.5 mL (a box of five: 15, 7.5 mL): mL one look-alike digit from such a fill and none itself is a
  // misread ("Disp: 16 mL" for 15 in every look of a hard photo at 0.89, fresh seed 79500). Less than
  // a 3 mL pen is a single pen of the rare 1.5 mL size or a misread ("1.5" for 7.5 mL in both looks
  // of a mild photo, 0.89, fresh seed 143100, its unit not read: a count without one is of mL here
  // too, as for a liquid). Only these doubts.
  if ((qty.unit === 'mL' || qty.unit === null) && sig && UNITS_DOSE.test(sig)) {
    return qty.value < 3 || oneDigitFromUsual(qty.value, (n) => n > 0 && (n % 10 === 0 || Number.isInteger(n / 1.5))) ? LR.quantityOffUsualPeriod : 1;
  }
  // A cream or ointment is weighed out in tubes and jars of whole fives of grams (15, 30, 45, 60,
  // 80, 100 g): a weight one look-alike digit from such a size is a misread ("Qty: 86" for 80 g,
  // saved unreviewed on fresh seed 44500). Only this doubt: a weight of another shape is not itself
  // doubted (a 454 g jar, a 28.4 g ounce).
  if (creamWeight(qty, sig)) {
    return oneDigitFromUsual(qty.value, tubeSize) ? LR.quantityOffUsualPeriod : 1;
  }
  // As needed on a fixed interval with the days supply printed: pharmacies count those days at the
  // most the directions allow, so a count that misses dose × doses a day × days by one look-alike
  // digit (the days read as printed or one look-alike digit off too: "Qty: 276 … Days Supply: 38"
  // for 270 and 30, three tablets every eight hours; saved unreviewed on fresh seed 50600) is a
  // misread. Another miss is not doubted: some pharmacies count an as-needed supply at less than the most.
  if (asNeeded && perDay && perDose !== null && counted && days !== null && lookalikeOfMost(qty.value, days, perDose * perDay)) return LR.quantityInconsistent;
  // With no days supply printed, the count of an as-needed supply is most often the most the
  // directions allow for a usual period, or a round ten: one that is neither, one look-alike digit
  // from the first, is doubted ("Disp: 564" for 504, three every four hours for 28 days; saved
  // unreviewed on fresh seed 68100).
  const mostADay = asNeeded && perDay && perDose !== null && counted ? perDose * perDay : null;
  const offMost = mostADay !== null && days === null && qty.value % 10 !== 0 && oneDigitFromUsual(qty.value, (n) => usualFill(n, n / mostADay));
  // An as-needed supply is often short, but a count of one digit that the directions allow in a
  // single day is what a count that lost a digit gives ("3 TAB HYDROCODONE/APAP" in both looks of a
  // hard photo for 30, three tablets once a day when required; saved unreviewed at 0.89, fresh seed
  // 106800), far more often than a fill of one day's doses.
  const oneDayAtMost = mostADay !== null && qty.value < 10 && qty.value <= mostADay;
  if (!perDay || perDose === null || asNeeded || !counted) {
    // Nothing to check the count against but a printed days supply it is whole (or half) doses
    // of: only its shape can say it was misread.
    const wholeDays = days !== null && Number.isInteger((2 * qty.value) / days);
    return Math.min(counted && !wholeDays && unusualCount(qty.value) ? LR.quantityUnusualCount : 1, offMost || oneDayAtMost ? LR.quantityOffUsualPeriod : 1);
  }
  if (days !== null) {
    const expected = Math.ceil(perDose * perDay * days - 1e-9);
    if (expected !== qty.value) return LR.quantityInconsistent;
    return misreadAlike(qty.value, days, perDose * perDay) ? LR.quantityOffUsualPeriod : LR.quantityConsistent;
  }
  // No days supply printed: a count for a fixed schedule is still whole days (whole weeks for a
  // weekly dose) of doses. "TAKE 2 TABLETS TWICE A DAY" with 38 is a misread 36 or 88; only
  // informative when a day's (week's) doses come to more than one unit.
  const period = schedule === 'Once weekly' ? perDose : perDose * perDay;
  if (period > 1 && Number.isInteger(period) && !(Number.isInteger(qty.value) && qty.value % period === 0)) return LR.quantityPartDays;
  // A daily schedule's count is a usual number of days; one look-alike digit from one is a misread.
  if (schedule === 'Once weekly') return 1;
  const daysOf = (n: number) => n / (perDose * perDay);
  // Fewer days than the shortest course (5) is what a count that lost a digit gives ("ty / 4" for
  // 14 at one a day: a hard photo, fresh seed 81900, at 0.89), far more often than such a fill.
  if (daysOf(qty.value) < 5) return LR.quantityOffUsualPeriod;
  return oneDigitFromUsual(qty.value, (n) => usualFill(n, daysOf(n))) || oneDigitFromUsual(qty.value, (n) => commonDays(daysOf(n))) ? LR.quantityOffUsualPeriod : 1;
}

/**
 * What the directions say of a count of pieces. `ofDays`: the count a printed days supply gives,
 * dose × doses a day × days (for as needed on a fixed interval, the most they allow, as pharmacies
 * count it). `usual`: the count is that, or, with no days supply printed, a usual number of days
 * of it (usualFill). A days supply that is no usual number of days ("Days Supply: 36" beside "Qty:
 * 30" for one a day, fresh seed 69900) is taken for the misread: it gives no count, and the count is
 * judged as if none were printed.
 */
export function countFit(segments: Segment[], qty: Pick<QuantityHit, 'unit' | 'value' | 'digitLost' | 'readings'>, sig: string | null, schedule: Schedule | null): { ofDays: number | null; usual: boolean; common: boolean; near: number | null; shapeless?: boolean } {
  const { days, perDay, perDose, counted } = countFacts(segments, qty, sig, schedule);
  if (!perDay || perDose === null || !counted) return { ofDays: null, usual: false, common: false, near: null };
  const perDays = perDose * perDay;
  const ofDays = days !== null && usualDays(days) ? Math.ceil(perDays * days - 1e-9) : null;
  const fits = (n: number) => (ofDays !== null ? ofDays === n : usualFill(n, n / perDays));
  const usual = fits(qty.value);
  // A count whose last digit was read as a mark ("4%") is the digits read and one more.
  // One read with a mark for a digit ("§": 5 or 8) is any of its readings.
  const candidates = qty.digitLost ? [...Array(10).keys()].map((d) => qty.value * 10 + d) : usual ? [] : qty.readings ? qty.readings.filter((n) => n !== qty.value) : lookalikeNumbers(qty.value);
  const near = candidates.filter((n) => n > 0 && fits(n));
  // Of several, the one filling a common period: "128 CAPSULES" at two a day (64 days) for 120 (60
  // days), not 126 (63 days, nine weeks; fresh seed 83100, a hard photo).
  const common = near.filter((n) => commonDays(n / perDays));
  // Pharmacies count out whole days of the directions or a round ten ("QTY 30" at two twice a day);
  // a count that is neither ("246 TABLETS" at two four times a day, 30.75 days) was misread however
  // clearly it was read (both looks of a hard photo at 92 and 96, for 240; fresh seed 86400).
  const shapeless = !Number.isInteger(Math.round(qty.value / perDays * 1e6) / 1e6) && qty.value % 10 !== 0;
  return { ofDays, usual, common: ofDays !== null ? usual : commonDays(qty.value / perDays), near: near.length === 1 ? near[0]! : common.length === 1 ? common[0]! : null, ...(shapeless && { shapeless }) };
}

/** The days supply as the label prints it ("Days supply: 30", "30 DAY SUPPLY"), or null. */
function printedDays(segments: Segment[]): number | null {
  const printed = segments.map((s) => s.text.match(DAYS_SUPPLY)).find(Boolean);
  return printed ? Number(printed[1] ?? printed[2]) : null;
}

/** What a count is checked against: the printed days supply, doses a day, pieces a dose, and whether it counts pieces. */
function countFacts(segments: Segment[], qty: Pick<QuantityHit, 'unit'>, sig: string | null, schedule: Schedule | null) {
  const days = printedDays(segments);
  const perDay = schedule ? PER_DAY[schedule] : undefined;
  const perDose = sig ? dosePerAdministration(sig) : null;
  // Tablets and capsules, or a count whose unit was not read for directions that take no measure
  // ("Qty: 18" with "INHALE TWO PUFFS" is grams of an inhaler, which has no usual count).
  const counted = qty.unit === 'tablet' || qty.unit === 'capsule' || (qty.unit === null && !(sig && MEASURED_DOSE.test(sig)));
  return { days, perDay, perDose, counted };
}

/**
 * A count that is not dose × doses a day × days while a count one look-alike digit from it is, for
 * the days as printed or one look-alike digit from them: "276" with "38" for 270 and 30 at 9 a day.
 * The count must be the digit off: a right count beside a misread days supply is not doubted.
 */
export function lookalikeOfMost(count: number, days: number, perDay: number): boolean {
  const most = (d: number) => Math.ceil(perDay * d - 1e-9);
  if (most(days) === count) return false;
  const counts = lookalikeNumbers(count);
  return [days, ...lookalikeNumbers(days)].some((d) => d > 0 && most(d) !== count && counts.includes(most(d)));
}

/**
 * A count and a printed days supply that agree only because one look-alike digit was misread in
 * both: the days are no usual number of days, one look-alike digit gives usual ones, and the count
 * those give is one look-alike digit from the count read ("Dispensed: 99 Tablets Days supply: 99"
 * for 90 and 90 at one a day, one line in one typeface: both looks of a hard photo read 99, one of
 * them the days as 90; saved unreviewed at 0.98 on fresh seed 143700). A days supply of another
 * shape ("Days supply: 34" beside 68 at two a day) still checks the count.
 */
function misreadAlike(count: number, days: number, perDay: number): boolean {
  if (usualDays(days)) return false;
  const counts = lookalikeNumbers(count);
  return lookalikeNumbers(days).some((d) => usualDays(d) && counts.includes(Math.ceil(perDay * d - 1e-9)));
}

/**
 * Every count the label gives for the quantity: each labelled one ("Qty: 30", "Dispensed: 30
 * tablets"), each line that is only a count, and the count opening the drug line. Most labels print
 * it once; where printed twice, the two should agree.
 */
export function quantityCounts(segments: Segment[], drugSegments: (Segment | null)[], lexicon: DrugLexicon): number[] {
  const values = new Set<number>();
  for (const s of segments) {
    const hit = findQuantity([s], [], lexicon);
    if (hit) values.add(hit.value);
  }
  const lead = findQuantity([], drugSegments, lexicon);
  if (lead) values.add(lead.value);
  return [...values];
}

/**
 * A count of 10 or more ending in 6, 8 or 9 that is neither whole weeks nor a multiple of 6 ("279",
 * "99", "38", "106"; not "28", "56", "126", nor "18", "36", "48"): dispensed counts are doses a day
 * times 7, 10, 14, 28, 30, 60 or 90 days, so they end in 0 or 5 or are multiples of 7, and short
 * courses every 4 hours or three times a day come in sixes; a 0 read as 6, 8 or 9 gives this shape.
 */
export const unusualCount = (n: number): boolean => Number.isInteger(n) && n >= 10 && /[689]$/.test(String(n)) && n % 7 !== 0 && n % 6 !== 0;

/**
 * A count with two decimals and no unit read: no count is dispensed to the hundredth, so the last
 * digit is the unit's letter glued on and read as one (`glued`, doubted by the parser's
 * `unitReadAsDigit`). When that digit is a G's look-alike (8, 9, 6: "6.7g" as "6.78"), the count is
 * the number without it, in grams: the likelier value to offer for review. A whole count of grams
 * with its G glued on is told by `gramsGlued`.
 */
function unitGlued<T extends { value: number; unit: string | null }>(qty: T | null, sig: string | null = null): (T & { glued?: boolean }) | null {
  const grams = qty && (qty.unit === null || qty.unit === 'g') ? gramsGlued(qty.value, sig, qty.unit === 'g') : null;
  if (qty && typeof grams === 'number') return { ...qty, value: grams, unit: 'g', glued: true };
  if (qty && grams === 'doubt') return { ...qty, glued: true };
  const m = qty && qty.unit === null ? String(qty.value).match(/^(\d+\.\d)(\d)$/) : null;
  if (!qty || !m) return qty;
  return '689'.includes(m[2]!) ? { ...qty, value: Number(m[1]), unit: 'g', glued: true } : { ...qty, glued: true };
}

/** Directions of a metered-dose inhaler. */
const INHALED = /\b(?:INHALE|PUFFS?)\b/i;
/** Directions of a product dispensed by weight: creams and ointments, nasal sprays, inhalers. */
const BY_WEIGHT = new RegExp(`${SPREAD_ON.source}|\\bSPRAYS?\\b|${INHALED.source}`, 'i');

/** What a nasal spray or an inhaler holds, in grams: never a hundred. */
const SPRAY_GRAMS = { least: 5, most: 32 };

/**
 * A whole count of 100 or more for directions of a product dispensed by weight ("APPLY A THIN
 * LAYER", "USE 2 SPRAYS", "INHALE 2 PUFFS"): the space before the G was lost and the letter read as
 * digits, in every look. A tube's weight ends in the G's look-alike (8, 9, 6: "159" for "15 G") and
 * is offered as grams when the rest is a tube's size (a multiple of 5 g: 15, 30, 45, 60, 80), kept
 * as read otherwise ('doubt'). A spray or an inhaler holds 5 to 32 g, never 100, and a lower-case g
 * after its size is read as one digit or two (9, 8, 6, 4: "176" for 17 g, fresh seed 50300; "1749",
 * "174" and, with the g read as well, "184g" for 17 and 18 g in one typeface, fresh seed 72000): a
 * size followed by such digits is offered as that size; another count ending in a G's look-alike
 * as the count without it. `inGrams`: the g was read too, so only the spray's digits say anything,
 * and a cream's whose count without its last digit is a tube.
 * Liquids measured in mL (59, 118, 236, 473) are taken, dropped or instilled, not applied or
 * sprayed, and their unit is no G.
 */
export const gramsGlued = (n: number, sig: string | null, inGrams = false): number | 'doubt' | null => {
  if (!Number.isInteger(n) || n < 100 || !sig || !BY_WEIGHT.test(sig)) return null;
  const s = String(n);
  if (!SPREAD_ON.test(sig)) {
    for (const k of [2, 1]) {
      const size = Number(s.slice(0, k));
      if (/^[4689]{1,2}$/.test(s.slice(k)) && size >= SPRAY_GRAMS.least && size <= SPRAY_GRAMS.most) return size;
    }
  }
  if (!/[689]$/.test(s)) return null;
  // A cream's g read twice, as a digit and as itself ("Qty: 459g" for 45g in one look of a clean photo,
  // fresh seed 106500, where the other read "45g"): the count without that digit, where it is a tube.
  if (inGrams) return SPREAD_ON.test(sig) && Math.floor(n / 10) % 5 === 0 ? Math.floor(n / 10) : null;
  return Math.floor(n / 10) % 5 === 0 || !SPREAD_ON.test(sig) ? Math.floor(n / 10) : 'doubt';
};

/** What a metered-dose inhaler's canister holds, in grams. */
const CANISTER_GRAMS = { least: 6, most: 18 };
/** A count an inhaler's directions go with, read in grams or with no unit: what the two checks below weigh. */
const inhaledWeight = (qty: { unit: string | null }, sig: string | null): boolean => (qty.unit === 'g' || qty.unit === null) && !!sig && INHALED.test(sig);
/**
 * Grams of an inhaler more than three of the largest canisters hold (3 × 18 g): metered-dose
 * inhalers hold 6 to 18 g (6.7, 8.5, 10.2, 12, 18 g), so "Qty:85g" is 8.5 g whose point was lost
 * (6.7 as 67, 10.2 as 102), a mark every look loses alike. For a count read in grams, or with no
 * unit read where it is no round number of doses (inhalers hold 30, 60, 120 or 200): "Qty 85
 * Repeats: 11" for 8.5 in both looks of a hard photo, fresh seed 86700, at 0.89.
 */
export const inhalerGramsTooMany = (qty: { value: number; unit: string | null }, sig: string | null): boolean =>
  inhaledWeight(qty, sig) && (qty.unit === 'g' || qty.value % 10 !== 0) && qty.value > 3 * CANISTER_GRAMS.most;
/**
 * Tenths of a gram of an inhaler past the largest canister: a canister's weight is printed with its
 * tenth (6.7, 8.5, 10.2 g), whole canisters add up to whole counts of them, so "Qty: 18.2" for 10.2
 * (an 0 read as 8, a hard photo of fresh seed 88500 at 0.89) is a misread digit. Doubted, kept.
 */
export const inhalerTenthsOffCanister = (qty: { value: number; unit: string | null }, sig: string | null): boolean =>
  inhaledWeight(qty, sig) && !Number.isInteger(qty.value) && qty.value > CANISTER_GRAMS.most && qty.value <= 3 * CANISTER_GRAMS.most;
/** A count's word confidence below which its look may have misread a digit (usualNear's `clear`). */
const UNSURE_COUNT = 0.9;

/** A dose counted in units ("INJECT 38 UNITS"), and a strength in units per mL ("100 UNITS/ML"). */
const UNITS_DOSE = /\b(\d+(?:\.\d+)?)\s*UNITS?\b/i;
const UNITS_PER_ML = /^(\d+(?:\.\d+)?)\s*units\/mL$/i;
/** The longest supply a pharmacy fills: 90 days is most plans' limit, so twice it is no fill. */
const LONGEST_FILL_DAYS = 180;
/** The most insulin a fill holds: three 10 mL vials, or two boxes of five 3 mL pens. */
const MOST_UNITS_ML = 30;

/**
 * Millilitres of a product dosed in units (insulin) whose point was lost: "75ML" for 7.5 mL of 100
 * units/mL at 38 units a day would last 197 days, and was saved unreviewed at 0.89 in both looks
 * (fresh seed 72900). Taken for one: more mL than a fill of insulin holds (MOST_UNITS_ML), lasting
 * (mL × units in one ÷ units a day) more than LONGEST_FILL_DAYS, while a tenth lasts a week or more;
 * the tenth is offered. Not a whole ten of mL (vials), nor a box of pens at a low dose: 15 mL at 5
 * units a day lasts 300 days on paper and is what is dispensed (fresh seed 74100). With no unit read
 * too ("Qty: 75 Repeats: 3" for 7.5 of insulin aspart at 24 units a night, both looks of a hard
 * photo, fresh seed 88500, saved unreviewed at 0.89): a count of insulin is mL.
 */
export function unitsPointLost(qty: { value: number; unit: string | null }, strength: string | null, sig: string | null, perDay: number | undefined): number | null {
  const perMl = strength?.match(UNITS_PER_ML);
  const dose = sig?.match(UNITS_DOSE);
  if (!unitsOverFill(qty, strength) || !perMl || !dose || !perDay) return null;
  const days = (ml: number) => (ml * Number(perMl[1])) / (Number(dose[1]) * perDay);
  return days(qty.value) > LONGEST_FILL_DAYS && days(qty.value / 10) >= 7 ? qty.value / 10 : null;
}

/**
 * More mL of a product dosed in units than one fill holds (MOST_UNITS_ML), not a whole ten of vials:
 * a point lost ("Qty:75" for 7.5 mL of 100 units/mL at 66 units a day, a camera photo, fresh seed
 * 105900, saved unreviewed at 0.89) or a fill of several boxes, which the days cannot tell apart
 * at a high dose (113 days against 11). Doubted; the tenth is offered only where unitsPointLost says.
 */
function unitsOverFill(qty: { value: number; unit: string | null }, strength: string | null): boolean {
  return (qty.unit === 'mL' || qty.unit === null) && UNITS_PER_ML.test(strength ?? '') && Number.isInteger(qty.value) && qty.value % 10 !== 0 && qty.value > MOST_UNITS_ML;
}

/**
 * Drops into the eyes or ears ("INSTILL 1 DROP IN BOTH EYES", "Use ONE drop in the left ear"), the
 * last two words glued where their space was narrow ("INSTILL1 DROP IN EACHEYE", a mild photo,
 * fresh seed 86700, where 25 mL for 2.5 went undoubted).
 */
const EYE_OR_EAR_DROPS = /\bDROPS?\b.*(?:\b|EACH|BOTH)(?:EYES?|EARS?)\b/i;
/** The most a bottle of eye or ear drops holds: they come in 2.5, 5, 7.5, 10 and 15 mL. */
const MOST_DROPS_ML = 15;

/**
 * Millilitres of eye or ear drops whose point was lost: "25ml" for a 2.5 mL bottle was saved
 * unreviewed at 0.86 in both looks (fresh seed 76200), a mark every look loses alike. Drops come in
 * bottles of 15 mL at most, so more mL that are no whole ten (several bottles: 2 × 10 mL) are taken
 * for a tenth, which is offered. So is a count with no unit read for them ("QTY: 25" in both looks of
 * a mild photo for 2.5 mL, fresh seed 103500): no one dispenses 25 bottles, or 25 of anything else, of eye drops.
 */
export function dropsPointLost(qty: { value: number; unit: string | null }, sig: string | null): number | null {
  if ((qty.unit !== 'mL' && qty.unit !== null) || !sig || !EYE_OR_EAR_DROPS.test(sig) || !Number.isInteger(qty.value) || qty.value <= MOST_DROPS_ML || qty.value % 10 === 0) return null;
  return qty.value / 10 <= MOST_DROPS_ML ? qty.value / 10 : null;
}

/**
 * A cream's weight that is no whole five of grams, one look-alike digit from exactly one that is:
 * that size, to offer for review ("Qty: 88 9" and "89 g" in the two looks of a hard photo for 80 g,
 * fresh seed 92400; quantityCheck already doubts it). Where two sizes are a digit away ("86": 80 or
 * 85) none is offered; nor where no g was read (a lotion's 118 mL bottle).
 */
function creamSizeNear(qty: Pick<QuantityHit, 'unit' | 'value'>, sig: string | null, form: string | null): number | null {
  // With no unit read, only on a cream's or an ointment's label and below a hundred ("QTY DISPENSED 88"
  // in both looks of a hard photo for 80 g of a CRM, fresh seed 104100): a lotion's 118 mL, a jar's 454 g stay.
  const grams = qty.unit === 'g' || (qty.unit === null && qty.value < 100 && !!form && CREAM_FORM.test(form));
  if (!grams || !sig || !SPREAD_ON.test(sig) || qty.value % 5 === 0) return null;
  const sizes = lookalikeNumbers(qty.value).filter(tubeSize);
  return sizes.length === 1 ? sizes[0]! : null;
}

/** Grams of an inhaler whose point was lost, as the canister's size they were ("85" for 8.5 g); null where a tenth is none. */
const canisterOfPointLost = (n: number): number | null => (Number.isInteger(n) && n / 10 >= CANISTER_GRAMS.least && n / 10 <= CANISTER_GRAMS.most ? n / 10 : null);

/** A count that is no usual one while a count one look-alike digit from it is: a misread. */
const oneDigitFromUsual = (n: number, usual: (n: number) => boolean): boolean => !usual(n) && lookalikeNumbers(n).some(usual);

/**
 * How long prescriptions are written and filled for: whole weeks (7, 14, 28, 84 days), whole tens
 * of days (10, 30, 60, 90), or five days, a half month and a month and a half (5, 15, 45). Any
 * whole five of days was taken before, so "Qty: 130" for 120 (a 2 read as 3 under glare) at two a
 * day passed as 65 days and was saved unreviewed (fresh seed 47400); 25, 55, 65, 75 … days are not
 * periods prescriptions are filled for. Nor is any period past the longest fill: "660 TABLETS" at
 * one a day (a 6 doubled in one look of a hard photo, fresh seed 84000) beat the other look's 60 as
 * 660 days, a whole ten.
 */
const usualDays = (d: number): boolean => Number.isInteger(d) && d > 0 && d <= LONGEST_FILL_DAYS && (d % 7 === 0 || d % 10 === 0 || d === 5 || d === 15 || d === 45);

/**
 * The periods by far the most prescriptions are filled for: a month or two or three (30, 60, 90
 * days; 28, 56, 84 in weeks), Canada's 100 days, and the short courses (5, 7, 10, 14, 21 days).
 * A count whose period is only usual ("50 Tablets" at one a day, 50 days) while one look-alike
 * digit gives one of these (60) may be either: both looks of two hard photos read 50 for 90 at
 * 0.89 (fresh seeds 77400, 79200), with nothing to tell it from a fill of 50 days.
 */
const COMMON_DAYS = new Set([5, 7, 10, 14, 21, 28, 30, 56, 60, 84, 90, 100]);
const commonDays = (d: number): boolean => COMMON_DAYS.has(d);

/**
 * A usual fill: a usual number of days, or a round count of whole fifties (a stock bottle of 50,
 * 100 or 500, a 250 mL bottle) lasting whole fives of days: "Qty: 100" at four a day (25 days) is as
 * usual as it was before the days were narrowed, "Qty: 130" at two a day (65) is not.
 */
const usualFill = (n: number, days: number): boolean => usualDays(days) || (n % 50 === 0 && Number.isInteger(days) && days > 0 && days <= LONGEST_FILL_DAYS && days % 5 === 0);

/**
 * Reads the medication and record fields from one OCR pass. Pure: layout, lexicon and SIG
 * rules only. Fields it cannot find are null with confidence 0.
 */
export function parseLabel(reading: OcrReading, lexicon: DrugLexicon = bundledDrugLexicon()): ParsedLabel {
  const segments = segmentsOf(reading);
  // A wrapped line of directions never carries a strength or starts with a known drug name.
  const sig = findSigBlock(segments, (s) => findDosages(s.text).length > 0 || drugLineScore(s, lexicon) >= 2.7);
  const sigSegs = new Set(sig?.segments ?? []);
  const others = segments.filter((s) => !sigSegs.has(s));
  const drug = findDrug(others, lexicon);
  const rest = others.filter((s) => s !== drug.segment && s !== drug.doseSegment);
  // A spray's, an inhaler's or a cream's weight printed alone under the drug's line, its g lost
  // (bareCountUnder; "159" under "Triamcinolone Acetonide 0.1% cream" in both looks of a hard photo,
  // fresh seed 87600).
  const weighed = !!sig && BY_WEIGHT.test(sig.text);
  const qty = unitGlued(findQuantity(rest, [drug.segment, drug.doseSegment], lexicon) ?? (weighed ? bareCountUnder(rest, drug.segment) : null), sig?.text ?? null);
  const refills = findRefills(rest);
  const rx = findRxNumber(rest);
  const prescriber = findPrescriber(rest);
  const norm = sig ? normaliseSig(sig.text) : null;
  const pharmacySeg = segments.slice(0, 3).find((s) => PHARMACY.test(s.text) && !/R[X×]\s*[#:]/i.test(s.text));
  const pharmacy = pharmacySeg?.text.replace(/\(?\d{3}\)?[\s.-]*\d{3}[\s.-]\d{4}.*$/, '').trim() || null;

  const region = regionOf(reading.lines.map((l) => l.text).join('\n'));
  const dates = pickDates(findDates(segments, region), region);
  const phone = findPhone(segments);
  const claimed = new Set<Segment>([...sigSegs, ...[drug.segment, drug.doseSegment, qty?.segment, refills?.segment, prescriber?.segment, pharmacySeg].filter((s): s is Segment => !!s)]);
  const patient = findPatient(segments, claimed, sig?.segments[0]?.line ?? drug.segment?.line ?? Infinity);

  const medication: Medication = {
    name: drug.name,
    dosage: drug.dosage,
    form: drug.form,
    sig: sig?.text ?? null,
    schedule: norm?.schedule ?? null,
    as_needed: norm ? norm.as_needed : null,
    instructions: norm?.instructions ?? null,
    quantity: qty?.value ?? null,
    refills: refills?.value ?? null,
    prescriber: prescriber?.value ?? null,
    rx_number: rx?.value ?? null,
    pharmacy,
  };
  const record: LabelRecord = {
    patient: patient?.value ?? null,
    date_filled: dates.filled?.value ?? null,
    discard_after: dates.discard?.value ?? null,
    pharmacy_phone: phone?.value ?? null,
    quantity_unit: qty?.unit ?? null,
  };
  // Lost words may have held the frequency ("TAKE 1 TABLET [glare] DAILY"): never certain then.
  const complete = sig !== null && !sig.gapped;
  const sigRatio = complete ? 1 : 0.3;
  const perDay = norm?.schedule ? PER_DAY[norm.schedule] : undefined;
  let quantity = 0;
  let quantityChecked = false;
  let countDoubted = false;
  let offered: number | null = null;
  if (qty) {
    // A count outside what a pharmacy dispenses is a misread, whatever the OCR says.
    const plausible = qty.value > 0 && qty.value <= 2000 ? 1 : 0.05;
    // A count read with a mark for a digit took the reading the directions fit (countFit): they are no check of it then.
    const arithmetic = qty.readings ? 1 : quantityCheck(segments, qty, sig?.text ?? null, norm?.schedule ?? null, !!norm?.as_needed);
    quantityChecked = arithmetic === LR.quantityConsistent;
    countDoubted = arithmetic < 1;
    const glued = qty.glued ? LR.unitReadAsDigit : 1;
    const pointLost = unitsPointLost(qty, drug.dosage, sig?.text ?? null, perDay) ?? dropsPointLost(qty, sig?.text ?? null);
    const lostPoint = inhalerGramsTooMany(qty, sig?.text ?? null) || pointLost !== null ? LR.decimalPointLost : inhalerTenthsOffCanister(qty, sig?.text ?? null) || unitsOverFill(qty, drug.dosage) ? LR.quantityUnusualCount : 1;
    const differ = quantityCounts(rest, [drug.segment, drug.doseSegment], lexicon).some((v) => v !== qty.value) ? LR.quantityCountsDiffer : 1;
    quantity = oneLook(qty.ocr, patternRatio(qty), plausible, arithmetic, qty.packed ? LR.packCount : 1, glued, differ, lostPoint, qty.repaired ? LR.letterRepaired : 1, qty.readings ? LR.markOfTwoDigits : 1);
    // A count the numbers say was misread ("Qty: 548" for three every eight hours over 60 days) is
    // offered as the count one look-alike digit away that they give (540), for a person to confirm:
    // the arithmetic is a look that does not share the pixels, but the days may be the misread.
    const ofDays = arithmetic === LR.quantityInconsistent ? countFit(segments, qty, sig?.text ?? null, norm?.schedule ?? null).ofDays : null;
    if (ofDays !== null && lookalikeNumbers(qty.value).includes(ofDays)) offered = ofDays;
    // Grams of an inhaler whose point was lost ("85g" for 8.5 g) are offered with it, where that makes a canister's size.
    else if (pointLost !== null) offered = pointLost;
    else if (lostPoint !== 1) offered = canisterOfPointLost(qty.value);
    else offered = creamSizeNear(qty, sig?.text ?? null, drug.form);
  }
  // Directions words are already weighed word by word against the vocabulary (sig.vocabulary.ts).
  // Directions that may have lost words (a sticker beside them, glare) still have their schedule borne
  // out when the count is dose × doses a day × the printed days supply: a word lost that changed how
  // often would leave the three numbers at odds.
  const borneOut = complete || quantityChecked;
  const contradicted = perDay !== undefined && saidElsewhere(others, sig?.text ?? null, perDay);
  const scheduleRatio = (norm?.schedule && norm.unambiguous ? (borneOut ? 1 : sigRatio) : 0.1) * (norm?.repaired ? LR.letterRepaired : 1) * (contradicted ? LR.scheduleSaidElsewhere : 1);
  const single = (c: number | undefined) => (c === undefined ? 0 : oneLook(c));
  const confidence: FieldConfidence & RecordConfidence = {
    name: drug.nameConfidence,
    dosage: drug.dosageConfidence,
    form: drug.form ? oneLook(0.8) : 0,
    sig: sig ? oneLook(sig.ocr, sigRatio) : 0,
    schedule: norm?.schedule ? oneLook(sig!.minWord, scheduleRatio) : 0,
    as_needed: norm ? oneLook(sig!.minWord, sigRatio) : 0,
    instructions: norm?.instructions ? oneLook(sig!.ocr, sigRatio) : 0,
    quantity,
    refills: refills ? oneLook(refills.ocr, patternRatio(refills), refills.wideOne ? LR.oneMaybeDoubled : 1, refills.repaired ? LR.letterRepaired : 1) : 0,
    prescriber: prescriber ? oneLook(prescriber.ocr, patternRatio(prescriber), prescriber.partial ? LR.nameIncomplete : 1) : 0,
    rx_number: hitConfidence(rx),
    pharmacy: pharmacy ? 0.7 : 0,
    patient: single(patient?.confidence),
    date_filled: single(dates.filled?.confidence),
    discard_after: single(dates.discard?.confidence),
    pharmacy_phone: single(phone?.confidence),
    quantity_unit: qty?.unit ? (PIECES.has(qty.unit) && !Number.isInteger(qty.value) ? Math.min(quantity, oneLook(qty.ocr, LR.fractionOfPieces)) : quantity) : 0,
  };
  for (const k of Object.keys(confidence) as (keyof typeof confidence)[]) confidence[k] = round(confidence[k]);
  const located = (hit: FieldHit<unknown> | null) => (hit ? [segmentBox(hit.segment, hit.span)] : []);
  // Where the other fields were read: not re-read, but shown on the photo in review.
  const shown: ParsedLabel['evidence'] = {
    form: drug.segment && drug.form ? [segmentBox(drug.segment)] : [],
    sig: (sig?.segments ?? []).map((s) => segmentBox(s)),
    as_needed: norm ? (sig?.segments ?? []).map((s) => segmentBox(s)) : [],
    instructions: norm?.instructions ? (sig?.segments ?? []).map((s) => segmentBox(s)) : [],
    refills: located(refills),
    rx_number: located(rx),
    prescriber: located(prescriber),
    pharmacy: pharmacy && pharmacySeg ? [segmentBox(pharmacySeg)] : [],
    quantity_unit: qty?.unit ? located(qty) : [],
  };
  if (offered !== null) medication.quantity = offered;
  // A schedule a repaired directions word gave ("moming") was not read as printed either: two looks
  // that repaired it alike agree on the repair.
  const wordRepaired = sig?.asRead !== undefined && normaliseSig(sig.asRead).schedule !== norm?.schedule;
  const asPrinted = { name: drug.nameExact, dosage: drug.doseExact, schedule: !norm?.repaired && !wordRepaired, quantity: !!qty?.exact && offered === null };
  const days = printedDays(segments);
  const checked = { name: drug.entries.length > 0, dosage: drug.doseListed, schedule: borneOut && !!norm?.unambiguous && (!norm.numeric || quantityChecked), quantity: quantityChecked };
  const fit = qty !== null && medication.quantity !== null ? countFit(segments, { unit: qty.unit, value: medication.quantity, ...(qty.digitLost && qty.value === medication.quantity && { digitLost: true }), ...(qty.readings && qty.value === medication.quantity && { readings: qty.readings }) }, sig?.text ?? null, norm?.schedule ?? null) : null;
  // Offered only for a count read unsurely: counts that are no usual fill are printed too ("QTY 30"
  // for two tablets twice a day on the dev labels, read at 94 and 96), and a clear reading of one is
  // the printed count, not a misread. The misreads this offers for were read at 35 to 83. A clear
  // reading is marked so, and is unsure again when another look read the count otherwise (parse.merge.ts),
  // or when it is no count a pharmacy fills (countFit's `shapeless`).
  // A cream's weight that is a tube size is a usual fill as whole days of tablets are: of two looks
  // that read it differently ("ty: 4" and "Qty: 4S" for 45 g, a hard photo, fresh seed 105900), the
  // tube is taken (parse.merge.ts), still doubted.
  const tube = qty !== null && medication.quantity !== null && creamWeight(qty, sig?.text ?? null) && tubeSize(medication.quantity);
  const near = fit?.near != null && medication.quantity !== null && qty !== null ? { usualNear: { read: medication.quantity, usual: fit.near, ...(qty.ocr >= UNSURE_COUNT && !fit.shapeless && !qty.digitLost && !qty.readings && { clear: true }) } } : {};
  return { medication, record, confidence, evidence: { ...shown, ...evidenceOf(drug, sig, qty) }, asPrinted, checked, ...(drug.zeroRepair && { zeroRepair: drug.zeroRepair }), ...(drug.doseFromLetters && { doseFromLetters: true }), ...(drug.doseUnlisted && { doseUnlisted: true }), ...(days !== null && { daysSupply: days }), ...((fit?.usual || tube) && { usualCount: true }), ...(fit?.common && { commonCount: true }), ...(countDoubted && { countDoubted: true }), ...near };
}

/** Boxes of only the words each critical field was read from, so a re-read costs as little as possible. */
function evidenceOf(drug: DrugReading, sig: SigBlock | null, qty: FieldHit<number> | null): ParsedLabel['evidence'] {
  const nameBox = drug.segment ? [segmentBox(drug.segment, drug.span ?? undefined)] : [];
  const doseBox = drug.doseSegment === drug.segment ? nameBox : drug.doseSegment ? [segmentBox(drug.doseSegment, drug.doseSpan ?? undefined)] : [];
  return {
    name: nameBox,
    dosage: doseBox,
    schedule: (sig?.segments ?? []).map((s) => segmentBox(s)),
    quantity: qty ? [segmentBox(qty.segment, qty.span)] : [],
  };
}

/** True when any critical field is missing or below CERTAIN: the contract's review rule. */
export function needsReview(parsed: Pick<ParsedLabel, 'medication' | 'confidence'>): boolean {
  return reviewRule(parsed.medication, parsed.confidence);
}
