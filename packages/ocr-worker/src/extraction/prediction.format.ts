import { readFile } from 'node:fs/promises';
import type { Extraction, Extractor } from './types.js';

/** One line of the corpus prediction format (shared/corpus/README.md): fields flattened at top level. */
export type PredictionLine = Record<string, unknown> & { file: string };

export function predictionOf(file: string, x: Extraction, ms: number): PredictionLine {
  return {
    file,
    ...x.medication,
    ...x.record,
    confidence: { ...x.confidence, ...x.record_confidence },
    needs_review: x.needs_review,
    ocr_text: x.ocr_text,
    ms,
    timings_ms: x.timings_ms,
  };
}

/** Extracts each file in turn, calling `emit` per file; a failing file yields an `error` line, not a stop. */
export async function extractFiles(extractor: Extractor, files: string[], emit: (line: PredictionLine) => void): Promise<void> {
  for (const file of files) {
    const t0 = performance.now();
    try {
      const x = await extractor.extract(await readFile(file));
      emit(predictionOf(file, x, Math.round(performance.now() - t0)));
    } catch (err) {
      const e = err as Error & { code?: string };
      emit({ file, error: { code: e.code ?? 'extraction_failed', message: e.message }, ms: Math.round(performance.now() - t0) });
    }
  }
}
