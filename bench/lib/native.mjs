import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nativeTessdataDir, readingFromTsv } from '@rxscan/ocr-worker';
import { runChild } from './scope.mjs';

/** The native Tesseract CLI on PATH, or null. */
export function findTesseract() {
  const r = spawnSync('sh', ['-c', 'command -v tesseract'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** The folder holding the model both engines read (the bundled best_int eng, unpacked once into `cacheDir`). */
export const nativeModelDir = (cacheDir) => nativeTessdataDir(cacheDir);

/**
 * Model flags: with `modelDir`, the bundled best_int model tesseract.js and the native engine read
 * (LSTM only), so the bare CLI differs from them in pipeline only; without it, the system's model.
 */
const modelArgs = (modelDir) => (modelDir ? ['--tessdata-dir', modelDir, '-l', 'eng', '--oem', '1'] : []);

/**
 * One label through the CLI at its best single-stream setting: page mode 6 (one uniform
 * block, as our engine reads), one OpenMP thread so it uses one core as ours does. TSV output
 * (tessedit_create_tsv, which needs no config file beside the model) is the same recognition as
 * plain text, with each word's box and confidence, which our parser needs.
 */
export async function runNative(bin, file, modelDir = null) {
  const t0 = performance.now();
  const { code, stdout, stderr } = await runChild(bin, [file, '-', ...modelArgs(modelDir), '--psm', '6', '-c', 'tessedit_create_tsv=1'], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`tesseract exited with ${code} on ${file}: ${stderr.slice(-300)}`);
  return { ms, reading: readingFromTsv(stdout) };
}

/** One tesseract process over a blank 64×32 image: what a call costs before it reads anything (start-up, model load). */
export async function runNativeBlank(bin, modelDir, tmp) {
  const file = path.join(tmp, 'blank.pgm');
  await writeFile(file, Buffer.concat([Buffer.from('P5\n64 32\n255\n'), Buffer.alloc(64 * 32, 255)]));
  const t0 = performance.now();
  const { code, stderr } = await runChild(bin, [file, '-', ...modelArgs(modelDir), '--psm', '6', '--dpi', '300', '-c', 'tessedit_create_tsv=1'], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  if (code !== 0) throw new Error(`tesseract exited with ${code} on a blank image: ${stderr.slice(-300)}`);
  return performance.now() - t0;
}

export { readingFromTsv };
