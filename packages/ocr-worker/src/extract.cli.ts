#!/usr/bin/env node
// usage: node packages/ocr-worker/dist/extract.cli.js FILE...
// Prints one JSON line per file in the corpus prediction format; errors become {"file","error"} lines.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineFromEnv } from './config.js';
import { createExtractor } from './extraction/index.js';
import { extractFiles } from './extraction/prediction.format.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: extract.cli.js FILE...\n');
  process.exit(2);
}
// Never write the language cache into the cwd: $DATA_DIR/tesseract-cache if set, else a temp dir we remove.
const dataDir = process.env.DATA_DIR;
const cacheDir = dataDir ? join(dataDir, 'tesseract-cache') : mkdtempSync(join(tmpdir(), 'rxscan-tess-'));
mkdirSync(cacheDir, { recursive: true });
const extractor = await createExtractor({ workers: 1, cacheDir, engine: engineFromEnv(process.env) });
try {
  await extractFiles(extractor, files, (line) => process.stdout.write(JSON.stringify(line) + '\n'));
} finally {
  await extractor.close();
  if (!dataDir) rmSync(cacheDir, { recursive: true, force: true });
}
