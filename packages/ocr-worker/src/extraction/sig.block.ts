import { segmentOf, trimJunk, type Segment } from './label.layout.js';
import { ocrDistance } from './ocr-confusion.js';
import { leadingLabel, SIG_LABELS } from './label.keywords.js';
import { correctSigWord, SIG_VOCABULARY, sigWordConfidence } from './sig.vocabulary.js';
import { DOSE_FORMS, normaliseSig } from './sig.normaliser.js';
import { CREDENTIAL } from './prescriber.parser.js';
import { COUNT_CAPTION_MISREAD, countAlone } from './label.quantity.js';

/** Verbs that open directions on US labels ("TAKE 1 TABLET…", "APPLY…", "INSTILL…"). */
const SIG_VERBS = ['TAKE', 'USE', 'APPLY', 'INHALE', 'INSTILL', 'PLACE', 'DISSOLVE', 'CHEW', 'INJECT', 'SPRAY', 'GIVE', 'INSERT', 'RUB', 'MIX', 'DRINK', 'UNWRAP'];
/**
 * Label words that start another field; directions never wrap onto them. QTY as label.quantity.ts's
 * QTY_KEY reads it, a letter lost or misread when its colon follows ("Qy:", "Ql:", "TY:", "ony:").
 * WARNING with its rn read as the m it looks like ("Waming:", a camera photo of batch 128100).
 * "Qty dispensed" with its Q lost ("ty dispensed 270", both looks of a hard photo, batch 136800: the
 * count was read into the directions and no quantity found), or with its T read as U and no colon:
 * a Q word before DISPENSED is only ever that caption ("Quy dispensed 10 Tablets", a camera photo of
 * batch 164700).
 */
export const FIELD_START =
  /^\s*(?:[QO0(][TI1][YV]\b|T[YV]\s*(?::|DISPENSED\b)|Q[A-Z]{1,2}\s*(?::|DISP)|[QO0]N[YV]\s*:|QUANTITY|DISP|REFILL|NO REFILL|\d+ REFILLS?|RX\b|R[X×]#|RXNO\b|DR\b\.?|PRESCRIB|GENERIC|MFR|MFG|NDC|DATE|DISCARD|USE BY|USE (?:BEFORE|UNTIL)\s*:?\s*(?:\d|$)|FILL(?:ED)?\b|DAYS?\s*SUPPLY|PRESCRIPTION\s*(?:#|NO\b|NUMBER)|RF\b|(?:DOCTOR|PHYSICIAN)\s*:|PATIENT|FORM\s*:|SUBSTITUT|CAUTION|WA(?:RN|M)ING|EXP|LOT|PHONE|TEL\b|\(\d{3}\)|MAY CAUSE|AVOID|KEEP OUT|FOR EXTERNAL|REFRIGERATE|FINISH ALL|SWALLOW WHOLE|(?:MR|MRS|MS|MISS|MSTR)\.?\s|DO NOT (?:TAKE|DRINK|USE|STOP|DRIVE)|READ THE|IMPORTANT|PHARMACIST|DIN\b|REPEATS?|#\s*\d)/i;

/**
 * A line that is only a number of six digits or more: an Rx number, a DIN, a phone number printed
 * under a caption that was not read ("rber" / "1090221" / "®y" / "84 Tablets" under "Give 3
 * tablets orally BID", a hard photo of fresh seed 83100, where the directions ran on to swallow
 * the count). No directions give a number that long, so they end before it.
 */
const NUMBER_ONLY = /^\s*\d{6,}\s*$/;

/** Labels of other fields: a wrapped line never starts with one. */
const OTHER_LABELS = ['QUANTITY', 'PRESCRIBED BY', 'PRESCRIBER', 'PATIENT', 'MEDICATION', 'REFILLS', 'DATE FILLED', 'FILLED', 'FORM', 'WARNING'];

export interface SigBlock {
  /** Directions as printed, label prefix and stray marks removed. */
  text: string;
  segments: Segment[];
  /** Mean OCR confidence (0..1) of the words kept. */
  ocr: number;
  /** Lowest confidence (0..1) of any word kept, known directions words counting as well read. */
  minWord: number;
  /** Words were lost inside the directions (a wide gap on a line): the text is incomplete. */
  gapped: boolean;
  /** The text before its misread words were repaired from the vocabulary ("moming"), where one was. */
  asRead?: string;
}

const openingWord = (text: string): string => text.trim().split(/\s+/)[0]?.toUpperCase().replace(/[^A-Z0-9]/g, '') ?? '';

/** A lone upright stroke: a bar as Tesseract reads a box's or the paper's edge ("|", "1", "l", "I", "!"). */
const STROKE = /^[|1lI!]$/;
/**
 * What is left of a "Sig:" label that was not read as one: the word without its colon ("Sig TAKE …"),
 * its narrow i lost ("Sg Instill 1 drop…", fresh seed 75900), its g lost ("Si: Take 2.5 ml by mouth 2
 * times daily", both looks of a hard photo with tesseract.js, batch 152400: no directions) or its
 * letters read as digits and marks ("519: TAKE …", "91. GIVE …"). Textbook and independent labels
 * print the directions after it; a short run of digits and marks never opens directions.
 */
const LABEL_REMAINS = /^(?:[0-9|!.:;,'"-]{1,4}|[S5$](?:[I1l|!]?[G6g9]|[I1l|!])[:.;,]?)$/i;
/** The verbs that are no nouns too (not SPRAY, RUB, MIX, DRINK): no count is printed before them. */
const ONLY_VERBS = new Set(['TAKE', 'USE', 'APPLY', 'INHALE', 'INSTILL', 'PLACE', 'DISSOLVE', 'CHEW', 'INJECT', 'GIVE', 'INSERT']);

/**
 * A directions verb as read, one misread letter allowed in four or more; and two narrow strokes run
 * together read as a W, as VV is ("GWE 15 TABLETS BY MOUTH 4 TIMES A DAY" for GIVE on a camera
 * photo, fresh seed 73200: the directions were not found at all).
 */
const isVerb = (word: string): boolean => {
  const first = word.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const split = first.replace(/W/g, 'IV');
  return SIG_VERBS.some((v) => v === first || (split !== first && v === split) || (first.length >= 4 && ocrDistance(first, v, 1) <= 1));
};

/**
 * A verb that is no noun, read as printed or, in four letters or more, with one letter misread in
 * place ("4 TAXE THO TABLETS ORALLY QID", a hard photo of fresh seed 99900, where the other look read
 * "S42 TAKE TWO…": the directions were not found in either). A letter more or less is not taken:
 * "1 inhaler" is a count before a noun one letter longer than INHALE.
 */
const onlyVerb = (word: string): boolean =>
  ONLY_VERBS.has(word) || (word.length >= 4 && /^[A-Z]+$/.test(word) && [...ONLY_VERBS].some((v) => v.length === word.length && ocrDistance(word, v, 1) <= 1));

/**
 * The segment without the marks before its first word ("| Take one-half tablet…": a box's edge or
 * the paper's, read as a bar): no directions open with a mark, so it must not hide the verb. The
 * edge is as often read as a 1, l or I; a lone stroke is dropped only before a directions verb
 * read as printed that is no noun ("1 INJECT 19 UNITS…"): a count stands before a noun ("1 inhaler",
 * "1 spray bottle"), never before the verb that opens directions. So is a "Sig:" label read as digits
 * or without its colon (LABEL_REMAINS).
 */
function withoutLeadingMarks(seg: Segment): Segment {
  let i = seg.words.findIndex((w) => /[A-Za-z0-9]/.test(w.text));
  const mark = (t: string) => STROKE.test(t) || LABEL_REMAINS.test(t);
  if (i >= 0 && mark(seg.words[i]!.text) && onlyVerb(seg.words[i + 1]?.text.toUpperCase() ?? '')) i++;
  return i <= 0 ? seg : segmentOf(seg.words.slice(i), seg.line);
}

/**
 * The opening verb run together with the dose after it ("GIVE1/2 TABLET", "USE2 SPRAYS"): the narrow
 * space before a digit is lost in some typefaces (21 of ~2,400 readings of fresh seeds 61800-62700).
 * Directions always put a space there, so the word is split where its digits start. So too a dose
 * in words ("GIVETWO TABLETS QID" in both looks of a clean photo, fresh seed 105000: no directions found).
 */
const GLUED_VERB = new RegExp(`^(${SIG_VERBS.join('|')})(\\d[\\d/.]*|ONE|TWO|THREE|FOUR|FIVE|SIX|HALF|ONE-HALF)$`, 'i');
/**
 * Or a dose of up to three marks misread past knowing, where the form a dose is counted in follows
 * ("GIVELS TABLETS ORALLY QID" for GIVE 1.5, both looks of a hard photo, fresh seed 107400: no
 * directions found). The dose stays as read; how often is still said.
 */
const GLUED_MISREAD = new RegExp(`^(${SIG_VERBS.join('|')})([A-Z0-9/.]{1,3})$`, 'i');

function unglueVerb(seg: Segment): Segment {
  const w = seg.words[0];
  const formNext = () => DOSE_FORM.test(seg.words[1]?.text.toUpperCase().replace(/[^A-Z]/g, '') ?? '');
  const m = w?.text.match(GLUED_VERB) ?? (formNext() ? w?.text.match(GLUED_MISREAD) : null);
  if (!w || !m) return seg;
  const cut = w.bbox.x0 + Math.round(((w.bbox.x1 - w.bbox.x0) * m[1]!.length) / w.text.length);
  const verb = { ...w, text: m[1]!, bbox: { ...w.bbox, x1: cut } };
  const dose = { ...w, text: m[2]!, bbox: { ...w.bbox, x0: cut } };
  return segmentOf([verb, dose, ...seg.words.slice(1)], seg.line);
}

/**
 * A line that is a name and a credential ("Robert Costa, DO", "NGUYEN, FIONA MD"): the prescriber,
 * printed under the directions. Not directions words before an eye's abbreviation ("EVERY NIGHT OD").
 */
const PRESCRIBER_LINE = new RegExp(`^\\s*[A-Z][A-Za-z'’.-]*,?(?:\\s+[A-Z][A-Za-z'’.-]*,?){1,3}\\s+${CREDENTIAL}\\.?\\s*$`);
const prescriberLine = (seg: Segment): boolean => PRESCRIBER_LINE.test(seg.text) && !mostlyDirectionsWords(seg);

/**
 * Directions whose verb was misread past knowing ("TIE OME TABLET ORALLY TWICE DAILY", "TNE OF
 * TABLET…": glare on a hard photo, fresh seed 75000, both looks): a short word, a short dose, then
 * the form a dose is counted in, on a line that says how often. The verb may be read as digits and
 * the dose be one-half ("134 one-half tablet by moh Q4H as needed", both looks of a hard photo,
 * fresh seed 120600: no directions found). A drug line puts its name first,
 * most longer than four letters, and a strength before the form; one the drug reader takes for a
 * drug line ("ASA 81 TABLET DAILY") is left to it (findSigBlock).
 */
const DOSE_FORM = new RegExp(`^(?:${DOSE_FORMS})$`);
/**
 * Or a line of five directions words or more after the misread one, one unknown at most, that says
 * how often ("Soply thinly to the affected area TWICE a day" for Apply, "Koply" in the other look:
 * a hard photo, fresh seed 79500). The first word is no directions word: a line that opens with
 * one ("TWICE A DAY WITH FOOD") is the end of wrapped directions, not their start.
 */
function verbMisread(text: string): boolean {
  const words = text.trim().split(/\s+/).map((w) => w.toUpperCase().replace(/[^A-Z0-9/.]/g, ''));
  const shortDose = words.length >= 4 && /^[A-Z0-9]{2,4}$/.test(words[0]!) && /^(?:[A-Z0-9/.]{1,4}|ONEHALF)$/.test(words[1]!) && DOSE_FORM.test(words[2]!);
  const wordsAfter = words.length >= 6 && /^[A-Z]{2,8}$/.test(words[0]!) && !SIG_VOCABULARY.has(words[0]!) && words.slice(1).filter((w) => !isDirectionsWord(w)).length <= 1;
  return (shortDose || wordsAfter || routeThenOften(words)) && normaliseSig(text).schedule !== null;
}

/**
 * Or the way it is taken read as printed, the fourth word or earlier, and then how often, whatever
 * came before it ("GUE ODE OPSUE ORALLY TWICE A DAY" for GIVE ONE CAPSULE, both looks of a hard photo,
 * fresh seed 107700: no directions found). Only directions say how a dose goes in.
 */
const ROUTE = new Set(['ORALLY', 'SUBLINGUALLY', 'RECTALLY', 'VAGINALLY', 'SUBCUTANEOUSLY']);
const routeThenOften = (words: string[]): boolean => {
  const at = words.findIndex((w, i) => ROUTE.has(w) || (w === 'BY' && words[i + 1] === 'MOUTH'));
  return at >= 1 && at <= 3;
};

/** "Sig" read without its i and its colon ("Sg"), as a word of its own. */
const SIG_CAPTION_LOST = /^\s*S[IL1|]?G\s+/i;

function opensDirections(seg: Segment): { labelled: boolean; verbLost?: boolean } | null {
  if (leadingLabel(seg.text, SIG_LABELS)) return { labelled: true };
  const text = unglueVerb(withoutLeadingMarks(seg)).text;
  const first = openingWord(text);
  if (first.length < 2) return null;
  // "USE BY 03/14/2026", "Use before: …": a date's caption, not directions; alone on its line too,
  // with the date stacked under it ("Use before" / "09/18/2025", a hard photo, fresh seed 115200,
  // where it was taken for the directions).
  if (/^USE\s+(?:BY\b|(?:BEFORE|UNTIL)\s*:?\s*(?:\d|$))/i.test(text.trim())) return null;
  if (first.length >= 3 && isVerb(first)) return { labelled: false };
  // The verb was lost: the words are incomplete, so they are never sure (SigBlock.gapped). Behind a
  // Sig caption read without its i and colon too ("Sg AXE ONE TABLET BY MOUTH ONCE A pay", a hard
  // photo, fresh seed 87000): no other word on a label is S and G alone.
  return verbMisread(text) || (SIG_CAPTION_LOST.test(text) && verbMisread(text.replace(SIG_CAPTION_LOST, ''))) ? { labelled: false, verbLost: true } : null;
}

/**
 * "BY MOUTH" is the commonest phrase on a label and its small "BY" the most often misread
 * ("py", "gy", "8Y"); before "MOUTH" a two-letter word ending in Y/V can only be "BY".
 */
function fixByMouth(seg: Segment): Segment {
  const words = seg.words.map((w, i) => {
    const next = seg.words[i + 1]?.text.toUpperCase() ?? '';
    const fixable = /^[A-Za-z0-9][YyVv]$/.test(w.text) && w.text.toUpperCase() !== 'BY' && ocrDistance(next.replace(/[^A-Z]/g, ''), 'MOUTH', 1.3) <= 1.3;
    return fixable ? { ...w, text: 'BY', confidence: Math.max(w.confidence, 85) } : w;
  });
  return words.some((w, i) => w !== seg.words[i]) ? segmentOf(words, seg.line) : seg;
}

/** Repairs misread directions words from the vocabulary; a repaired word is never taken as certain. */
function fixSigWords(seg: Segment): Segment {
  const words = seg.words.map((w) => {
    const fixed = correctSigWord(w.text);
    if (!fixed) return w;
    const text = w.text === w.text.toLowerCase() ? fixed.toLowerCase() : fixed;
    return { ...w, text, confidence: Math.min(w.confidence, 80) };
  });
  return words.some((w, i) => w !== seg.words[i]) ? segmentOf(words, seg.line) : seg;
}

/**
 * Finds the directions and follows them onto wrapped lines: a following line belongs to them
 * when it starts near the same left edge, has a similar text height and is not another field.
 */
export function findSigBlock(segments: Segment[], isDrugLine: (s: Segment) => boolean): SigBlock | null {
  // Warning stickers open with verbs too ("TAKE WITH FOOD", "USE CAUTION"): of every block that
  // opens like directions, take the one that says how often, then a labelled one, then the first.
  let best: { block: SigBlock; score: number } | null = null;
  segments.forEach((s, i) => {
    const opens = opensDirections(s);
    if (!opens || (opens.verbLost && isDrugLine(s))) return;
    const found = sigBlockFrom(segments, i, isDrugLine);
    if (!found) return;
    const block = opens.verbLost ? { ...found, gapped: true } : found;
    const score = (normaliseSig(block.text).schedule ? 4 : 0) + (opens.labelled ? 2 : 0) + (/\d|\b(?:ONE|TWO|HALF)\b/i.test(block.text) ? 1 : 0);
    if (!best || score > best.score) best = { block, score };
  });
  return (best as { block: SigBlock } | null)?.block ?? null;
}

/**
 * A word of directions: a number, a word of the vocabulary once its punctuation is gone ("DAILY,",
 * "B.I.D."), or one it repairs ("TWlCE"). The one test every rule here asks.
 */
function isDirectionsWord(word: string): boolean {
  const t = word.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return /\d/.test(t) || SIG_VOCABULARY.has(t) || correctSigWord(word) !== null;
}

/** More than half the words are directions words or numbers ("DAILY", "AT BEDTIME", "6 HOURS"). */
export function mostlyDirectionsWords(seg: Segment): boolean {
  return seg.words.filter((w) => isDirectionsWord(w.text)).length * 2 > seg.words.length;
}

const noDirectionsWord = (seg: Segment): boolean => !seg.words.some((w) => isDirectionsWord(w.text));

/** A line opening with a word that joins it to the line before: no drug's line opens so. */
const OPENS_JOINED = /^\s*(?:OF|WITH|TO|THEN|FOR|UNTIL|BEFORE|AFTER|INTO)\s/i;

/** Words that join what follows: directions ending on one were cut short. */
const DANGLING = /\b(?:THEN|AND|OR|FOR|WITH|EVERY|EACH|AT|IN|TO|BY|A|AN|PER|OF|THE|UNTIL|IF|BEFORE|AFTER|ON|INTO|UP|PLUS|&)\W*$/i;

/**
 * Directions whose last word is the start of a directions word and no word itself ("… EVERY 4 HOURS
 * WHEN REQUI", "… AS NEED"): the line ran off the label's edge or under glare, and what was lost may
 * say "as needed", a second time of day or a course; so does a lone letter. A singular of a listed plural ("SEIZURE") is a word,
 * and so are short ones that start longer words ("BEFORE BED"): four letters at least.
 */
export function endsCut(text: string): boolean {
  const lastWord = text.trim().split(/\s+/).pop() ?? '';
  // A lone letter ends no directions ("… DAILY AT B"): it is what was left of a word, and A and I are words.
  if (/^[B-HJ-Z]$/i.test(lastWord)) return true;
  const last = lastWord.toUpperCase().replace(/[^A-Z]/g, '');
  if (last.length < 4 || SIG_VOCABULARY.has(last) || correctSigWord(last) !== null) return false;
  return [...SIG_VOCABULARY].some((v) => v.length >= last.length + 2 && v.startsWith(last) && v !== `${last}ES`);
}

/**
 * A line printed at the directions' size (text height `h`): its median word height is, or at least
 * half its words are. Blur and speckle only grow a word's box (a blurred hard photo's `DAILY` and
 * `AS` boxes reached into the line above, twice the height of `TIMES` and `NEEDED` beside them), so
 * a line whose other half is the size is a wrapped line of the directions; a heading or a sticker
 * in another type is another size in all its words.
 */
function sizedLike(seg: Segment, h: number): boolean {
  const near = (x: number) => x > 0.7 * h && x < 1.4 * h;
  return near(seg.height) || seg.words.filter((w) => near(w.bbox.y1 - w.bbox.y0)).length * 2 >= seg.words.length;
}

function sigBlockFrom(segments: Segment[], start: number, isDrugLine: (s: Segment) => boolean): SigBlock | null {
  const first = segments[start]!;
  const block = [first];
  const x0 = first.words[0]!.bbox.x0;
  const h = first.height || 1;
  let lastLine = first.line;
  let gapped = false;
  let passedOver = false;
  // `drugWordsGoOn`: the directions may carry on in a line that only looks like a drug line (below).
  const otherField = (seg: Segment, drugWordsGoOn = false) =>
    FIELD_START.test(seg.text) || COUNT_CAPTION_MISREAD.test(seg.text) || NUMBER_ONLY.test(seg.text) || (!drugWordsGoOn && isDrugLine(seg)) || opensDirections(seg)?.labelled || leadingLabel(seg.text, OTHER_LABELS) || prescriberLine(seg);
  for (const seg of segments.slice(start + 1)) {
    if (seg.line === lastLine) {
      // A wide gap inside the directions is glare or a fold that ate words: keep what follows
      // unless it is another column's field, and remember the text is incomplete.
      if (otherField(seg) || /^\s*\S+:/.test(seg.text) || seg.height < 0.7 * h || seg.height > 1.4 * h) continue;
      // A sticker printed beside the directions ("MAY CAUSE DROWSINESS") is not their continuation;
      // what glare left of the directions is mostly directions words. Either way words may be lost.
      if (!mostlyDirectionsWords(seg)) {
        gapped = true;
        continue;
      }
      block.push(seg);
      gapped = true;
      continue;
    }
    if (seg.line > lastLine + (passedOver ? 2 : 1) || block.length >= 6) break;
    const aligned = Math.abs(seg.words[0]!.bbox.x0 - x0) < 3 * h;
    // A sticker printed beside directions that wrap, its line read between theirs ("… EVERY TWELVE" /
    // "AVOID PROLONGED" / "HOURS SUNLIGHT", a clean photo, fresh seed 114900: no schedule): a line
    // wholly right of where the directions' lines end is passed over, once, while they say no
    // schedule yet. The line after it must carry them on like any other.
    if (!aligned && !passedOver && seg.words[0]!.bbox.x0 > Math.max(...block.map((s) => s.words[s.words.length - 1]!.bbox.x1)) && normaliseSig(block.map((s) => s.text).join(' ')).schedule === null) {
      passedOver = true;
      continue;
    }
    // A short run of directions words ("MORNING", "DAILY") carries on the directions even when glare or a sticker beside it upsets its box.
    const sameSize = sizedLike(seg, h) || (seg.words.length <= 3 && seg.words.every((w) => SIG_VOCABULARY.has(w.text.toUpperCase().replace(/[^A-Z]/g, ''))));
    // Directions cut on a joining word go on in the next line even when it is a word the drug
    // lexicon knows ("… WITH A FULL GLASS OF" / "WATER"): a drug line under them would carry its
    // strength, so a line of no more than three words with no number is not taken for one there.
    // Nor is such a line that opens with the joining word ("… WITH A FULL GLASS" / "OF WATER", both
    // looks of a camera photo, fresh seed 89700, where WATER was taken for the drug).
    const carriesOn = (DANGLING.test(block[block.length - 1]!.text) || OPENS_JOINED.test(seg.text)) && seg.words.length <= 3 && !/\d/.test(seg.text);
    if (!aligned || !sameSize || otherField(seg, carriesOn)) break;
    // A line of two words or more none of which is a directions word or a number ("Mrs Ingrid TAYLOR"
    // read "rs Ingrid TAYLOR") is the next field, unless the directions so far end on a joining word
    // ("… AS NEEDED FOR" / "ACID REFLUX").
    if (seg.words.length >= 2 && noDirectionsWord(seg) && !DANGLING.test(block[block.length - 1]!.text)) break;
    // A line that is only a count and its unit ("20 TABLETS") is the quantity, printed alone under
    // the directions on many labels: directions that carry on to a count say more than it ("2
    // TABLETS BY MOUTH"), unless they were cut on a joining word ("… INCREASE TO" / "2 TABLETS").
    if (countAlone(seg.text) && !DANGLING.test(block[block.length - 1]!.text)) break;
    block.push(seg);
    lastLine = seg.line;
  }
  const read = block.map((s, i) => trimJunk(i === 0 ? unglueVerb(withoutLeadingMarks(s)) : s)).filter((s) => s.words.length > 0).map(fixByMouth);
  const kept = read.map(fixSigWords);
  const words = kept.flatMap((s) => s.words);
  if (words.length === 0) return null;
  const textOf = (segs: Segment[]) => {
    const joined = segs.map((s) => s.text).join(' ');
    return joined.slice(leadingLabel(joined, SIG_LABELS)?.end ?? 0).replace(/\s+/g, ' ').trim();
  };
  const text = textOf(kept);
  const asRead = kept.some((s, i) => s !== read[i]) ? textOf(read) : undefined;
  const labelEnd = leadingLabel(kept[0]!.text, SIG_LABELS)?.end ?? 0;
  const body = kept.flatMap((s, si) => s.words.filter((_, i) => si > 0 || s.starts[i]! >= labelEnd));
  const confs = words.map((w) => w.confidence / 100);
  // Directions never end on a joining word ("… DAILY FOR 5 DAYS THEN", "… FOUR TIMES A"): the line
  // they carried on to was not read, and it may change the schedule.
  if (DANGLING.test(text) || endsCut(text)) gapped = true;
  const minWord = Math.min(1, ...body.map((w) => sigWordConfidence(w.text, w.confidence / 100)));
  return { text, segments: block, ocr: confs.reduce((a, b) => a + b, 0) / confs.length, minWord, gapped, ...(asRead !== undefined && { asRead }) };
}
