import { digitsOf } from './ocr-confusion.js';
import { spanConfidence, type Segment } from './label.layout.js';

/** A value read from one segment, with how sure the reading and the pattern are (0..1). */
export interface FieldHit<T> {
  value: T;
  /** Lowest OCR word confidence behind the value and its keyword. */
  ocr: number;
  /** How unambiguous the pattern is: a labelled "QTY: 30" beats a bare "#30". */
  pattern: number;
  segment: Segment;
  /** Character span of the keyword and value in the segment's text. */
  span: [number, number];
}

// Keyword spellings include common misreadings (REFlLLS, REFILS); the quantity is label.quantity.ts's.
// UK and Australian labels say "Repeats" for refills.
const REFILL_WORD = '(?:RE\\s?F[I1L|][L1I|]{1,2}(?:\\(?S\\)?)?|REPEATS?|RPTS?)';
// Abbreviations used by pharmacy systems: "RF: 2", "RFL 2", "REF 2".
const REFILL_ABBR = '(?:RFS?|RFLS?|REFS?)';
// What a refill caption may say of its count: "Refills remaining", "REFILLS AUTHORIZED".
const REFILL_STATE = '(?:REMAINING|LEFT|AUTH(?:ORI[ZS]ED)?|ALLOWED)';
// With indices (d): the value's own offset tells which word carries it (see oneWidth).
const REFILL_RES: [RegExp, number][] = [
  [new RegExp(`\\bNO\\s*(?:MORE\\s+)?${REFILL_WORD}\\b`, 'gid'), 1],
  [new RegExp(`\\b${REFILL_ABBR}\\s*[:#.]\\s*(NONE|ZERO|NO|[0-9OIl]{1,2})(?![0-9/])`, 'gid'), 0.95],
  // The abbreviation and its count parted by a space only ("RF 3"): no other word on a label is RF or RFL.
  [/\b(?:RFS?|RFLS?)\s+([0-9OIl]{1,2})(?![0-9/.])/dgi, 0.9],
  // … or by nothing, the space lost ("RF3"): then only digits, since "RFL" is a caption of its own.
  [/\bRF([0-9]{1,2})(?![0-9/.A-Z])/dgi, 0.85],
  [new RegExp(`\\b${REFILL_WORD}\\s*${REFILL_STATE}?\\s*[:.;-]?\\s*(NONE|ZERO|NO|[0-9OIl]{1,2})(?![0-9/])`, 'gid'), 1],
  [new RegExp(`(?<![0-9/])([0-9OIl]{1,2})\\s+${REFILL_WORD}\\s*(?:LEFT|REMAINING)\\b`, 'gid'), 1],
  // "2 REFILLS" with no LEFT/REMAINING, unless it is "QTY 30 REFILLS: 2" where the number belongs to QTY.
  [new RegExp(`(?<![0-9/.])([0-9OIl]{1,2})\\s+${REFILL_WORD}\\b(?!\\s*[:#.]|\\s+\\d)`, 'gid'), 0.85],
  // A lone count in bold is often read as a sign of its shape: a 0 as "@", "©" or "®" (a ring round
  // a mark), a 5 as "§" or "$". Only alone after the field's word, and weighed less than a digit.
  [new RegExp(`\\b(?:${REFILL_WORD}|${REFILL_ABBR})\\s*${REFILL_STATE}?\\s*[:.;#-]?\\s*([@©®§$])(?=\\s|$)`, 'gid'), 0.7],
];
/** The digits those signs stand for. */
const COUNT_SIGN: Record<string, string> = { '@': '0', '©': '0', '®': '0', '§': '5', $: '5' };
const RX_RE = /\b(?:R[X×K]|PRESCRIPTION)\s*(#|NO\b\.?|NUMBER|NUM\b)?\s*[:.;]?\s*#?\s*([0-9OIl][0-9OIl-]{4,14}[0-9OIl])(?![0-9/])/gi;

function best<T>(hits: FieldHit<T>[]): FieldHit<T> | null {
  return hits.sort((a, b) => b.pattern * b.ocr - a.pattern * a.ocr)[0] ?? null;
}

export interface RefillHit extends FieldHit<number> {
  /** A lone 1 as wide as two digits: two 1s may have been read as one ("11" as "1"). */
  wideOne?: boolean;
  /** Read from the letters its strokes look like ("n" for 11): inferred, not read. */
  repaired?: boolean;
}

/**
 * A refill count alone after its word, read as the letters its strokes look like: a 1 as i, I, l or
 * |, two 1s run together as n, Il, ll or Ll (a foot serif read as an L's), a 5 as S. Only a value that is all its segment holds
 * ("REFILLS: n", a stacked caption's value line), and weighed as a repair.
 */
const STROKES: Record<string, string> = { i: '1', I: '1', l: '1', '|': '1', n: '11', Il: '11', ll: '11', lI: '11', II: '11', Ll: '11', LI: '11', S: '5' };
const REFILL_STROKES = new RegExp(`\\b${REFILL_WORD}\\s*(?:REMAINING|LEFT)?\\s*[:.;-]?\\s+(\\S{1,2})$`, 'id');

/**
 * Whether the one-glyph word at `at` is a 1 whose ink is about as wide as it is tall. A 1 is a
 * narrow glyph in every typeface (its ink about half its height or less, serif and foot
 * included); two 1s set close together are read as one by Tesseract's line recogniser in
 * typefaces whose 1 is a plain stroke, and the box it reports for that "1" spans both.
 */
function oneWidth(seg: Segment, at: number): number {
  const w = seg.words[seg.starts.indexOf(at)];
  if (!w || w.text.replace(/[^0-9A-Za-z|]/g, '').length !== 1) return 0;
  return (w.bbox.x1 - w.bbox.x0) / Math.max(1, w.bbox.y1 - w.bbox.y0);
}
/** Width over height from which a 1 is doubted (1s measure 0.3–0.7, read pairs 0.85–1.4). */
const WIDE_ONE = 0.8;
/**
 * … and from which it is read as the two it spans: over the refill counts read as a lone 1 in four
 * fresh batches (seeds 61800-62700, 137 readings), every true 1 measured 0.78 or less and 9 of the
 * 11 true 11s 0.97–1.16 (round 14 measured such pairs up to 1.39). A box wider still holds more
 * than two 1s (a mark beside it) and is only doubted. Still doubted, as any wide 1 is.
 */
const TWO_ONES = [0.9, 1.6] as const;

export function findRefills(segments: Segment[]): RefillHit | null {
  const hits: RefillHit[] = [];
  for (const seg of segments) {
    for (const [re, pattern] of REFILL_RES) {
      for (const m of seg.text.matchAll(re)) {
        const raw = m[1]?.toUpperCase();
        // A lone 0 read as the letter O ("Refills authorized O"): no count is a letter, but the 0 was inferred.
        const letterO = raw === 'O' && /^(?:\s|$)/.test(seg.text.slice(m.index! + m[0].length));
        const d = raw === undefined || raw === 'NONE' || raw === 'ZERO' || raw === 'NO' || letterO ? '0' : (COUNT_SIGN[raw] ?? digitsOf(raw));
        if (d === null) continue;
        const width = d === '1' ? oneWidth(seg, m.indices![1]![0]) : 0;
        const one = width >= WIDE_ONE;
        hits.push({ value: width >= TWO_ONES[0] && width <= TWO_ONES[1] ? 11 : Number(d), ocr: spanConfidence(seg, m.index!, m.index! + m[0].length), pattern, segment: seg, span: [m.index!, m.index! + m[0].length], ...(one && { wideOne: true }), ...(letterO && { repaired: true }) });
      }
    }
    const m = seg.text.match(REFILL_STROKES);
    const d = m ? STROKES[m[1]!] : undefined;
    if (m && d) hits.push({ value: Number(d), ocr: spanConfidence(seg, m.index!, m.index! + m[0].length), pattern: 0.7, segment: seg, span: [m.index!, m.index! + m[0].length], repaired: true });
  }
  return best(hits);
}

export function findRxNumber(segments: Segment[]): FieldHit<string> | null {
  const hits: FieldHit<string>[] = [];
  for (const seg of segments) {
    for (const m of seg.text.matchAll(RX_RE)) {
      const parts = m[2]!.split('-').map(digitsOf);
      if (parts.some((p) => p === null)) continue;
      const value = parts.join('-');
      if (value.replace(/-/g, '').length < 5) continue;
      // "RX#"/"Rx No." name the field; a bare "RX 1234567" could be part of a pharmacy name.
      const pattern = m[1] || /[:#]/.test(m[0]) ? 1 : 0.8;
      hits.push({ value, ocr: spanConfidence(seg, m.index!, m.index! + m[0].length), pattern, segment: seg, span: [m.index!, m.index! + m[0].length] });
    }
  }
  return best(hits);
}
