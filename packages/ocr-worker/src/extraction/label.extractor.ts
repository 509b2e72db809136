import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { emptyMedication, type Medication } from '@rxscan/contracts';
import { uprightBoxOf, type ReadingFrame, type UprightBox } from './field.boxes.js';
import { bundledDrugLexicon, type DrugLexicon } from './drug.lexicon.js';
import { largerPage, preprocessImage, turnedBy, turnedLikeTesseract, type GreyPixels, type PageMap, type PreparedImage } from './image.preprocess.js';
import { emptyRecord, needsReview, parseLabel, RECORD_KEYS, zeroRecordConfidence, type ParsedLabel, type RecordConfidence } from './label.parser.js';
import { capFields, certainCritical, confirmFields, REREAD_SCALE, unconfirmedFields, type CriticalField, type RereadVerdict } from './line.verify.js';
import { mergeParsed } from './parse.merge.js';
import { offerListedStrength, offerPointedCount, offerUsualCount } from './review.offers.js';
import { zerosByShape } from './glyph.zero.js';
import { FIRST_PASS, SECOND_PASS, secondPassFor, type RecognitionPass } from './recognition.plan.js';
import { wordHeight } from './label.layout.js';
import { findLabelRegion, type Region } from './label.region.js';
import { measurePhoto, unsmearedPhoto, type MeasuredPhoto, type MotionBlur } from './motion.blur.js';
import { UNWRAP_ANGLE } from './label.unwrap.js';
import { BETTER_BY, boxOnTakenPhoto, DOUBTFUL_READING, linesRunDown, turnPhoto, type QuarterTurns } from './label.orientation.js';
import { createTesseractEngine, type OcrEngine, type RecognizedPage } from './tesseract.engine.js';
import { createNativeEngine } from './native.engine.js';
import type { Box, Extraction, Extractor, ExtractorOptions, FieldConfidence, OcrReading } from './types.js';

/** The drug fields, null: the record fields travel apart, in `record`. */
const emptyDrugFields = (): ParsedLabel['medication'] =>
  Object.fromEntries(Object.entries(emptyMedication()).filter(([k]) => !(RECORD_KEYS as string[]).includes(k))) as ParsedLabel['medication'];
const zeroConfidence = (): FieldConfidence => Object.fromEntries(Object.keys(emptyDrugFields()).map((k) => [k, 0])) as FieldConfidence;

const parseOrEmpty = (reading: OcrReading, lexicon: DrugLexicon): ParsedLabel =>
  reading.lines.length > 0
    ? parseLabel(reading, lexicon)
    : { medication: emptyDrugFields(), record: emptyRecord(), confidence: { ...zeroConfidence(), ...zeroRecordConfidence() } };

interface PassResult {
  reading: OcrReading;
  /** The pixels the reading's boxes refer to (turned as Tesseract read them); made once, when asked for. */
  page: () => Promise<GreyPixels>;
  /** The page prepared again larger from the photo (turned as Tesseract read it), `ratio` times the reading's boxes; made once, when asked for, and drawn only where cut (PageMap). */
  larger: () => Promise<PageMap & { ratio: number }>;
  parsed: ParsedLabel;
  /** How the reading's pixels were made from the photo; null when the photo's size is unknown. */
  frame: ReadingFrame | null;
}

/** The photo's size once turned upright (EXIF orientation 5..8 swaps the sides); null when it cannot be read. */
async function uprightSize(image: Buffer): Promise<{ width: number; height: number } | null> {
  const meta = await sharp(image).metadata().catch(() => null);
  if (!meta?.width || !meta.height) return null;
  return (meta.orientation ?? 1) >= 5 ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
}

/** Per field, the box of the words it was read from, on the upright photo (see field.boxes.ts). */
function boxesOf(parsed: ParsedLabel, frameOf: (field: keyof Medication) => ReadingFrame | null): Partial<Record<keyof Medication, UprightBox>> {
  const boxes: Partial<Record<keyof Medication, UprightBox>> = {};
  for (const [field, found] of Object.entries(parsed.evidence ?? {}) as [keyof Medication, Box[] | undefined][]) {
    const frame = frameOf(field);
    const box = frame && found?.length ? uprightBoxOf(found, frame) : null;
    if (box) boxes[field] = box;
  }
  return boxes;
}

export interface ExtractionPlan {
  first: RecognitionPass;
  /** Run when the first pass leaves a critical field uncertain; null to skip. */
  second: RecognitionPass | null;
  /** Re-read the lines of certain critical fields (see line.verify.ts). */
  verify: boolean;
  /** Cut the photo down to the label (the largest bright region) before reading. */
  crop: boolean;
  /**
   * Make the first pass's re-read page while Tesseract reads it, before knowing it is wanted: for
   * a label read alone, where the read leaves a core idle (createExtractor).
   */
  early?: boolean;
  /** A label still in review after the second pass, on paper told from the surface around it, is read again unwrapped this many radians a side (label.unwrap.ts); unset for none. */
  unwrap?: number;
}

export const DEFAULT_PLAN: ExtractionPlan = { first: FIRST_PASS, second: SECOND_PASS, verify: true, crop: true, unwrap: UNWRAP_ANGLE };

/** What the first pass over a photo saw: its mean word confidence (0..100). */
export interface FirstLook {
  confidence?: number;
}

/**
 * A photo's first pass already done (its region, the prepared page and Tesseract's reading of it),
 * handed to extractWith so a photo looked at this way up is not located, prepared and read again
 * when it is taken: the same photo and plan give the same bytes and the same reading.
 */
interface FirstPass {
  region: Region | null;
  prepared: PreparedImage;
  page: RecognizedPage;
}

/** What extractUpright hands extractWith besides the photo. */
interface PassContext {
  /** Told the first pass's mean word confidence. */
  seen?: FirstLook;
  /** The photo's first pass, already done. */
  done?: FirstPass | null;
  /**
   * The smear of the photo as taken (null: not smeared), which no re-read sees past (confirmFields).
   * A photo turned or with its smear taken out has the taken photo's: its pixels are that photo's,
   * moved or made sharper. None given: not smeared.
   */
  smear?: Promise<MotionBlur | null>;
}

/** The first pass alone over a photo: how well it reads this way up (mean word confidence), and the pass itself. */
async function firstLook(engine: OcrEngine, image: Buffer, plan: ExtractionPlan): Promise<FirstPass> {
  const region = plan.crop ? await findLabelRegion(image).catch(() => null) : null;
  const prepared = await preprocessImage(image, plan.first.preprocess, region);
  return { region, prepared, page: await engine.recognize(prepared.pgm, plan.first.recognize) };
}

/**
 * A photo through the plan the right way up (label.orientation.ts). Read as taken first; only a
 * doubtful reading (no strength or no directions found, or a low mean word confidence) looks
 * further: lines that run down the photo are read both ways a quarter turn round and the better
 * taken; otherwise, after a poor reading, the photo upside down is read and taken only when it
 * reads clearly better. Boxes are put back on the photo as taken.
 */
export async function extractUpright(engine: OcrEngine, lexicon: DrugLexicon, image: Buffer, plan: ExtractionPlan = DEFAULT_PLAN): Promise<Extraction> {
  const seen: FirstLook = {};
  const start = performance.now();
  // The photo is measured for a smear once, while Tesseract reads it (about 20 ms): for the
  // re-reads' proof, and for a doubtful reading, to take the smear out.
  let measuring: Promise<MeasuredPhoto | null> | null = null;
  const measured = () => (measuring ??= measurePhoto(image).catch(() => null));
  const smear = plan.verify ? measured().then((m) => m?.blur ?? null) : undefined;
  // A first pass this doubtful always has the orientation looked at, and lines that run down are
  // read a quarter turn round whatever the photo as taken gives: then the rest of its passes (a
  // second pass, re-reads) would be thrown away, so they are not run.
  let down: boolean | undefined;
  const sideways = async (c: number) => c < DOUBTFUL_READING && (down = await linesRunDown(image).catch(() => false));
  const asTaken = await extractWith(engine, lexicon, image, plan, { seen, smear }, sideways);
  const confidence = seen.confidence ?? 0;
  if (asTaken && confidence >= DOUBTFUL_READING && asTaken.medication.dosage && asTaken.medication.sig) return asTaken;
  const t0 = performance.now();
  // A doubtful reading may be of a smeared photo (motion.blur.ts): with the smear taken out it is
  // read again, and taken when it reads clearly better, as a photo turned round is. A smear up the
  // photo can look like lines that run down, so this comes before the orientation.
  if (confidence < DOUBTFUL_READING) {
    const unsmeared = await measured().then((m) => m && unsmearedPhoto(m)).catch(() => null);
    const look = unsmeared && (await firstLook(engine, unsmeared.photo, plan));
    if (unsmeared && look && look.page.reading.confidence >= confidence + BETTER_BY) {
      const sharper = await extractWith(engine, lexicon, unsmeared.photo, plan, { done: look, smear: Promise.resolve(unsmeared.blur) });
      const unsmear = Math.round(performance.now() - t0 - sharper.timings_ms.total!);
      return { ...sharper, timings_ms: { ...sharper.timings_ms, unsmear, total: Math.round(performance.now() - start) } };
    }
  }
  down ??= await linesRunDown(image).catch(() => false);
  if (asTaken && !down && confidence >= DOUBTFUL_READING) return asTaken;
  const candidates: QuarterTurns[] = down ? [1, 3] : [2];
  let best: { turns: QuarterTurns; photo: Buffer; confidence: number; look: FirstPass } | null = null;
  for (const turns of candidates) {
    const photo = await turnPhoto(image, turns);
    const look = await firstLook(engine, photo, plan);
    const c = look.page.reading.confidence;
    if (!best || c > best.confidence) best = { turns, photo, confidence: c, look };
  }
  // Lines that run down are wrong as taken whatever it read; upside down must read clearly better.
  if (asTaken && (!best || (!down && best.confidence < confidence + BETTER_BY))) {
    asTaken.timings_ms.orient = Math.round(performance.now() - t0);
    return asTaken;
  }
  if (!best) throw new Error('no orientation to read'); // unreachable: there is always a candidate
  const turned = await extractWith(engine, lexicon, best.photo, plan, { done: best.look, smear });
  const boxes = Object.fromEntries(Object.entries(turned.boxes ?? {}).map(([field, box]) => [field, boxOnTakenPhoto(box, best.turns)]));
  const orient = Math.round(performance.now() - t0 - turned.timings_ms.total!);
  return { ...turned, boxes, timings_ms: { ...turned.timings_ms, orient, total: Math.round(performance.now() - start) } };
}

/** One image through the plan: first pass, a second if in doubt, then a re-read of what is left certain. */
async function extractWith(engine: OcrEngine, lexicon: DrugLexicon, image: Buffer, plan: ExtractionPlan, context: PassContext): Promise<Extraction>;
/** With `stop`: null when it says, given the first pass's mean word confidence, that the rest is not wanted. */
async function extractWith(engine: OcrEngine, lexicon: DrugLexicon, image: Buffer, plan: ExtractionPlan, context: PassContext, stop: (confidence: number) => Promise<boolean>): Promise<Extraction | null>;
async function extractWith(engine: OcrEngine, lexicon: DrugLexicon, image: Buffer, plan: ExtractionPlan, { seen = {}, done = null, smear }: PassContext, stop?: (confidence: number) => Promise<boolean>): Promise<Extraction | null> {
  const timings: Record<string, number> = { preprocess: 0, recognize: 0, parse: 0, verify: 0, passes: 0 };
  const t0 = performance.now();
  // An undecodable image fails in preprocessImage with its own error, so a failed look here is no crop.
  const [region, upright] = await Promise.all([done ? done.region : plan.crop ? findLabelRegion(image).catch(() => null) : null, uprightSize(image)]);
  timings.locate = performance.now() - t0;
  const smeared = smear ? smear.then((b) => b !== null) : Promise.resolve(false);
  const run = async (pass: RecognitionPass, primed: FirstPass | null = null): Promise<PassResult> => {
    const a = performance.now();
    const prepared = primed ? primed.prepared : await preprocessImage(image, pass.preprocess, region);
    const b = performance.now();
    // The re-read's page: prepared again from the photo, larger, and turned as Tesseract read this
    // one, so its crops are not an enlargement of pixels that may hold this reading's misread.
    // Only its lines are drawn (image.preprocess.ts, PageMap): the re-read reads no more of it.
    // All but the turn is known before the reading: with a core to spare (plan.early) the first
    // pass's is made while Tesseract reads, on another core, and thrown away if the label needs no
    // re-read. (A second pass's page is wanted only for a field it alone reads surely: not early.)
    let larger: Promise<PageMap & { ratio: number }> | null = null;
    const unturned = () => (larger ??= largerPage(image, pass.preprocess, region, prepared, REREAD_SCALE));
    if (plan.early && !primed && pass === plan.first) unturned().catch(() => {}); // its failure is met where it is used
    const { reading, rotateRadians } = primed ? primed.page : await engine.recognize(prepared.pgm, pass.recognize);
    let page: Promise<GreyPixels> | null = null;
    const ownPage = () => (page ??= turnedLikeTesseract(prepared, rotateRadians));
    const largerOnce = async () => turnedBy(await unturned(), rotateRadians);
    const c = performance.now();
    let parsed = parseOrEmpty(reading, lexicon);
    // A strength read with 6s where a listed one has 0s: are those glyphs zeros with a mark? (glyph.zero.ts)
    if (parsed.zeroRepair) parsed = zerosByShape(parsed, await ownPage());
    timings.preprocess! += b - a;
    timings.recognize! += c - b;
    timings.parse! += performance.now() - c;
    timings.passes! += 1;
    const geometry: ReadingFrame | null = upright && { uprightWidth: upright.width, uprightHeight: upright.height, region, width: prepared.width, height: prepared.height, radians: rotateRadians + (prepared.turned ?? 0), ...(prepared.flattened ? { homography: prepared.flattened } : {}), ...(prepared.unwrapped ? { unwrap: prepared.unwrapped } : {}) };
    return { reading, page: ownPage, larger: largerOnce, parsed, frame: geometry };
  };
  /** What every re-read's lines parsed to. */
  const rereads: ParsedLabel[] = [];
  const verify = async (p: PassResult, fields: CriticalField[]): Promise<RereadVerdict> => {
    if (!plan.verify || fields.length === 0) return { failed: [], disputed: [], unread: [] };
    const a = performance.now();
    const larger = await p.larger();
    const ink = p.reading.lines.flatMap((l) => l.words.map((w) => w.bbox));
    let verdict = await unconfirmedFields(engine, larger, p.parsed, fields, lexicon, larger.ratio, ink);
    if (verdict.reread) rereads.push(verdict.reread);
    // What the larger page's crops made nothing of is read from the reading's own page, enlarged:
    // a look that shares the reading's pixels, and so catches a word lost but not a digit misdrawn.
    if (verdict.unread.length > 0) {
      const own = await unconfirmedFields(engine, await p.page(), p.parsed, verdict.unread, lexicon, 1, ink);
      if (own.reread) rereads.push(own.reread);
      const failed = [...verdict.failed.filter((f) => !verdict.unread.includes(f)), ...own.failed];
      verdict = { failed, disputed: [...new Set([...verdict.disputed, ...own.disputed])], unread: own.unread };
    }
    timings.verify! += performance.now() - a;
    return verdict;
  };

  const first = await run(plan.first, done);
  seen.confidence = first.reading.confidence;
  if (stop && (await stop(first.reading.confidence))) return null;
  let result = first.parsed;
  let frameOf = (_field: keyof Medication): ReadingFrame | null => first.frame;
  let text = first.reading.text;
  // Re-read only what would otherwise be accepted: a label already going to review needs no proof.
  const confirmed = new Set<CriticalField>();
  if (!needsReview(result)) {
    const certain = certainCritical(result);
    const { failed, disputed } = await verify(first, certain);
    certain.filter((f) => !failed.includes(f)).forEach((f) => confirmed.add(f));
    result = confirmFields(capFields(result, failed, disputed), [...confirmed], await smeared);
  }
  if (needsReview(result) && plan.second) {
    // Small text is read again larger; measured on the words the first pass found.
    const h = wordHeight(first.reading.lines.flatMap((l) => l.words));
    const secondPass = plan.second === SECOND_PASS ? secondPassFor(h) : plan.second;
    const second = await run(secondPass);
    const merged = mergeParsed(result, second.parsed);
    result = merged.parsed;
    frameOf = (field) => (merged.from[field] === 'b' ? second.frame : first.frame);
    if (second.reading.confidence > first.reading.confidence) text = second.reading.text;
    // Two passes over the same photo fail alike, so agreeing is no proof: every sure critical field
    // not yet confirmed gets a re-read from the pass it came from.
    const unchecked = certainCritical(result).filter((f) => !(merged.from[f] === 'a' && confirmed.has(f)));
    const [fromA, fromB] = [await verify(first, unchecked.filter((f) => merged.from[f] === 'a')), await verify(second, unchecked.filter((f) => merged.from[f] === 'b'))];
    const failed = [...fromA.failed, ...fromB.failed];
    result = confirmFields(capFields(result, failed, [...fromA.disputed, ...fromB.disputed]), unchecked.filter((f) => !failed.includes(f)), await smeared);
    // A label bowed round a bottle loses the words at its squeezed ends in both passes: still in
    // review, it gets one more look, the second pass with its columns unwrapped (label.unwrap.ts),
    // merged as the second was. Only where the paper was told from the surface around it, but
    // whatever its outline: a label round a bottle seen square on keeps straight edges (5 of 78
    // strongly curved photos of two fresh batches were taken for flat sheets), and on a flat
    // label still in doubt the look is one more resampling. (Agreeing raises no confidence,
    // LR.passesAgree: a field sure after the merge that did not come from the unwrapped look was
    // sure and re-read before.)
    if (plan.unwrap && needsReview(result) && region?.paper) {
      const third = await run({ ...secondPass, name: `${secondPass.name}-unwrapped`, preprocess: { ...secondPass.preprocess, unwrap: plan.unwrap } });
      const again = mergeParsed(result, third.parsed);
      result = again.parsed;
      const earlier = frameOf;
      frameOf = (field) => (again.from[field] === 'b' ? third.frame : earlier(field));
      const fresh = certainCritical(result).filter((f) => again.from[f] === 'b');
      const fromC = await verify(third, fresh);
      result = confirmFields(capFields(result, fromC.failed, fromC.disputed), fresh.filter((f) => !fromC.failed.includes(f)), await smeared);
    }
  }
  result = offerPointedCount(offerListedStrength(offerUsualCount(result), rereads), rereads);
  timings.total = performance.now() - t0;
  for (const k of Object.keys(timings)) timings[k] = Math.round(timings[k]!);
  const confidence = { ...result.confidence } as Record<string, number>;
  const record_confidence = Object.fromEntries(RECORD_KEYS.map((k) => [k, confidence[k] ?? 0])) as RecordConfidence;
  for (const k of RECORD_KEYS) delete confidence[k];
  return {
    ocr_text: text,
    medication: result.medication,
    confidence: confidence as FieldConfidence,
    record: result.record,
    record_confidence,
    needs_review: needsReview(result),
    timings_ms: timings,
    boxes: boxesOf(result, frameOf),
  };
}

/**
 * Starts the recognition engine (warm tesseract.js workers, or native Tesseract) and returns an extractor: sharp preprocessing, recognition
 * (page mode 6, deskewed), layout-aware parsing, a second pass for uncertain labels and a
 * re-read of the lines behind every field it is certain of. Call close() to end the engine.
 */
export async function createExtractor(opts: ExtractorOptions): Promise<Extractor> {
  const lexicon = bundledDrugLexicon(); // load before the first label, not during it
  const early = opts.early !== false && availableParallelism() > 1;
  const choice = opts.engine ?? { kind: 'wasm' };
  const started =
    choice.kind === 'native'
      ? await createNativeEngine({ binary: choice.binary, cacheDir: opts.cacheDir, count: opts.workers ?? 1, via: choice.via })
      : await createTesseractEngine(opts.workers ?? 1, opts.cacheDir);
  const engine = opts.wrapEngine ? opts.wrapEngine(started) : started;
  let closed = false;
  let reading = 0;
  return {
    async extract(image: Buffer): Promise<Extraction> {
      if (closed) throw new Error('extractor is closed');
      // A label read alone leaves cores idle while Tesseract reads: the re-read's page is made then.
      // With more labels under way the cores are theirs, and it is made only when wanted.
      reading++;
      try {
        return await extractUpright(engine, lexicon, image, { ...DEFAULT_PLAN, early: early && reading === 1 });
      } finally {
        reading--;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await engine.terminate();
    },
  };
}
