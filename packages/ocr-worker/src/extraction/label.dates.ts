import { LR, oneLookalikeApart } from './evidence.js';
import { spanConfidence, type Segment } from './label.layout.js';

/** Where a label was printed, as far as its text tells: decides whether 03/04 is March or April. */
export type Region = 'us' | 'ca' | 'uk' | 'au' | 'na' | 'unknown';

/**
 * Signs of a label's country that no single template owns: postcodes, phone formats, the
 * words its pharmacy systems print (DIN, Repeats, Chemist).
 */
export function regionOf(text: string): Region {
  if (/\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b/.test(text) || /\bDIN\b|\bMfr\b/i.test(text)) return 'ca';
  if (/\bRepeats?\b|\b(?:NSW|VIC|QLD|ACT|TAS|WA|SA|NT)\s+\d{4}\b|\(0\d\)\s?\d{4}\s?\d{4}/i.test(text)) return 'au';
  if (/\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|\bChemists?\b|\b0\d{3,4}\s\d{3}\s\d{3,4}\b|reach and sight/i.test(text)) return 'uk';
  if (/\b[A-Z]{2}\s+\d{5}\b|\bNDC\b/.test(text)) return 'us';
  // A (416) 555-0191 phone and "Refills" are printed in Canada as in the US: North America, and
  // Canadian systems write numeric dates either way round, so 03/04 stays open.
  if (/\(\d{3}\)\s?\d{3}-\d{4}|\bRefills?\b/.test(text)) return 'na';
  return 'unknown';
}

export type DateRole = 'filled' | 'discard' | 'refill-by' | 'unknown';

export interface FoundDate {
  /** YYYY-MM-DD. */
  iso: string;
  role: DateRole;
  /** False when day and month could be either way round and the region did not settle it. */
  certain: boolean;
  ocr: number;
  segment: Segment;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MON = '(JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\\.?';
const DATE_RES: { re: RegExp; order: 'ymd' | 'xyz' | 'dMy' | 'Mdy' }[] = [
  { re: /(?<![\d/.-])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d/.-])/g, order: 'ymd' },
  { re: /(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/.-])/g, order: 'xyz' },
  { re: new RegExp(`(?<![\\d])(\\d{1,2})[- ]${MON}[- ,]+(\\d{4}|\\d{2})(?!\\d)`, 'gi'), order: 'dMy' },
  { re: new RegExp(`\\b${MON}\\s+(\\d{1,2}),?\\s+(\\d{4})(?!\\d)`, 'gi'), order: 'Mdy' },
];

/** Words that say which date this is, read before it on the same segment. */
const ROLE_WORDS: [RegExp, DateRole][] = [
  [/\b(?:DISCARD|DISC|USE\s*BY|USE\s+BEFORE|DO\s+NOT\s+USE\s+AFTER|EXP(?:IRES|IRY|\.)?|BEST\s+BEFORE|BEYOND\s+USE|BUD)\b[^0-9]*$/i, 'discard'],
  [/\bBEFORE\b[^0-9]*$/i, 'refill-by'],
  [/\b(?:FILLED|FILL\s*DATE|DATE\s*FILLED|DISPENSED|DATE|DT|ISSUED|ORIG)\b[^0-9]*$/i, 'filled'],
];

const pad = (n: number) => String(n).padStart(2, '0');
const valid = (y: number, m: number, d: number) => y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
const year = (s: string) => (s.length === 2 ? 2000 + Number(s) : Number(s));
const monthOf = (s: string) => MONTHS.indexOf(s.slice(0, 3).toUpperCase()) + 1;

/** Every date printed in the segments, read in the label's convention, with what it is the date of. */
export function findDates(segments: Segment[], region: Region): FoundDate[] {
  const out: FoundDate[] = [];
  for (const seg of segments) {
    for (const { re, order } of DATE_RES) {
      for (const m of seg.text.matchAll(re)) {
        let y: number, mo: number, d: number;
        let certain = true;
        if (order === 'ymd') [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
        else if (order === 'dMy') [y, mo, d] = [year(m[3]!), monthOf(m[2]!), Number(m[1])];
        else if (order === 'Mdy') [y, mo, d] = [Number(m[3]), monthOf(m[1]!), Number(m[2])];
        else {
          const [a, b] = [Number(m[1]), Number(m[2])];
          y = year(m[3]!);
          // Day first where the label's country writes it so, or where the first number cannot be a month.
          const dayFirst = a > 12 || (b <= 12 && (region === 'uk' || region === 'au'));
          [d, mo] = dayFirst ? [a, b] : [b, a];
          certain = a > 12 || b > 12 || a === b || region === 'us' || region === 'uk' || region === 'au';
        }
        if (!valid(y, mo, d)) continue;
        const before = seg.text.slice(0, m.index!);
        const role = ROLE_WORDS.find(([r]) => r.test(before))?.[1] ?? 'unknown';
        out.push({ iso: `${y}-${pad(mo)}-${pad(d)}`, role, certain, ocr: spanConfidence(seg, m.index!, m.index! + m[0].length), segment: seg });
      }
    }
  }
  return out;
}

export interface DateField {
  value: string;
  confidence: number;
}

/**
 * The fill date and the discard date. A labelled date is taken as labelled; a lone unlabelled
 * date is the fill date (labels that print one date print that one); with two unlabelled
 * dates, the earlier is the fill and a later one a year or so on is the discard date.
 */
export function pickDates(found: FoundDate[], region: Region = 'unknown'): { filled: DateField | null; discard: DateField | null } {
  const conf = (f: FoundDate, k: number) => Math.round(Math.min(k, f.ocr >= 0.9 ? k : f.ocr * k) * (f.certain ? 1 : 0.7) * 1000) / 1000;
  const labelled = (role: DateRole) => found.find((f) => f.role === role);
  let filled: DateField | null = null;
  let discard: DateField | null = null;
  const lf = labelled('filled');
  const ld = labelled('discard');
  if (lf) filled = { value: lf.iso, confidence: conf(lf, 0.95) };
  if (ld) discard = { value: ld.iso, confidence: conf(ld, 0.95) };
  const loose = found.filter((f) => f.role === 'unknown').sort((a, b) => (a.iso < b.iso ? -1 : 1));
  if (!filled && loose.length > 0) filled = { value: loose[0]!.iso, confidence: conf(loose[0]!, loose.length === 1 ? 0.8 : 0.7) };
  if (!discard && loose.length > 1) {
    const later = loose[loose.length - 1]!;
    if (later.iso > (filled?.value ?? '')) discard = { value: later.iso, confidence: conf(later, 0.6) };
  }
  // A discard date is after the fill and within a few years of it; anything else is a misread year.
  if (filled && discard && !(discard.value > filled.value && years(filled.value, discard.value) <= 3)) discard = { ...discard, confidence: round3(discard.confidence * LR.discardOutOfRange) };
  // A printed discard date one look-alike digit from a year after the fill ("12/16/2025" and
  // "12/10/2026"): pharmacies date one year on, so one of the two dates was misread.
  if (filled && discard && discard.value !== plusOneYear(filled.value) && oneLookalikeApart(discard.value, plusOneYear(filled.value))) {
    filled = { ...filled, confidence: round3(filled.confidence * LR.discardOneDigitOffYear) };
    discard = { ...discard, confidence: round3(discard.confidence * LR.discardOneDigitOffYear) };
  }
  // US pharmacies date what they dispense for one year from the fill unless they print otherwise
  // (the usual beyond-use date): inferred, so never sure.
  if (filled && !discard && (region === 'us' || region === 'na' || region === 'unknown')) discard = { value: plusOneYear(filled.value), confidence: round3(Math.min(0.6, filled.confidence)) };
  return { filled, discard };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const years = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / (365.25 * 86400e3);
function plusOneYear(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const day = m === 2 && d === 29 ? 28 : d;
  return `${y + 1}-${pad(m)}-${pad(day)}`;
}
