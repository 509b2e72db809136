import type { OcrEngine } from './tesseract.engine.js';
import type { DrugField, Medication } from '@rxscan/contracts';
import type { LabelRecord, RecordConfidence } from './label.parser.js';

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A word as Tesseract read it; confidence in 0..100 as Tesseract reports it. */
export interface OcrWord {
  text: string;
  confidence: number;
  bbox: Box;
}

export interface OcrLine {
  text: string;
  confidence: number;
  bbox: Box;
  words: OcrWord[];
}

/** One recognition pass over an image, with its layout. */
export interface OcrReading {
  text: string;
  /** Mean word confidence, 0..100. */
  confidence: number;
  lines: OcrLine[];
}

export type FieldConfidence = Record<DrugField, number>;

/** What extraction makes of one label image. */
export interface Extraction {
  ocr_text: string;
  medication: Medication;
  /** Per medication field, 0..1: the probability the value is right (see evidence.ts). */
  confidence: FieldConfidence;
  /** What the label says beyond the medication event: patient, fill and discard dates, pharmacy phone, quantity unit. */
  record: LabelRecord;
  /** Per record field, 0..1, made the same way as `confidence`. */
  record_confidence: RecordConfidence;
  /** True when any critical field (name, dosage, schedule, quantity) is not certain. */
  needs_review: boolean;
  /** Per stage: preprocess, recognize, parse, total. */
  timings_ms: Record<string, number>;
  /** Per field, where on the upright photo it was read, as fractions of its width and height (see field.boxes.ts). */
  boxes?: Partial<Record<keyof Medication, { x: number; y: number; w: number; h: number }>>;
}

export interface Extractor {
  extract(image: Buffer): Promise<Extraction>;
  /** Terminates the tesseract.js workers. */
  close(): Promise<void>;
}

export interface ExtractorOptions {
  /** tesseract.js workers kept warm (jobs recognised at once). */
  workers?: number;
  /** A writable folder for tesseract.js's language cache (and the native engine's unpacked model). */
  cacheDir: string;
  /**
   * Which recognition engine: tesseract.js (`wasm`, the default here) or the native Tesseract
   * command (`native`, with its binary). The worker picks it from OCR_ENGINE in its config.
   */
  engine?: EngineChoice;
  /** Wraps the started engine (the eval's reading cache for parser work); none in the worker. */
  wrapEngine?: (engine: OcrEngine) => OcrEngine;
  /**
   * Make the first pass's re-read page while Tesseract reads, for a label read alone on a machine
   * of several cores (default): sooner done, for the CPU of the pages of labels that turn out to
   * need no re-read. false: only when wanted.
   */
  early?: boolean;
}

export type EngineChoice =
  | { kind: 'wasm' }
  /** `via`: in this process through libtesseract (the default when it loads), or a `tesseract` command per call. */
  | { kind: 'native'; binary: string; via?: 'library' | 'process' };
