import { spawnSync } from 'node:child_process';
import { runChild } from './scope.mjs';

/** The native Tesseract CLI on PATH, or null. */
export function findTesseract() {
  const r = spawnSync('sh', ['-c', 'command -v tesseract'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/**
 * One label through the CLI at its best single-stream setting: page mode 6 (one uniform
 * block, as our engine reads), one OpenMP thread so it uses one core as ours does. `tsv` output is the same recognition as plain text, with each word's box
 * and confidence, which our parser needs to split columns and drop junk.
 */
export async function runNative(bin, file) {
  const t0 = performance.now();
  const { code, stdout, stderr } = await runChild(bin, [file, '-', '--psm', '6', 'tsv'], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`tesseract exited with ${code} on ${file}: ${stderr.slice(-300)}`);
  return { ms, reading: readingFromTsv(stdout) };
}

/** Tesseract's TSV (one row per page, block, paragraph, line and word) into the OcrReading the parser takes. */
export function readingFromTsv(tsv) {
  const lines = new Map();
  for (const row of tsv.split('\n').slice(1)) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] !== '5') continue; // level 5: a word
    const text = c.slice(11).join('\t').trim();
    if (!text) continue;
    const [left, top, width, height, conf] = c.slice(6, 11).map(Number);
    const key = `${c[2]}.${c[3]}.${c[4]}`; // block.paragraph.line
    const words = lines.get(key) ?? [];
    words.push({ text, confidence: conf, bbox: { x0: left, y0: top, x1: left + width, y1: top + height } });
    lines.set(key, words);
  }
  const ocrLines = [...lines.values()].map((words) => ({
    text: words.map((w) => w.text).join(' '),
    confidence: words.reduce((s, w) => s + w.confidence, 0) / words.length,
    bbox: {
      x0: Math.min(...words.map((w) => w.bbox.x0)),
      y0: Math.min(...words.map((w) => w.bbox.y0)),
      x1: Math.max(...words.map((w) => w.bbox.x1)),
      y1: Math.max(...words.map((w) => w.bbox.y1)),
    },
    words,
  }));
  const all = ocrLines.flatMap((l) => l.words);
  return {
    text: ocrLines.map((l) => l.text).join('\n'),
    confidence: all.length ? all.reduce((s, w) => s + w.confidence, 0) / all.length : 0,
    lines: ocrLines,
  };
}
