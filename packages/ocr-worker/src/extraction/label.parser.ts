import { CRITICAL_FIELDS, REVIEW_THRESHOLD, needsReview as reviewRule, type Medication } from '@rxscan/contracts';
import { bundledDrugLexicon, type DrugLexicon } from './drug.lexicon.js';
import { findDosages } from './dosage.parser.js';
import { drugLineScore, findDrug, type DrugReading } from './drug.line.js';
import { findQuantity, findRefills, findRxNumber, type FieldHit } from './label.fields.js';
import { segmentBox, segmentsOf } from './label.layout.js';
import { findPrescriber } from './prescriber.parser.js';
import { findSigBlock, type SigBlock } from './sig.block.js';
import { normaliseSig } from './sig.normaliser.js';
import type { Box, FieldConfidence, OcrReading } from './types.js';

export interface ParsedLabel {
  medication: Medication;
  confidence: FieldConfidence;
  /** Where on the image each field was read (boxes of its segments), so it can be re-read. */
  evidence?: Partial<Record<keyof Medication, Box[]>>;
}

/** Critical fields below this confidence send the label to a person (the contract's review rule). */
export const CERTAIN = REVIEW_THRESHOLD;
export { CRITICAL_FIELDS };

const PHARMACY = /\b(?:PHARMACY|PHARMACIES|DRUGS?|APOTHECARY|CHEMISTS?|RX)\b/i;

/** OCR confidence and pattern clarity into one 0..1 certainty: a clean keyword reading is near 1. */
const hitConfidence = (hit: FieldHit<unknown> | null): number => (hit ? Math.min(1, hit.pattern * (hit.ocr >= 0.8 ? 0.98 : hit.ocr)) : 0);

/**
 * Reads the medication fields from one OCR pass. Pure: layout, lexicon and SIG rules only.
 * Fields it cannot find are null with confidence 0.
 */
export function parseLabel(reading: OcrReading, lexicon: DrugLexicon = bundledDrugLexicon()): ParsedLabel {
  const segments = segmentsOf(reading);
  // A wrapped line of directions never carries a strength or starts with a known drug name.
  const sig = findSigBlock(segments, (s) => findDosages(s.text).length > 0 || drugLineScore(s, lexicon) >= 2.7);
  const sigSegs = new Set(sig?.segments ?? []);
  const others = segments.filter((s) => !sigSegs.has(s));
  const drug = findDrug(others, lexicon);
  const rest = others.filter((s) => s !== drug.segment && s !== drug.doseSegment);
  const qty = findQuantity(rest);
  const refills = findRefills(rest);
  const rx = findRxNumber(rest);
  const prescriber = findPrescriber(rest);
  const norm = sig ? normaliseSig(sig.text) : null;
  const pharmacySeg = segments.slice(0, 3).find((s) => PHARMACY.test(s.text) && !/R[X×]\s*[#:]/i.test(s.text));
  const pharmacy = pharmacySeg?.text.replace(/\(?\d{3}\)?[\s.-]*\d{3}[\s.-]\d{4}.*$/, '').trim() || null;

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
  // Directions with no recognisable frequency are probably cut short or misread.
  // Lost words may have held the frequency ("TAKE 1 TABLET [glare] DAILY"): never certain then.
  const complete = sig && !sig.gapped ? 1 : 0.7;
  const sigConfidence = sig ? Math.min(sig.ocr >= 0.85 ? 0.97 : sig.ocr, norm?.schedule ? 1 : 0.7, complete) : 0;
  const sigWords = Math.min(sig?.minWord ?? 0, complete);
  const confidence: FieldConfidence = {
    name: drug.nameConfidence,
    dosage: drug.dosageConfidence,
    form: drug.form ? 0.8 : 0,
    sig: sigConfidence,
    schedule: norm?.schedule ? (norm.unambiguous ? sigWords : 0.4) : 0,
    as_needed: norm ? sigWords : 0,
    instructions: norm?.instructions ? sigConfidence : 0,
    // A count outside what a pharmacy dispenses is a misread, whatever the OCR says.
    quantity: qty && qty.value > 0 && qty.value <= 2000 ? hitConfidence(qty) : Math.min(hitConfidence(qty), 0.5),
    refills: hitConfidence(refills),
    prescriber: hitConfidence(prescriber),
    rx_number: hitConfidence(rx),
    pharmacy: pharmacy ? 0.7 : 0,
  };
  for (const k of Object.keys(confidence) as (keyof FieldConfidence)[]) confidence[k] = Math.round(confidence[k] * 1000) / 1000;
  return { medication, confidence, evidence: evidenceOf(drug, sig, qty) };
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
export function needsReview(parsed: ParsedLabel): boolean {
  return reviewRule(parsed.medication, parsed.confidence);
}
