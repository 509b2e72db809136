import { CRITICAL_FIELDS, needsReview, REVIEW_THRESHOLD, SCHEDULES, type FieldAlternatives, type Medication, type Schedule } from '@rxscan/contracts';
import { findDosages } from './extraction/dosage.parser.js';
import type { DrugLexicon } from './extraction/drug.lexicon.js';
import { confirmed, DISAGREEMENT_CAP } from './extraction/evidence.js';
import { sameDrugName } from './extraction/line.verify.js';
import { cleanPrescriberName } from './extraction/prescriber.parser.js';
import { normaliseSig } from './extraction/sig.normaliser.js';
import type { ReaderAnswer, ReaderField } from './second-reader.schema.js';

/**
 * How much an agreeing second reader is worth, as a likelihood ratio (evidence.ts). A vision
 * model looks at the pixels itself: an independent look, worth what the re-read of a line is.
 * A text model reads Tesseract's own text, so it makes the same misread digit: it can catch a
 * parser's mistake, never an OCR one, and so never lifts a field over the review threshold.
 */
export const READER_LR = { vision: 8, text: 2 } as const;

/** A value only the second reader gave: shown for a person to check, never certain. */
export const READER_ALONE_CAP = 0.5;

/** Where text agreement leaves a field that was not certain: closer, still for a person to check. */
const BELOW_THRESHOLD = Math.round((REVIEW_THRESHOLD - 0.01) * 1000) / 1000;

/** The source named in the review when OCR saw nothing where the second reader saw a value. */
export const OCR_SOURCE = 'label OCR';

/** The fields the second reader is asked for and compared on (sig travels only to help find the schedule). */
export const COMPARED_FIELDS = ['name', 'dosage', 'schedule', 'quantity', 'refills', 'prescriber', 'rx_number'] as const satisfies readonly (ReaderField & keyof Medication)[];
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface Reading {
  medication: Medication;
  /** 0..1 per field, as the extractor made it. */
  confidence: Record<string, number>;
}

export interface CompareOptions {
  /** How the reader looked at the label: only `vision` is a look independent of OCR. */
  mode: 'text' | 'vision';
  /** Who to name in the review: "second reader (qwen2.5vl)". */
  source: string;
  /** To take a brand name and its ingredient for the same drug; none compares words only. */
  lexicon?: DrugLexicon;
}

export interface Compared extends Reading {
  needs_review: boolean;
  /** The other value per field, with who read it; empty when every field agreed. */
  alternatives: FieldAlternatives;
  outcome: 'agreed' | 'disagreed';
  agreed: ComparedField[];
  disagreed: ComparedField[];
  /** Fields OCR did not see and the reader did: filled, for review. */
  filled: ComparedField[];
}

type Value = string | number | null;

/** Dose forms a model may add to a name; the parser keeps the form apart. */
const FORM_WORDS = /\b(?:ORAL|TABLETS?|TABS?|CAPSULES?|CAPS?|SOLUTION|SUSPENSION|SYRUP|CREAM|OINTMENT|GEL|LOTION|INHALER|NASAL|SPRAY|OPHTHALMIC|EYE|DROPS|TOPICAL|INJECTION|PATCH(?:ES)?)\b/gi;

/** The reader's value in the parser's form, or null when it gave none the parser would recognise. */
export function normaliseAnswer(answer: ReaderAnswer): Record<ComparedField, Value> {
  const tidy = (s: string | null) => (s === null ? null : s.replace(/\s+/g, ' ').trim() || null);
  const dose = answer.dosage ? findDosages(answer.dosage)[0]?.text ?? null : null;
  // The drug name without a strength or dose form printed into it ("Lisinopril 10 mg tablet").
  const name = tidy(answer.name ? findDosages(answer.name).reduceRight((s, d) => s.slice(0, d.start) + s.slice(d.end), answer.name).replace(FORM_WORDS, ' ') : null);
  return {
    name,
    dosage: dose,
    schedule: scheduleOf(answer.schedule, answer.sig),
    quantity: answer.quantity,
    refills: answer.refills,
    prescriber: answer.prescriber ? cleanPrescriberName(answer.prescriber) : null,
    rx_number: tidy(answer.rx_number?.replace(/^\s*RX\s*(?:#|NO\.?|NUMBER)?\s*:?\s*/i, '') ?? null),
  };
}

/** One of the schedule words, read the way the parser reads directions; null when ambiguous. */
function scheduleOf(schedule: string | null, sig: string | null): Schedule | null {
  const exact = SCHEDULES.find((s) => s.toLowerCase() === schedule?.trim().toLowerCase());
  if (exact) return exact;
  for (const text of [schedule, sig]) {
    if (!text) continue;
    const n = normaliseSig(text);
    if (n.unambiguous) return n.schedule;
  }
  return null;
}

const words = (s: string) => s.toUpperCase().replace(/[^A-Z0-9 ]+/g, ' ').split(/\s+/).filter(Boolean);
const alnum = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** The most specific lexicon entries a name stands for ("Buspar" and "Buspirone HCl" alike). */
function drugsOf(name: string, lexicon: DrugLexicon): string[] {
  const entries = lexicon.entriesFor(words(name));
  const most = Math.max(0, ...entries.map((e) => e.baseWords.length));
  return [...new Set(entries.filter((e) => e.baseWords.length === most).map((e) => e.baseWords.join(' ')))].sort();
}

/** Whether two values of a field say the same, as the parser would have written them. */
export function sameReading(field: ComparedField, ocr: Value, reader: Value, lexicon?: DrugLexicon): boolean {
  if (ocr === null || reader === null) return false;
  switch (field) {
    case 'name': {
      if (sameDrugName(String(ocr), String(reader))) return true;
      if (!lexicon) return false;
      const [a, b] = [drugsOf(String(ocr), lexicon), drugsOf(String(reader), lexicon)];
      return a.length > 0 && a.join('|') === b.join('|');
    }
    case 'dosage': {
      const [a, b] = [findDosages(String(ocr))[0], findDosages(String(reader))[0]];
      if (!a || !b) return alnum(String(ocr)) === alnum(String(reader));
      return a.key !== null && b.key !== null ? a.key === b.key : alnum(a.text) === alnum(b.text);
    }
    case 'prescriber':
      return words(String(ocr)).filter((w) => w.length > 1).sort().join(' ') === words(String(reader)).filter((w) => w.length > 1).sort().join(' ');
    case 'rx_number':
      return alnum(String(ocr)) === alnum(String(reader));
    default:
      return ocr === reader;
  }
}

/**
 * The OCR reading checked against the second reader's answer, field by field:
 * - both read the same: the field's evidence grows by READER_LR (only a vision look can lift a field to certain);
 * - they differ: the reader's value goes to `alternatives` with its source, and the field is capped
 *   below the review threshold, so a disagreeing critical field always sends the reading to review;
 * - only the reader saw it: its value fills the field at READER_ALONE_CAP, shown beside "label OCR: —";
 * - the reader gave nothing: the field is as OCR read it.
 * The reader alone never makes a field certain: every value it brings is below the threshold.
 */
export function compareWithSecondReader(ocr: Reading, answer: ReaderAnswer, opts: CompareOptions): Compared {
  const theirs = normaliseAnswer(answer);
  const medication = { ...ocr.medication };
  const confidence = { ...ocr.confidence };
  const alternatives: FieldAlternatives = {};
  const agreed: ComparedField[] = [];
  const disagreed: ComparedField[] = [];
  const filled: ComparedField[] = [];
  for (const f of COMPARED_FIELDS) {
    const mine = ocr.medication[f] as Value;
    const other = theirs[f];
    const c = confidence[f] ?? 0;
    if (other === null) continue;
    if (mine === null || mine === '') {
      (medication as Record<string, unknown>)[f] = other;
      confidence[f] = READER_ALONE_CAP;
      alternatives[f] = [{ value: null, source: OCR_SOURCE }];
      filled.push(f);
    } else if (sameReading(f, mine, other, opts.lexicon)) {
      const raised = confirmed(c, READER_LR[opts.mode]);
      // Text agreement is no look at the pixels: it may add to a certain field, never make one certain.
      confidence[f] = opts.mode === 'vision' || c >= REVIEW_THRESHOLD ? raised : Math.min(raised, BELOW_THRESHOLD);
      agreed.push(f);
    } else {
      alternatives[f] = [{ value: other, source: opts.source }];
      confidence[f] = Math.min(c, DISAGREEMENT_CAP);
      disagreed.push(f);
    }
  }
  const criticalFilled = filled.some((f) => (CRITICAL_FIELDS as readonly string[]).includes(f));
  return {
    medication,
    confidence,
    needs_review: needsReview(medication, confidence),
    alternatives,
    outcome: disagreed.length > 0 || criticalFilled ? 'disagreed' : 'agreed',
    agreed,
    disagreed,
    filled,
  };
}
