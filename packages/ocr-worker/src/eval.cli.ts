#!/usr/bin/env node
// usage (from the repo root):
//   npm run -s eval                          dev corpus (when ../shared is there), training and validation
//   npm run -s eval -- --calibration         … and per confidence band, how many fields were right
//   npm run -s eval -- --split training --labels    one split, with every training label that went wrong
//   npm run -s eval -- --split stretch       the stretch conditions (steep, turned, curved, half resolution, motion)
//   npm run -s eval -- DIR                   any folder of NAME.jpg + NAME.json
// Validation is reported as aggregates only: its labels are never listed, and its predictions are
// not kept, so no rule can be fitted to one of them.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { engineFromEnv } from './config.js';
import { createExtractor } from './extraction/index.js';
import { extractFiles, type PredictionLine } from './extraction/prediction.format.js';
import { calibration, SCORED_CRITICAL, scorePredictions, type TruthFile } from './extraction/prediction.scorer.js';
import { labelFailures, nonLabelSummary } from './extraction/prediction.report.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = process.cwd();
const cache = join(root, '.cache');
const dirArg = args.find((a, i) => !a.startsWith('--') && !['--split'].includes(args[i - 1] ?? ''));
const wanted = opt('split');
const showLabels = args.includes('--labels');
const showCalibration = args.includes('--calibration');

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
const extractor = await createExtractor({ workers: 1, cacheDir: join(work, 'tesseract-cache'), engine });
try {
  for (const t of await targets()) {
    const truths: TruthFile[] = readdirSync(t.dir).filter((f) => f.endsWith('.json') && f !== 'split.json').sort().map((f) => JSON.parse(readFileSync(join(t.dir, f), 'utf8')) as TruthFile);
    const files = truths.map((m) => join(t.dir, m.file));
    const lines: PredictionLine[] = [];
    let done = 0;
    await extractFiles(extractor, files, (line) => {
      lines.push(line);
      if (++done % 10 === 0) process.stderr.write(`${t.name}: ${done}/${files.length}\r`);
    });
    const labels = truths.filter((m) => !m.truth.not_a_label);
    const others = truths.filter((m) => m.truth.not_a_label);
    const score = scorePredictions(labels, lines);
    const report: Record<string, unknown> = { split: t.name, ...score };
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
