// Dev tool: times extraction variants against the native Tesseract CLI in one run, label by label
// interleaved so the machine's noise falls on all alike, and scores each with the shared scorer.
// Reports per variant: median and p90 ms per label, per-stage medians, how often the second pass and
// the re-read run and what each recognition call costs, and the scorer's figures.
// usage (after `npx tsc -b packages/ocr-worker`, from the repo root):
//   node packages/ocr-worker/scripts/bench-plans.mjs [--corpus DIR] [--variants a,b] [--no-native] [--limit N]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledDrugLexicon } from '../dist/extraction/drug.lexicon.js';
import { DEFAULT_PLAN, extractWith } from '../dist/extraction/label.extractor.js';
import { createTesseractEngine } from '../dist/extraction/tesseract.engine.js';
import { VARIANTS } from './bench-variants.mjs';

const shared = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const corpus = resolve(opt('corpus', `${shared}corpus/labels-dev`));
const names = opt('variants', 'current').split(',');
const native = !args.includes('--no-native');
const limit = Number(opt('limit', 1e9));
const files = readdirSync(corpus).filter((f) => /\.jpe?g$/i.test(f)).sort().slice(0, limit);
const work = mkdtempSync(join(tmpdir(), 'bench-plans-'));
const lexicon = bundledDrugLexicon();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.9 * xs.length) - 1)];

/** Wraps an engine to count and time its calls: deskewed page reads vs re-reads (undeskewed) of stacked lines. */
function counted(engine, stats) {
  return {
    async recognize(img, params = {}) {
      const t0 = performance.now();
      const r = await engine.recognize(img, params);
      const kind = params.deskew ? 'page' : 'reread';
      (stats[kind] ??= []).push(performance.now() - t0);
      return r;
    },
    terminate: () => engine.terminate(),
  };
}

const runs = [];
for (const name of names) {
  const v = VARIANTS[name];
  if (!v) throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(', ')}`);
  const calls = {};
  const engine = counted(await createTesseractEngine(1, join(work, `cache-${name}`), v.engine ?? {}), calls);
  runs.push({ name, v, engine, calls, ms: [], stages: {}, passes2: 0, lines: [] });
}

function runNative(file) {
  const t0 = performance.now();
  const r = spawnSync('tesseract', [file, '-', '--psm', '6', 'tsv'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`tesseract failed on ${file}: ${r.stderr}`);
  return ms;
}

// Warm-up: one label through each engine, not counted.
const warm = readFileSync(join(corpus, files[0]));
for (const r of runs) await extractWith(r.engine, lexicon, warm, r.v.plan ?? DEFAULT_PLAN);
for (const r of runs) for (const k of Object.keys(r.calls)) r.calls[k] = [];
if (native) runNative(join(corpus, files[0]));

const nativeMs = [];
for (const [i, f] of files.entries()) {
  const image = readFileSync(join(corpus, f));
  // Rotate the order per label so no variant always runs right after another.
  const order = runs.map((_, j) => runs[(i + j) % runs.length]);
  for (const r of order) {
    const t0 = performance.now();
    const x = await extractWith(r.engine, lexicon, image, r.v.plan ?? DEFAULT_PLAN);
    const ms = performance.now() - t0;
    r.ms.push(ms);
    for (const [k, t] of Object.entries(x.timings_ms)) (r.stages[k] ??= []).push(t);
    if (x.timings_ms.passes > 1) r.passes2++;
    r.lines.push(JSON.stringify({ file: f, ...x.medication, confidence: x.confidence, needs_review: x.needs_review, ms: Math.round(ms) }));
  }
  if (native) nativeMs.push(runNative(join(corpus, f)));
  process.stderr.write('.');
}
process.stderr.write('\n');

const nat = native ? median(nativeMs) : NaN;
const rows = [];
for (const r of runs) {
  const out = join(work, `${r.name}.jsonl`);
  writeFileSync(out, r.lines.join('\n') + '\n');
  const s = JSON.parse(execFileSync('python3', [`${shared}eval/score.py`, corpus, out, '--json'], { encoding: 'utf8' }));
  const st = Object.fromEntries(Object.entries(r.stages).map(([k, xs]) => [k, Math.round(median(xs))]));
  const sum = (xs = []) => Math.round(xs.reduce((a, b) => a + b, 0));
  rows.push({
    variant: r.name,
    median_ms: Math.round(median(r.ms)),
    p90_ms: Math.round(p90(r.ms)),
    vs_native: native ? +(median(r.ms) / nat).toFixed(2) : null,
    critical: s.critical_all_correct,
    by_level: Object.values(s.critical_by_level).join(' '),
    all: s.all_fields_correct,
    silent: s.silent_error_rate,
    confident_wrong: s.confident_wrong_fields,
    second_pass: `${r.passes2}/${files.length}`,
    page_reads: `${(r.calls.page ?? []).length} x ${Math.round(median(r.calls.page ?? []))} ms`,
    rereads: `${(r.calls.reread ?? []).length} x ${Math.round(median(r.calls.reread ?? []))} ms`,
    stage_medians: st,
    stage_totals_s: Object.fromEntries(Object.entries(r.stages).filter(([k]) => k !== 'passes').map(([k, xs]) => [k, +(sum(xs) / 1000).toFixed(1)])),
  });
  await r.engine.terminate();
}
if (native) rows.push({ variant: 'native tesseract --psm 6 (OMP_THREAD_LIMIT=1)', median_ms: Math.round(nat), p90_ms: Math.round(p90(nativeMs)) });
for (const row of rows) console.log(JSON.stringify(row));
console.error(`predictions in ${work}`);
