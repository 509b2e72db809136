#!/usr/bin/env node
// usage: node packages/ocr-worker/dist/eval.cli.js [DIR]   (run from the repo root)
// Extracts DIR/*.jpg (default ../shared/corpus/labels-dev), writes the predictions to a temp JSONL
// file and prints the output of ../shared/eval/score.py for it.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createExtractor } from './extraction/index.js';
import { extractFiles } from './extraction/prediction.format.js';

const dir = resolve(process.cwd(), process.argv[2] ?? '../shared/corpus/labels-dev');
const scorer = resolve(process.cwd(), '../shared/eval/score.py');
const files = readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => join(dir, f));
const work = mkdtempSync(join(tmpdir(), 'rxscan-eval-'));
const out = join(work, 'predictions.jsonl');
const extractor = await createExtractor({ workers: 1, cacheDir: join(work, 'tesseract-cache') });
try {
  await extractFiles(extractor, files, (line) => {
    appendFileSync(out, JSON.stringify(line) + '\n');
    process.stderr.write('.');
  });
} finally {
  await extractor.close();
}
process.stderr.write(`\n${files.length} labels, predictions in ${out}\n`);
process.stdout.write(execFileSync('python3', [scorer, dir, out], { encoding: 'utf8' }));
rmSync(join(work, 'tesseract-cache'), { recursive: true, force: true });
