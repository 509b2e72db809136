// 7. Memory: resident set of a process that does nothing but extract labels (one warm
// tesseract.js worker, as an OCR worker runs), after 10, 100 and 300 labels. A child process of
// its own, so the figure is the worker's alone and not the bench's.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cycle } from './lib/corpus.mjs';
import { runChild } from './lib/scope.mjs';

const CHILD = fileURLToPath(new URL('./lib/rss-child.mjs', import.meta.url));

export async function measureMemory({ plan, corpus, tmp, say }) {
  const max = Math.max(...plan.memoryCheckpoints);
  say(`memory: ${max} labels in a child process`);
  const input = JSON.stringify({
    files: cycle(corpus.labels, max).map((l) => l.path),
    checkpoints: plan.memoryCheckpoints,
    cacheDir: path.join(tmp, 'tesseract-cache'),
  });
  const { code, stdout, stderr } = await runChild(process.execPath, [CHILD], { input });
  if (code !== 0) throw new Error(`memory child exited with ${code}: ${stderr.slice(-500)}`);
  const points = stdout.trim().split('\n').map((l) => JSON.parse(l));
  const values = { worker_rss_mb_10: null, worker_rss_mb_300: null };
  for (const p of points) values[`worker_rss_mb_${p.labels}`] = p.rss_mb;
  return {
    values,
    rows: [['worker RSS', points.map((p) => `${p.labels}: ${p.rss_mb} MB`).join(', '), 'labels extracted: resident MB (0 = started, warm)']],
  };
}
