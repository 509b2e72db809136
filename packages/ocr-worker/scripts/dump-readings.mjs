// Dev tool: caches OCR readings of a corpus so parser changes can be measured without re-running
// Tesseract. usage: node scripts/dump-readings.mjs OUT_DIR [variant-json] IMG...
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { preprocessImage, DEFAULT_PREPROCESS } from '../dist/extraction/image.preprocess.js';
import { createTesseractEngine } from '../dist/extraction/tesseract.engine.js';

const [out, variant, ...files] = process.argv.slice(2);
const params = { ...DEFAULT_PREPROCESS, ...JSON.parse(variant || '{}') };
mkdirSync(out, { recursive: true });
const engine = await createTesseractEngine(1, mkdtempSync(join(tmpdir(), 'tess-')));
const ms = [];
for (const f of files) {
  const t0 = performance.now();
  const img = await preprocessImage(readFileSync(f), params);
  const t1 = performance.now();
  const { reading } = await engine.recognize(img.pgm, { deskew: !!params.deskew });
  const t2 = performance.now();
  ms.push(t2 - t0);
  writeFileSync(join(out, basename(f).replace(/\.\w+$/, '.json')), JSON.stringify({ ...reading, ms: { pre: t1 - t0, ocr: t2 - t1 } }));
  process.stderr.write(`${basename(f)} ${Math.round(t1 - t0)}+${Math.round(t2 - t1)}ms conf=${reading.confidence.toFixed(1)}\n`);
}
ms.sort((a, b) => a - b);
console.error('median ms', Math.round(ms[Math.floor(ms.length / 2)]));
await engine.terminate();
