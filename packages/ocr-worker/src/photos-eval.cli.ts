#!/usr/bin/env node
// usage (from the repo root): npm run -s eval:photos [-- --labels 20 --views curved,curved,steep --seed 1717]
//   --save FILE   keep every photo's reading; --from FILE   score again from them (no synthesis, no OCR)
// Several photos of the same label against one: synthesises LABELS labels (training half of the
// pools), each photographed once per view with a capture of its own (label-synth `views`), reads
// every photo, and scores three ways: each view alone, the best single photo per label (an
// oracle: the photo that got most fields right, which no reader can pick), and the photos merged
// field by field as the worker merges them (photo-merge.rule.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyMedication } from '@rxscan/contracts';
import { synthesise, type Condition } from '@rxscan/label-synth';
import { createExtractor } from './extraction/index.js';
import { predictionOf, type PredictionLine } from './extraction/prediction.format.js';
import { checkField, SCORED_CRITICAL, SCORED_FIELDS, scorePredictions, type TruthFile } from './extraction/prediction.scorer.js';
import { mergePhotoReadings, type PhotoReading } from './photo-merge.rule.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const count = Number(opt('labels', '20'));
const views = opt('views', 'curved,curved,steep').split(',') as Condition[];
const seed = Number(opt('seed', '1717'));

type Meta = TruthFile & { scan: string; level: string };
const from = args.includes('--from') ? opt('from', '') : null;
const work = mkdtempSync(join(tmpdir(), 'rxscan-photos-eval-'));
const extractor = from ? null : await createExtractor({ workers: 1, cacheDir: join(work, 'tesseract-cache') });
try {
  let metas: Meta[];
  const lines = new Map<string, PredictionLine>();
  if (from) {
    const saved = JSON.parse(readFileSync(from, 'utf8')) as { metas: Meta[]; lines: PredictionLine[] };
    metas = saved.metas;
    for (const l of saved.lines) lines.set(l.file, l);
  } else {
    const out = join(work, 'labels');
    process.stderr.write(`synthesising ${count} labels × ${views.length} views (${views.join(', ')}), seed ${seed}\n`);
    metas = (await synthesise({ out, seed, count, split: 'training', prefix: 'photos', views })) as Meta[];
    for (const [i, m] of metas.entries()) {
      const t0 = performance.now();
      const x = await extractor!.extract(readFileSync(join(out, m.file)));
      lines.set(m.file, predictionOf(m.file, x, Math.round(performance.now() - t0)));
      lines.get(m.file)!.boxes = x.boxes;
      process.stderr.write(`${i + 1}/${metas.length}\r`);
    }
    if (args.includes('--save')) writeFileSync(opt('save', ''), JSON.stringify({ metas, lines: [...lines.values()] }));
  }
  const scans = [...new Set(metas.map((m) => m.scan))];
  const labelsOnly = (ms: TruthFile[]) => ms.filter((m) => !m.truth.not_a_label);
  const report = (name: string, truths: TruthFile[], preds: PredictionLine[]) => {
    const s = scorePredictions(labelsOnly(truths), preds);
    const review = preds.filter((p) => p.needs_review !== false).length;
    process.stdout.write(
      `${name.padEnd(26)} critical all right ${s.critical_all_correct.toFixed(3)}  all fields ${s.all_fields_correct.toFixed(3)}  silent errors ${s.silent_error_rate}  confident wrong ${s.confident_wrong_fields}  to review ${review}/${preds.length}\n` +
        `${''.padEnd(26)} ${SCORED_FIELDS.map((f) => `${f} ${s.field_accuracy[f].toFixed(2)}`).join('  ')}\n`,
    );
    return s;
  };

  // Each view alone.
  const byView = views.map((_, k) => metas.filter((m) => m.file.includes(`-v${k + 1}-`)));
  byView.forEach((ms, k) => report(`photo ${k + 1} alone (${views[k]})`, ms, ms.map((m) => lines.get(m.file)!)));

  // The best single photo of each label: most scored fields right, critical fields first.
  const right = (m: TruthFile, fields: readonly string[]) => fields.filter((f) => checkField(f as never, lines.get(m.file)![f], m.truth)).length;
  const best = scans.map((scan) => {
    const own = metas.filter((m) => m.scan === scan);
    return own.reduce((a, b) => (right(b, SCORED_CRITICAL) * 100 + right(b, SCORED_FIELDS) > right(a, SCORED_CRITICAL) * 100 + right(a, SCORED_FIELDS) ? b : a));
  });
  const asScan = (m: TruthFile & { scan: string }): TruthFile => ({ ...m, file: `${m.scan}.jpg` });
  report('best single photo (oracle)', best.map(asScan), best.map((m) => ({ ...lines.get(m.file)!, file: `${m.scan}.jpg` })));

  // The photos merged as the worker merges them.
  const merged = scans.map((scan) => {
    const own = metas.filter((m) => m.scan === scan);
    const photos: PhotoReading[] = own.map((m) => {
      const p = lines.get(m.file)!;
      const medication = Object.fromEntries(Object.keys(emptyMedication()).map((f) => [f, p[f] ?? null])) as PhotoReading['medication'];
      return { medication, confidence: p.confidence as Record<string, number>, ocr_text: String(p.ocr_text ?? ''), boxes: (p.boxes ?? {}) as PhotoReading['boxes'] };
    });
    const r = mergePhotoReadings(photos);
    return { file: `${scan}.jpg`, ...r.medication, confidence: r.confidence, needs_review: r.needs_review, alternatives: r.alternatives, boxed: Object.keys(r.boxes).length } as PredictionLine;
  });
  const firstOfScan = scans.map((scan) => asScan(metas.find((m) => m.scan === scan)!));
  report(`merged (${views.length} photos)`, firstOfScan, merged);
  const withAlternatives = merged.filter((p) => p.alternatives && SCORED_CRITICAL.some((f) => (p.alternatives as Record<string, unknown>)[f])).length;
  const boxed = merged.reduce((n, p) => n + Number(p.boxed), 0) / merged.length;
  process.stdout.write(`merged: ${withAlternatives}/${merged.length} labels with photos disagreeing on a critical field (left for review); ${boxed.toFixed(1)} fields boxed per label\n`);
} finally {
  await extractor?.close();
  rmSync(work, { recursive: true, force: true });
}
