#!/usr/bin/env node
// usage (from the repo root):
//   npm run -s eval                          dev corpus (when ../shared is there), training and validation
//   npm run -s eval -- --calibration         … and per confidence band, how many fields were right
//   npm run -s eval -- --split training --labels    one split, with every training label that went wrong
//   npm run -s eval -- --split stretch       the stretch conditions (steep, turned, curved, half resolution, motion)
//   npm run -s eval -- DIR                   any folder of NAME.jpg + NAME.json
//   --ocr-cache  keep Tesseract's readings of dev/training images in .cache/ocr (parser work); --only a,b  those labels
// Validation is reported as aggregates only: its labels are never listed, and its predictions are
// not kept, so no rule can be fitted to one of them.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { engineFromEnv } from './config.js';
import { createExtractor } from './extraction/index.js';
import { cachedEngine } from './extraction/ocr-cache.storage.js';
import { extractFiles, type PredictionLine } from './extraction/prediction.format.js';
import { calibration, SCORED_CRITICAL, scorePredictions, type TruthFile } from './extraction/prediction.scorer.js';
import { labelFailures, nonLabelSummary, reviewSummary } from './extraction/prediction.report.js';

const USAGE = `usage: npm run -s eval -- [DIR] [--split dev|training|validation|stretch] [--labels] [--calibration] [--ocr-cache] [--only a,b]
  no DIR and no --split: the dev corpus (when ../shared is there), training AND validation
  --labels       every label of dev/training/DIR with a wrong field, and what was read (never validation)
  --calibration  per confidence band, how many fields were right
  --ocr-cache    keep Tesseract's readings of dev/training images in .cache/ocr (parser work)
  --only a,b     only these labels (names without extension)`;
// Strict: a mistyped or unknown flag stops here with the usage, instead of running the default
// (which reads the validation split) with the flag ignored.
let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      split: { type: 'string' },
      only: { type: 'string' },
      labels: { type: 'boolean' },
      calibration: { type: 'boolean' },
      'ocr-cache': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (parsed.positionals.length > 1) {
  process.stderr.write(`one folder at most, got ${parsed.positionals.length}\n${USAGE}\n`);
  process.exit(2);
}
const root = process.cwd();
const cache = join(root, '.cache');
const dirArg = parsed.positionals[0];
/** Only these label names (comma-separated, without extension), to iterate on a few failures. */
const only = parsed.values.only?.split(',').filter(Boolean) ?? null;
const wanted = parsed.values.split;
const showLabels = parsed.values.labels === true;
const showCalibration = parsed.values.calibration === true;
// Development only: keep Tesseract's readings of training/dev images so a parser change re-scores in seconds.
const ocrCache = parsed.values['ocr-cache'] ? join(cache, 'ocr') : null;

interface Target {
  name: string;
  dir: string;
  /** Per-label output allowed (never for validation). */
  open: boolean;
}

async function targets(): Promise<Target[]> {
  if (dirArg) return [{ name: basename(dirArg), dir: resolve(root, dirArg), open: true }];
  const { ensureSplit } = await import('@rxscan/label-synth');
  const out: Target[] = [];
  const dev = resolve(root, '../shared/corpus/labels-dev');
  const names = wanted ? [wanted] : ['dev', 'training', 'validation'];
  for (const n of names) {
    if (n === 'dev') {
      if (existsSync(dev)) out.push({ name: 'dev', dir: dev, open: true });
      else process.stderr.write('dev corpus: ../shared/corpus/labels-dev is not here, skipped\n');
    } else if (n === 'training' || n === 'validation' || n === 'stretch') {
      const dir = await ensureSplit(n, join(cache, 'label-splits', n), (s) => process.stderr.write(s + '\n'));
      out.push({ name: n, dir, open: n === 'training' });
    } else throw new Error(`unknown split ${n}: dev, training, validation or stretch`);
  }
  return out;
}

const pct = (x: number) => x.toFixed(3);

const work = mkdtempSync(join(tmpdir(), 'rxscan-eval-'));
const engine = engineFromEnv(process.env);
process.stderr.write(`OCR engine: ${engine.kind === 'native' ? `native (${engine.binary})` : 'tesseract.js'} (OCR_ENGINE=${process.env.OCR_ENGINE ?? 'auto'})\n`);
let caching = false; // only ever on for dev/training/a folder, never for validation
const extractor = await createExtractor({
  workers: 1,
  cacheDir: join(work, 'tesseract-cache'),
  engine,
  ...(ocrCache ? { wrapEngine: (e) => cachedEngine(e, join(ocrCache, engine.kind), () => caching) } : {}),
});
try {
  for (const t of await targets()) {
    const truths: TruthFile[] = readdirSync(t.dir)
      .filter((f) => f.endsWith('.json') && f !== 'split.json' && (!only || !t.open || only.includes(f.replace(/\.json$/, ''))))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(t.dir, f), 'utf8')) as TruthFile);
    const files = truths.map((m) => join(t.dir, m.file));
    const lines: PredictionLine[] = [];
    let done = 0;
    caching = t.open;
    await extractFiles(extractor, files, (line) => {
      lines.push(line);
      if (++done % 10 === 0) process.stderr.write(`${t.name}: ${done}/${files.length}\r`);
    });
    const labels = truths.filter((m) => !m.truth.not_a_label);
    const others = truths.filter((m) => m.truth.not_a_label);
    const score = scorePredictions(labels, lines);
    const report: Record<string, unknown> = { split: t.name, ...score, review: reviewSummary(labels, lines) };
    if (others.length) report.not_a_label = nonLabelSummary(others, lines);
    process.stdout.write(`\n== ${t.name} (${t.dir})\n`);
    for (const [k, v] of Object.entries(report)) process.stdout.write(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}\n`);
    process.stdout.write(`SCORE ${t.name} critical=${pct(score.critical_all_correct)} silent=${score.silent_error_rate} confident_wrong=${score.confident_wrong_fields} median_ms=${score.median_ms}\n`);
    if (showCalibration) {
      for (const [title, fields] of [['critical fields', SCORED_CRITICAL], ['all scored fields', undefined]] as const) {
        process.stdout.write(`calibration, ${title}:\n`);
        for (const b of calibration(labels, lines, fields)) process.stdout.write(`  ${b.band}  ${String(b.right).padStart(4)}/${String(b.fields).padEnd(4)} right${b.fields ? `  (${pct(b.right / b.fields)})` : ''}\n`);
      }
    }
    if (t.open) {
      mkdirSync(join(cache, 'eval'), { recursive: true });
      writeFileSync(join(cache, 'eval', `${t.name}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      if (showLabels) for (const f of labelFailures(labels, lines)) process.stdout.write(`  ${f}\n`);
    }
  }
} finally {
  await extractor.close();
  rmSync(work, { recursive: true, force: true });
}
