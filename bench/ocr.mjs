// 3. OCR per label: our extractor (warm, one tesseract.js worker; `engines` compares it with native) over the corpus, per label and
// per stage; beside it the native Tesseract CLI at its best single-stream setting, one label at
// a time, both read by the same parser and scored by the project's scorer (prediction.scorer.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createExtractor, needsReview, parseLabel, predictionOf } from '@rxscan/ocr-worker';
import { findTesseract, nativeModelDir, runNative } from './lib/native.mjs';
import { scorePredictions } from './lib/score.mjs';
import { median, percentile, ratio, round } from './lib/stats.mjs';

// The stages the extractor reports in timings_ms; any other it adds (its stages change as it
// improves) is listed too, before the total. `passes` is a count, not a time.
const KNOWN = ['preprocess', 'recognize', 'parse'];
const stagesOf = (timings) => {
  const extra = Object.keys(timings).filter((k) => !KNOWN.includes(k) && k !== 'total' && k !== 'passes');
  return [...KNOWN, ...extra.sort(), 'total'];
};

/** Native Tesseract's reading through our parser, as a prediction line. */
const nativeLine = (file, parsed, ms) => ({ file, ...parsed.medication, ...parsed.record, confidence: parsed.confidence, needs_review: needsReview(parsed), ms: Math.round(ms) });

export async function measureOcr({ scope, corpus, tmp, say }) {
  const labels = corpus.labels;
  const tesseract = findTesseract();
  // The bare CLI reads with the model tesseract.js reads with, so the two differ in engine only.
  const modelDir = tesseract ? nativeModelDir(path.join(tmp, 'native-cache')) : null;
  const extractor = await createExtractor({ workers: 1, cacheDir: path.join(tmp, 'tesseract-cache') });
  scope.defer(() => extractor.close());

  // Warm: the first label once through each engine, not counted (JIT, page cache, model load).
  const first = await readFile(labels[0].path);
  await extractor.extract(first);
  if (tesseract) await runNative(tesseract, labels[0].path, modelDir);

  const ours = { ms: [], stages: {}, second: 0, lines: [] };
  const native = { ms: [], lines: [] };
  for (const [i, label] of labels.entries()) {
    say(`ocr: ${i + 1}/${labels.length} ${label.file}`);
    const image = await readFile(label.path);
    const t0 = performance.now();
    const x = await extractor.extract(image);
    const ms = performance.now() - t0;
    ours.ms.push(ms);
    for (const s of stagesOf(x.timings_ms)) (ours.stages[s] ??= []).push(x.timings_ms[s] ?? 0);
    if ((x.timings_ms.passes ?? 1) > 1) ours.second++;
    ours.lines.push(predictionOf(label.file, x, Math.round(ms)));
    // Interleaved with ours, so load from the rest of the machine falls on both alike.
    if (tesseract) {
      const n = await runNative(tesseract, label.path, modelDir);
      native.ms.push(n.ms);
      native.lines.push(nativeLine(label.file, parseLabel(n.reading), n.ms));
    }
  }

  const oursScore = scorePredictions(ours.lines, labels);
  const nativeScore = tesseract ? scorePredictions(native.lines, labels) : null;

  const values = {
    ocr_median_ms: round(median(ours.ms)),
    ocr_p90_ms: round(percentile(ours.ms, 90)),
    native_median_ms: tesseract ? round(median(native.ms)) : null,
    native_p90_ms: tesseract ? round(percentile(native.ms, 90)) : null,
    ocr_vs_native: tesseract ? ratio(median(ours.ms), median(native.ms)) : null,
    ocr_critical: oursScore?.critical_all_correct ?? null,
    native_critical: nativeScore?.critical_all_correct ?? null,
    ocr_silent_error_rate: oursScore?.silent_error_rate ?? null,
    native_silent_error_rate: nativeScore?.silent_error_rate ?? null,
    ocr_critical_by_level: oursScore?.critical_by_level ?? null,
    native_critical_by_level: nativeScore?.critical_by_level ?? null,
    ocr_second_pass_share: round(ours.second / labels.length, 3),
    ocr_labels: labels.length,
  };
  const stages = Object.keys(ours.stages);
  for (const s of stages) {
    values[`ocr_${s}_median_ms`] = round(median(ours.stages[s]));
    values[`ocr_${s}_p90_ms`] = round(percentile(ours.stages[s], 90));
  }
  const rows = [
    [`ocr per label (${labels.length})`, `median ${values.ocr_median_ms} ms, p90 ${values.ocr_p90_ms} ms`, `critical ${values.ocr_critical ?? 'n/a'}, silent ${values.ocr_silent_error_rate ?? 'n/a'}, 2nd pass ${Math.round(values.ocr_second_pass_share * 100)}%`],
    ...stages.filter((s) => s !== 'total').map((s) => [`  ${s}`, `median ${values[`ocr_${s}_median_ms`]} ms, p90 ${values[`ocr_${s}_p90_ms`]} ms`, '']),
    tesseract
      ? [`native tesseract --psm 6`, `median ${values.native_median_ms} ms, p90 ${values.native_p90_ms} ms`, `critical ${values.native_critical ?? 'n/a'}; ours/native ${values.ocr_vs_native}`]
      : ['native tesseract', 'not measured', 'no tesseract on PATH (apt-get install tesseract-ocr)'],
  ];
  return { values, rows };
}
