import { findDosages } from './dosage.parser.js';
import type { Box, OcrLine, OcrReading, OcrWord } from './types.js';

/**
 * A run of words on one line with no column gap inside it. Two-column labels put unrelated
 * fields on the same Tesseract line ("QTY: 60 ... Refills remaining: 5"); splitting at wide gaps
 * keeps a field's value from running into its neighbour's.
 */
export interface Segment {
  text: string;
  words: OcrWord[];
  /** Offset of each word in `text`. */
  starts: number[];
  line: number;
  /** Median word height in pixels, a proxy for font size. */
  height: number;
}

/** A gap wider than this many text heights separates columns (word spaces are 0.3-1.0 heights, monospace double spaces ~2, columns 10+). */
const COLUMN_GAP = 3.5;

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export function wordHeight(words: OcrWord[]): number {
  const solid = words.filter((w) => !degenerate(w));
  return median((solid.length ? solid : words).map((w) => w.bbox.y1 - w.bbox.y0));
}

/** Tesseract sometimes reports a word with a box of a few pixels; its position says nothing. */
const degenerate = (w: OcrWord): boolean => w.bbox.x1 - w.bbox.x0 < 4 || w.bbox.y1 - w.bbox.y0 < 4;

export function segmentOf(words: OcrWord[], line: number): Segment {
  const starts: number[] = [];
  let text = '';
  for (const w of words) {
    if (text) text += ' ';
    starts.push(text.length);
    text += w.text;
  }
  return { text, words, starts, line, height: wordHeight(words) };
}

/** A word of letters with a strength glued on: the space between a drug's name and its strength lost. */
// Its digits may hold a stroke read beside a 1 ("Celexa1l0mg"): the drug reader decides what they are (dosage.parser.ts).
const GLUED_STRENGTH = /^([A-Za-z][A-Za-z-]{2,})(\d(?:[\d.]|(?<=1)[Il|])*(?:MG|MCG|G|ML|%)(?:\/\d*(?:ML|G))?)$/i;

/** The same with the unit apart, the next word: "RAMIPRIL10 MG CAPSULE". */
const GLUED_NUMBER = /^([A-Za-z][A-Za-z-]{2,})(\d+(?:\.\d+)?)$/;
const MASS_UNIT_WORD = /^(?:MG|MCG)(?:\/|$)/i;

/**
 * A drug's name and its strength read as one word, the space lost in a tight typeface
 * ("Zyloprim100mg", fresh seed 72600, a camera photo: neither was found, and the word was taken into
 * the directions): two words, each with its share of the box. A name never ends in a strength. So
 * too a name glued to the strength's number when its unit is the next word ("RAMIPRIL10 MG" in both
 * looks of a hard photo, fresh seed 103500: neither name nor strength was found).
 */
export function unglueStrength(w: OcrWord, next?: OcrWord): OcrWord[] {
  const m = w.text.match(GLUED_STRENGTH) ?? (next && MASS_UNIT_WORD.test(next.text) ? w.text.match(GLUED_NUMBER) : null);
  if (!m) return [w];
  const at = w.bbox.x0 + Math.round(((w.bbox.x1 - w.bbox.x0) * m[1]!.length) / w.text.length);
  return [
    { ...w, text: m[1]!, bbox: { ...w.bbox, x1: at } },
    { ...w, text: m[2]!, bbox: { ...w.bbox, x0: at } },
  ];
}

/** Splits one line at column gaps. */
export function splitLine(line: OcrLine, index: number): Segment[] {
  const h = wordHeight(line.words) || 1;
  const out: Segment[] = [];
  let run: OcrWord[] = [];
  let prev: OcrWord | null = null; // last word with a trustworthy box
  for (const w of line.words.flatMap((w, i) => unglueStrength(w, line.words[i + 1]))) {
    if (prev && !degenerate(w) && w.bbox.x0 - prev.bbox.x1 > COLUMN_GAP * h) {
      out.push(segmentOf(run, index));
      run = [];
    }
    run.push(w);
    if (!degenerate(w)) prev = w;
  }
  if (run.length) out.push(segmentOf(run, index));
  return out;
}

// TY: QTY with its Q lost at the label's edge, read at 0 and 18 (fresh seed 81000, a clean photo).
// QD: once daily ending the directions, read at 32 (a hard photo, fresh seed 115800: no schedule);
// its confidence still doubts the schedule it gives.
const KEYWORDS = new Set(['RX', 'DR', 'NO', 'RF', 'MD', 'NP', 'PA', 'DO', 'MG', 'ML', 'TY', 'QD']);

/**
 * Stray low-confidence marks at a segment's edges (glare, barcode bits, "|") are not text. Letters
 * with a colon after them are a field's caption however poorly read ("Qy: 40", "Ql: 40" for Qty at
 * 0 and 34): a speck never ends in a colon, and the value after it needs its caption.
 */
function isEdgeJunk(w: OcrWord): boolean {
  const alnum = w.text.replace(/[^A-Za-z0-9]/g, '');
  if (alnum.length === 0) return w.confidence < 60;
  if (/^[A-Za-z]+:$/.test(w.text)) return false;
  return w.confidence < 40 && alnum.length <= 2 && !/^\d+$/.test(alnum) && !KEYWORDS.has(alnum.toUpperCase());
}

/**
 * A line's first word that is only a quote, dot, comma, dash, bar, slash or chevron ("' 40 TAB …",
 * "` Rx: …", "| Dispensed: 84", "» REFILLS: 3"): no field on a label opens with one, so it is a
 * speck or the paper's edge (a photo's label border reads as | / » down the left) however well it
 * was read.
 */
const LEADING_SPECK = /^['"`‘’“”.,:;_~\-–—|/\\»«•·]+$/;

export function trimJunk(seg: Segment): Segment {
  const ws = [...seg.words];
  while (ws.length && isEdgeJunk(ws[ws.length - 1]!)) ws.pop();
  while (ws.length && (isEdgeJunk(ws[0]!) || (ws.length > 1 && LEADING_SPECK.test(ws[0]!.text)))) ws.shift();
  return ws.length === seg.words.length ? seg : segmentOf(ws, seg.line);
}

/**
 * Field captions a label may print in a small row above their values ("QTY  REFILLS  FILLED
 * PRESCRIBER" over "30 TABLETS  2  03/14/2025  J. SMITH"), each with the key the parser reads
 * inline. Several words make one caption when they sit close ("DATE FILLED", "DAYS SUPPLY").
 */
const CAPTIONS: [RegExp, string][] = [
  // QTY's T is often read as R, U or I in a small bold caption ("Qry", "Quy"), its Q as O, 0, "(" or a
  // lower-case a ("ary": 16 of ~2,400 readings of fresh seeds 61800-62700, all in a row of captions);
  // or lost where the caption stands at the label's edge ("TY" over "56", both looks of a clean photo,
  // fresh seed 81000), as inline ("TY:", label.quantity.ts). No other caption is TY. Its q and t as o
  // and n ("ony" over "176" in one look of a hard photo, "ory" in the other, fresh seed 86400; "ony: 17 6"
  // inline in round 25): only after an o, since "ANY" is a word. Its q doubled ("qQry" over "15", both
  // looks of a hard photo, fresh seed 90000; "qQrY" in a row of captions, 87300). Its T lost, as inline
  // ("Qy" over "28", a hard photo, fresh seed 113400: no count): QY is no word.
  [/^(?:Q?[QO0(A][TRUI1][YV]|Q[YV]|[QO0]N[YV]|T[YV]|QUANTITY|DISP(?:ENSED)?|QTY DISPENSED)$/, 'QTY:'],
  [/^(?:REFILLS?|REFILLS (?:LEFT|REMAINING)|RF|REPEATS)$/, 'REFILLS:'],
  [/^(?:FILLED|DATE|DATE FILLED|FILL DATE|FILLED ON)$/, 'FILLED:'],
  [/^(?:PRESCRIBER|PRESCRIBED BY|DOCTOR|PHYSICIAN|PRESCRIBING (?:DR|DOCTOR))$/, 'PRESCRIBER:'],
  [/^(?:RX|RX ?#|RX ?NO|RX NUMBER)$/, 'RX:'],
  [/^(?:DAYS SUPPLY|DAYS|DAY SUPPLY)$/, 'DAYS SUPPLY:'],
];
/** Caption words of six letters or more, taken when read with one letter lost or misread ("REFLLS", "FLLED"). */
const LONG_CAPTION_WORDS = ['QUANTITY', 'DISPENSED', 'REFILLS', 'REMAINING', 'FILLED', 'PRESCRIBER', 'PRESCRIBED', 'PRESCRIBING', 'PHYSICIAN', 'DOCTOR', 'SUPPLY', 'NUMBER'];
const oneLetterOff = (read: string, word: string): boolean => {
  if (read.length === word.length) return [...read].filter((c, i) => c !== word[i]).length === 1;
  if (read.length !== word.length - 1) return false;
  for (let i = 0; i < word.length; i++) if (word.slice(0, i) + word.slice(i + 1) === read) return true;
  return false;
};
/** A word read right is itself, never its neighbour one letter away ("PRESCRIBED" is not "PRESCRIBER"). */
const captionWord = (w: string): string => (w.length >= 5 && !LONG_CAPTION_WORDS.includes(w) ? LONG_CAPTION_WORDS.find((c) => oneLetterOff(w, c)) ?? w : w);
const captionKey = (text: string): string | null => {
  const t = text.toUpperCase().replace(/[.:]/g, '').trim().split(/\s+/).map(captionWord).join(' ');
  return CAPTIONS.find(([re]) => re.test(t))?.[1] ?? null;
};

interface Caption {
  key: string | null;
  x0: number;
  words: OcrWord[];
}

/**
 * A line of captions only: words grouped where they sit close (within two text heights), at least
 * two groups captions, at most one group unread (a caption garbled under glare). A line holding a
 * value is no caption row: the only digits allowed are in an unread first group of four marks or
 * fewer ("[1", "[104" for QTY: three letters and a speck, a camera photo of fresh seed 95400), never
 * a number between captions ("QTY 30 DAYS SUPPLY").
 */
function captionRow(line: OcrLine): Caption[] | null {
  const words = line.words.filter((w) => !degenerate(w));
  if (words.length < 2) return null;
  const h = wordHeight(words) || 1;
  const groups: OcrWord[][] = [];
  for (const w of words) {
    const last = groups[groups.length - 1];
    if (last && w.bbox.x0 - last[last.length - 1]!.bbox.x1 < 2 * h && captionKey([...last, w].map((x) => x.text).join(' '))) last.push(w);
    else groups.push([w]);
  }
  const caps = groups.map((g) => ({ key: captionKey(g.map((w) => w.text).join(' ')), x0: g[0]!.bbox.x0, words: g }));
  // In a row of captions no other opens with a Q: an unread one that does is QTY however garbled
  // ("Qn REFILLS ALLED PRESCRIBER" and "qQrY REFILLS FILLED PRESCRIBER" over "176", the two looks
  // of a hard photo, fresh seed 87300).
  const q = caps.find((c) => !c.key && /^Q[A-Z]{0,3}$/.test(c.words.map((w) => w.text).join('').toUpperCase()));
  if (q && !caps.some((c) => c.key === 'QTY:')) q.key = 'QTY:';
  const known = caps.filter((c) => c.key);
  const unread = caps.filter((c) => !c.key);
  if (known.length < 2 || unread.length > 1) return null;
  const numbered = unread.find((c) => c.words.some((w) => /\d/.test(w.text)));
  if (numbered && (numbered !== caps[0] || numbered.words.map((w) => w.text).join('').length > 4)) return null;
  return caps;
}

/**
 * A value read as its caption's field: the key as a word of its own at `box`, then the value's
 * words. The caption only names the field; how well the value was read is its own words' confidence.
 */
function keyedSegment(key: string, box: Box, values: OcrWord[], line: number): Segment {
  const word: OcrWord = { text: key, confidence: Math.min(...values.map((w) => w.confidence)), bbox: box };
  return segmentOf([word, ...values], line);
}

/**
 * The value line under a caption row, cut where the captions stand: each caption's values are the
 * words starting at or right of it (less a text height) and left of the next caption, read as the
 * caption's key and its value ("QTY: 30 TABLETS"). Values under an unread caption stay as read.
 */
function gridSegments(caps: Caption[], values: OcrLine, index: number): Segment[] {
  const h = wordHeight(values.words) || 1;
  const cols: OcrWord[][] = caps.map(() => []);
  for (const w of values.words) {
    let c = 0;
    for (let i = 1; i < caps.length; i++) if (w.bbox.x0 >= caps[i]!.x0 - h) c = i;
    cols[c]!.push(w);
  }
  return cols.flatMap((ws, i) => {
    if (!ws.length) return [];
    const cap = caps[i]!;
    if (!cap.key) return [segmentOf(ws, index)];
    // The key stands where its value starts, with no width: a box of the value (for a re-read, or to
    // show it in review) is the value's own, on its own line, without the caption above it.
    const at = ws[0]!.bbox;
    return [keyedSegment(cap.key, { x0: at.x0, y0: at.y0, x1: at.x0, y1: at.y1 }, ws, index)];
  });
}

/**
 * What a caption's value can be: a count, a number, a date or a days supply has a digit; no field
 * but the quantity holds a strength. A lone "Rx" (the prescription sign printed above the drug
 * name) over "LISINOPRIL 10 MG TABLET" is no Rx number, and the drug line stays a drug line.
 */
const fitsCaption = (key: string, value: string): boolean =>
  (key === 'PRESCRIBER:' || key === 'REFILLS:' || /\d/.test(value)) && (key === 'QTY:' || findDosages(value).length === 0);

/** A value that already names its field ("Qty: 30", "Refills: 2") needs no caption from the line above. */
const LABELLED = /^[A-Za-z][A-Za-z #.]{0,24}:/;

/**
 * A caption alone on its line ("Quantity", "REFILLS REMAINING", "Rx #"), with its value on the next line and starting under it: narrow labels stack their fields
 * that way ("Quantity" / "30 tablets", "Prescriber" / "Dr. Jane Smith"). The value is read as the
 * caption's field, the key standing where the value starts with no width, as in a caption row. A
 * caption with a digit, a value line that names its own field, or one starting elsewhere is no pair.
 */
function stackedPair(line: OcrLine, next: OcrLine | undefined, index: number): { value: Segment; after: Segment[] } | null {
  if (!next || !next.words.length) return null;
  const segs = splitLine(line, index);
  // The caption is all its line holds: one caption beside other text is too little to go on.
  if (segs.length !== 1) return null;
  const caption = trimJunk(segs[0]!);
  if (!caption.words.length || /\d/.test(caption.text)) return null;
  const key = captionKey(caption.text);
  if (!key) return null;
  const h = wordHeight(next.words) || 1;
  const capBox = caption.words.filter((w) => !degenerate(w));
  if (!capBox.length) return null;
  const cy1 = Math.max(...capBox.map((w) => w.bbox.y1));
  const nextSegs = splitLine(next, index + 1).map(trimJunk).filter((s) => s.words.length);
  const value = nextSegs[0];
  if (!value) return null;
  const v0 = value.words[0]!.bbox;
  // Right under the caption: below it, within two text heights, starting within a text height of its left edge.
  if (v0.y0 <= capBox[0]!.bbox.y0 || v0.y0 - cy1 > 2 * h || Math.abs(v0.x0 - capBox[0]!.bbox.x0) > h) return null;
  if (LABELLED.test(value.text) || captionKey(value.text) || !fitsCaption(key, value.text)) return null;
  // The key keeps its caption's box: a re-read of the field's crop then sees the caption over the
  // value again, the only way a bare value ("28") names its field.
  const c0 = capBox[0]!.bbox;
  return { value: keyedSegment(key, { x0: c0.x0, y0: c0.y0, x1: Math.max(...capBox.map((w) => w.bbox.x1)), y1: cy1 }, value.words, index + 1), after: nextSegs.slice(1) };
}

export function segmentsOf(reading: OcrReading): Segment[] {
  const out: Segment[] = [];
  const lines = reading.lines;
  for (let i = 0; i < lines.length; i++) {
    const caps = captionRow(lines[i]!);
    const next = lines[i + 1];
    // The values sit right under their captions: the next line, starting within two text heights.
    if (caps && next && next.words.length && next.bbox.y0 > lines[i]!.bbox.y0 && next.bbox.y0 - lines[i]!.bbox.y1 < 2 * (wordHeight(next.words) || 1)) {
      out.push(...gridSegments(caps, next, i + 1));
      i++;
      continue;
    }
    const pair = stackedPair(lines[i]!, next, i);
    if (pair) {
      out.push(pair.value, ...pair.after);
      i++;
      continue;
    }
    out.push(...splitLine(lines[i]!, i));
  }
  return out.map(trimJunk).filter((s) => s.words.length > 0);
}

/** The words of `seg` that overlap the character span [start, end). */
export function wordsInSpan(seg: Segment, start: number, end: number): OcrWord[] {
  return seg.words.filter((w, i) => {
    const s = seg.starts[i]!;
    return s < end && s + w.text.length > start;
  });
}

/** Lowest OCR confidence (0..1) of the words behind a span; the weakest character decides. */
export function spanConfidence(seg: Segment, start: number, end: number): number {
  const ws = wordsInSpan(seg, start, end);
  if (ws.length === 0) return 0;
  return Math.min(...ws.map((w) => w.confidence)) / 100;
}

/**
 * The box around a segment's words, or those in a character span, widened halfway into the gaps
 * to the neighbouring words (at most half a text height) so a crop of it holds whole glyphs only.
 */
export function segmentBox(seg: Segment, span?: [number, number]): Box {
  const chosen = new Set(span ? wordsInSpan(seg, span[0], span[1]) : seg.words);
  const idx = seg.words.map((w, i) => (chosen.has(w) ? i : -1)).filter((i) => i >= 0);
  const solid = idx.filter((i) => !degenerate(seg.words[i]!));
  const use = (solid.length ? solid : idx.length ? idx : seg.words.map((_, i) => i)).map((i) => seg.words[i]!);
  const h = seg.height || 1;
  const first = seg.words.indexOf(use[0]!);
  const last = seg.words.indexOf(use[use.length - 1]!);
  const before = seg.words[first - 1];
  const after = seg.words[last + 1];
  const x0 = Math.min(...use.map((w) => w.bbox.x0));
  const x1 = Math.max(...use.map((w) => w.bbox.x1));
  return {
    x0: Math.round(x0 - Math.min(h / 2, before && !degenerate(before) ? Math.max(0, x0 - before.bbox.x1) / 2 : h / 2)),
    y0: Math.min(...use.map((w) => w.bbox.y0)),
    x1: Math.round(x1 + Math.min(h / 2, after && !degenerate(after) ? Math.max(0, after.bbox.x0 - x1) / 2 : h / 2)),
    y1: Math.max(...use.map((w) => w.bbox.y1)),
  };
}
