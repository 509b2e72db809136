import sharp from 'sharp';
import { cropOf, encodePgm, normaliseGrey, type GreyPixels, type PageMap } from './image.preprocess.js';
import { SALT_WORDS, type DrugLexicon } from './drug.lexicon.js';
import { CERTAIN, CRITICAL_FIELDS, parseLabel, type ParsedLabel } from './label.parser.js';
import { confirmed, DISAGREEMENT_CAP, REREAD_ONLY_CAP, SMEARED_UNCHECKED_CAP } from './evidence.js';
import { sameValue } from './parse.merge.js';
import { zerosReadBack } from './glyph.zero.js';

export type CriticalField = (typeof CRITICAL_FIELDS)[number];
import type { OcrEngine } from './tesseract.engine.js';
import type { Box } from './types.js';

/** The re-read's lines are this many times as large as the first read's: a size its pixels were not read at. */
export const REREAD_SCALE = 1.5;
const GAP = 24;

/** What a re-read of a reading's lines found against it. */
export interface RereadVerdict {
  /** The fields the re-read disagrees with or cannot find. */
  failed: CriticalField[];
  /** Of those, the numbers it read as another number (see readOtherNumber): two looks in dispute. */
  disputed: CriticalField[];
  /** Of the failed, those it read no other value for (found nothing, or the same only by repair): no evidence either way. */
  unread: CriticalField[];
  /** What the re-read's lines parse to, when they were read. */
  reread?: ParsedLabel;
}

/**
 * Tesseract can be confidently wrong ("30" read as "20" with 99% per glyph), so a critical field
 * is only left certain when a second, independent look agrees. The lines it came from are cut out
 * of `image` (the page Tesseract read, or the same page prepared `ratio` times larger from the
 * photo, drawn only at those lines: label.extractor.ts), enlarged, stacked into one small image and read again in one call;
 * returned are the fields the re-read disagrees with or cannot find, and the numbers among them
 * it read differently, for capFields.
 */
export async function unconfirmedFields(engine: OcrEngine, image: GreyPixels | PageMap, parsed: ParsedLabel, fields: readonly CriticalField[], lexicon: DrugLexicon, ratio = 1, ink: readonly Box[] = []): Promise<RereadVerdict> {
  const boxes = lineBoxes(fields.flatMap((f) => parsed.evidence?.[f] ?? []));
  if (boxes.length === 0) return { failed: [...fields], disputed: [], unread: [...fields] };
  const stacked = await stackLines(image, boxes, ratio, ink);
  const { reading } = await engine.recognize(encodePgm(stacked.data, stacked.width, stacked.height), { deskew: false });
  // A zero's shape looked at on the crops' pixels (glyph.zero.ts): a zero with a mark that
  // Tesseract drew as 6 at this size is read back as 0.
  const again = parseLabel(zerosReadBack(reading, stacked), lexicon);
  const failed = fields.filter((f) => !rereadConfirms(f, parsed, again));
  return { failed, disputed: fields.filter((f) => readOtherNumber(f, parsed, again)), unread: failed.filter((f) => !readOtherValue(f, parsed, again)), reread: again };
}

/** The re-read found the field and read it as something else: a look against the first, not merely none for it. */
export function readOtherValue(f: CriticalField, first: ParsedLabel, again: ParsedLabel): boolean {
  if (again.medication[f] === null || first.medication[f] === null) return false;
  return f === 'name' ? !sameDrugName(first.medication.name, again.medication.name) : !sameValue(first.medication[f], again.medication[f]);
}

/**
 * The re-read read the strength or the count as another number (not merely missed it, which a crop
 * cut from its context often does): two looks at the same digits disagree.
 */
export function readOtherNumber(f: CriticalField, first: ParsedLabel, again: ParsedLabel): boolean {
  return (f === 'dosage' || f === 'quantity') && readOtherValue(f, first, again);
}

/**
 * A re-read confirms a field when it gives the same value and at least one of the two looks read
 * it as printed: two looks that both needed the lexicon or a digit repair to get there agree on
 * the repair, not on the pixels.
 */
export function rereadConfirms(f: CriticalField, first: ParsedLabel, again: ParsedLabel): boolean {
  const same = f === 'name' ? sameDrugName(first.medication.name, again.medication.name) : sameValue(first.medication[f], again.medication[f]);
  const printed = (p: ParsedLabel) => p.asPrinted?.[f] ?? true;
  return same && (printed(first) || printed(again));
}

/** Same drug words, and one reading's salt words within the other's ("Ciprofloxacin" ~ "Ciprofloxacin HCl"). */
export function sameDrugName(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const split = (s: string) => s.toUpperCase().split(/[\s\-/]+/).filter(Boolean);
  const [wa, wb] = [split(a), split(b)];
  const base = (ws: string[]) => ws.filter((w) => !SALT_WORDS.has(w)).join(' ');
  const salts = (ws: string[]) => new Set(ws.filter((w) => SALT_WORDS.has(w)));
  const [sa, sb] = [salts(wa), salts(wb)];
  const within = (x: Set<string>, y: Set<string>) => [...x].every((w) => y.has(w));
  return base(wa) === base(wb) && (within(sa, sb) || within(sb, sa));
}

/** Critical fields a reading is certain of: the ones worth a second look. */
export const certainCritical = (parsed: ParsedLabel): CriticalField[] =>
  CRITICAL_FIELDS.filter((f) => parsed.medication[f] !== null && parsed.confidence[f] >= CERTAIN);

/**
 * Caps the given fields below certain. The disputed ones (numbers a re-read read differently,
 * from unconfirmedFields) are recorded as such, so that a second pass reading one of the two
 * values again cannot settle them: it looks at the same pixels, and one look of the two was
 * already wrong.
 */
export function capFields(parsed: ParsedLabel, fields: readonly CriticalField[], disputedNow: readonly CriticalField[] = []): ParsedLabel {
  if (fields.length === 0) return parsed;
  const confidence = { ...parsed.confidence };
  for (const f of fields) confidence[f] = Math.min(confidence[f], DISAGREEMENT_CAP);
  const disputed = [...new Set([...(parsed.disputed ?? []), ...fields.filter((f) => disputedNow.includes(f))])];
  return disputed.length ? { ...parsed, confidence, disputed } : { ...parsed, confidence };
}

/**
 * Raises the given fields: a re-read of their lines agreed. Only as far as REREAD_ONLY_CAP
 * unless a check that does not look at the pixels also supports the value (ParsedLabel.checked);
 * on a smeared photo, such a field is not raised but left below the review threshold
 * (SMEARED_UNCHECKED_CAP): the re-read repeats the smear's misreads.
 */
export function confirmFields(parsed: ParsedLabel, fields: readonly CriticalField[], smeared = false): ParsedLabel {
  if (fields.length === 0) return parsed;
  const confidence = { ...parsed.confidence };
  for (const f of fields) {
    if (parsed.disputed?.includes(f)) continue;
    const raised = confirmed(confidence[f]);
    if (parsed.checked?.[f]) confidence[f] = raised;
    else confidence[f] = smeared ? Math.min(confidence[f], SMEARED_UNCHECKED_CAP) : Math.min(raised, Math.max(confidence[f], REREAD_ONLY_CAP));
    // The quantity's unit was read on the quantity's own line; unless the parse found reason to doubt it.
    if (f === 'quantity' && parsed.record.quantity_unit !== null && parsed.confidence.quantity_unit >= parsed.confidence.quantity) confidence.quantity_unit = confidence.quantity;
  }
  return { ...parsed, confidence };
}

/**
 * The boxes to crop, one per printed line: boxes of one line (their heights overlapping by half,
 * a gap between them of at most two line heights) are taken as one. A field's words are often part
 * of a line another field was read from ("60 Colchicine 0.6mg tablets": the count opens the drug
 * line); cropped apart, the count is a lone number on a line of its own that nothing reads as a
 * quantity, and the field could never be confirmed.
 */
export function lineBoxes(boxes: readonly Box[]): Box[] {
  const out: Box[] = [];
  const sameLine = (a: Box, b: Box) => {
    const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
    const gap = Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1);
    const h = Math.max(a.y1 - a.y0, b.y1 - b.y0);
    return overlap >= 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0) && gap <= 2 * h;
  };
  for (const box of [...boxes].sort((a, b) => a.x0 - b.x0)) {
    let b = { ...box };
    // Grown, it may reach a line taken before: taken in too, until none is.
    for (let i = out.findIndex((o) => sameLine(o, b)); i >= 0; i = out.findIndex((o) => sameLine(o, b))) {
      const o = out.splice(i, 1)[0]!;
      b = { x0: Math.min(o.x0, b.x0), y0: Math.min(o.y0, b.y0), x1: Math.max(o.x1, b.x1), y1: Math.max(o.y1, b.y1) };
    }
    out.push(b);
  }
  return out.sort((a, b) => a.y0 - b.y0);
}

/**
 * Crops each box with a margin, enlarges it and stacks the crops top to bottom on white, keeping
 * their x offsets. Works on raw pixels throughout: no image is encoded or decoded on the way.
 * From a page not drawn (a PageMap), each crop is drawn at its enlarged size straight from the
 * page's source (cropOf).
 */
export async function stackLines(image: GreyPixels | PageMap, boxes: Box[], ratio = 1, ink: readonly Box[] = []): Promise<GreyPixels> {
  const { width: W, height: H } = image;
  const page = 'source' in image ? image : null;
  const source = 'source' in image ? null : sharp(image.data, { raw: { width: W, height: H, channels: 1 } });
  const crops: { data: Uint8Array; left: number; top: number; width: number; height: number }[] = [];
  let top = GAP;
  let width = 0;
  // The boxes are on a page `ratio` times smaller than image; the crops are enlarged to REREAD_SCALE times the boxes.
  const enlarge = REREAD_SCALE / ratio;
  for (const box of boxes) {
    const [above, below] = marginsClear(box, ink);
    const b = { x0: box.x0 * ratio, y0: box.y0 * ratio, x1: box.x1 * ratio, y1: box.y1 * ratio };
    // The boxes already include horizontal margins; a little vertical margin, stopped where the
    // words of the line above or below begin: a shred of them under a short line is read as letters.
    const h = b.y1 - b.y0;
    const left = Math.max(0, Math.round(b.x0));
    const cropTop = Math.max(0, Math.round(b.y0 - Math.min(0.25 * h, above * ratio)));
    const right = Math.min(W, Math.round(b.x1));
    const bottom = Math.min(H, Math.round(b.y1 + Math.min(0.25 * h, below * ratio)));
    if (right - left < 4 || bottom - cropTop < 4) continue;
    const cw = Math.round((right - left) * enlarge);
    const ch = Math.round((bottom - cropTop) * enlarge);
    // Stretched so the paper is near white like the canvas: grey patches on white confuse layout analysis.
    const px = page
      ? cropOf(page, left, cropTop, right - left, bottom - cropTop, cw, ch)
      : await source!.clone().extract({ left, top: cropTop, width: right - left, height: bottom - cropTop }).resize(cw, ch, { kernel: 'cubic' }).extractChannel(0).raw().toBuffer();
    const data = await normaliseGrey(px, cw, ch); // sharp's normalise(), the same bytes, without its Lab floats
    crops.push({ data, left: Math.round(left * enlarge), top, width: cw, height: ch });
    top += ch + GAP;
    width = Math.max(width, Math.round(left * enlarge) + cw);
  }
  const out = { data: new Uint8Array(Math.max(width + GAP, 8) * Math.max(top, 8)).fill(255), width: Math.max(width + GAP, 8), height: Math.max(top, 8) };
  for (const c of crops) {
    for (let y = 0; y < c.height; y++) out.data.set(c.data.subarray(y * c.width, (y + 1) * c.width), (c.top + y) * out.width + c.left);
  }
  return out;
}

/**
 * How far above and below `box` the page is clear of other words (`ink`, in box's frame) across
 * box's width: the room a crop's margin has before it takes in a shred of the next line.
 */
export function marginsClear(box: Box, ink: readonly Box[]): [number, number] {
  const h = box.y1 - box.y0;
  let [above, below] = [Infinity, Infinity];
  for (const w of ink) {
    if (w.x1 <= box.x0 || w.x0 >= box.x1) continue;
    const mid = (w.y0 + w.y1) / 2;
    // Another line's word: its middle outside the box and its edge at most a little into it.
    if (mid < box.y0 && w.y1 <= box.y0 + 0.1 * h) above = Math.min(above, Math.max(0, box.y0 - w.y1));
    else if (mid > box.y1 && w.y0 >= box.y1 - 0.1 * h) below = Math.min(below, Math.max(0, w.y0 - box.y1));
  }
  return [above, below];
}
