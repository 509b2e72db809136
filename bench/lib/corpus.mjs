import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, SHARED } from './paths.mjs';

const CORPUS_DIR = process.env.BENCH_CORPUS ?? path.join(SHARED, 'corpus/labels-dev');
const FIXTURE_DIR = path.join(ROOT, 'tests/fixtures/labels');

/**
 * The labels to measure: the shared dev corpus when it is there, else the fixtures in the repo.
 * Each label has its photo and, when present, its truth file (for the scorer).
 */
export function loadCorpus(limit = Infinity) {
  const dir = existsSync(CORPUS_DIR) ? CORPUS_DIR : FIXTURE_DIR;
  const labels = readdirSync(dir)
    .filter((f) => /\.jpe?g$/i.test(f))
    .sort()
    .map((file) => {
      const truth = path.join(dir, file.replace(/\.jpe?g$/i, '.json'));
      const hasTruth = existsSync(truth);
      const level = hasTruth ? JSON.parse(readFileSync(truth, 'utf8')).level : (/-(clean|mild|camera|hard)\./.exec(file)?.[1] ?? 'unknown');
      return { file, path: path.join(dir, file), truth: hasTruth ? truth : null, level };
    });
  if (labels.length === 0) throw new Error(`no label photos in ${dir}`);
  return { dir, source: dir === FIXTURE_DIR ? 'fixtures' : 'corpus', labels: pickLabels(labels, limit) };
}

/**
 * A subset of `n` labels that keeps every capture condition in it (round-robin over levels), so a
 * quick run still sees camera and hard photos, not just the first clean scans.
 */
function pickLabels(labels, n) {
  if (n >= labels.length) return labels;
  const byLevel = new Map();
  for (const l of labels) byLevel.set(l.level, [...(byLevel.get(l.level) ?? []), l]);
  const queues = [...byLevel.values()];
  const out = [];
  for (let i = 0; out.length < n; i++) {
    const q = queues[i % queues.length];
    if (q.length) out.push(q.shift());
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** `n` labels, going round the list as often as needed. */
export const cycle = (labels, n) => Array.from({ length: n }, (_, i) => labels[i % labels.length]);
