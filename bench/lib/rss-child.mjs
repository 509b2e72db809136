// Extracts labels in a process of its own and prints its resident set size (one JSON line per
// checkpoint): 0 right after the warm extractor started, then after each checkpoint's label count.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createExtractor } from '@rxscan/ocr-worker';

const { files, checkpoints, cacheDir } = JSON.parse(readFileSync(0, 'utf8'));
const mb = () => Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
const report = (labels) => process.stdout.write(JSON.stringify({ labels, rss_mb: mb() }) + '\n');

mkdirSync(cacheDir, { recursive: true });
const extractor = await createExtractor({ workers: 1, cacheDir });
try {
  report(0);
  for (let i = 0; i < files.length; i++) {
    await extractor.extract(readFileSync(files[i]));
    if (checkpoints.includes(i + 1)) report(i + 1);
  }
} finally {
  await extractor.close();
  rmSync(cacheDir, { recursive: true, force: true });
}
