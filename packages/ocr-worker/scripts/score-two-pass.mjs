// Dev tool: simulates a second recognition pass for labels the first pass leaves uncertain,
// from two folders of cached readings. usage: node scripts/score-two-pass.mjs FIRST_DIR SECOND_DIR
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../../../shared/', import.meta.url));
import { parseLabel, needsReview } from '../dist/extraction/label.parser.js';
import { mergeParsed } from '../dist/extraction/parse.merge.js';

const [first, second, truthDir = `${shared}corpus/labels-dev`] = process.argv.slice(2);
const lines = [];
let reruns = 0;
for (const f of readdirSync(first).filter((x) => x.endsWith('.json')).sort()) {
  const r1 = JSON.parse(readFileSync(join(first, f), 'utf8'));
  let parsed = parseLabel(r1);
  let ms = r1.ms.pre + r1.ms.ocr;
  if (needsReview(parsed)) {
    const r2 = JSON.parse(readFileSync(join(second, f), 'utf8'));
    parsed = mergeParsed(parsed, parseLabel(r2)).parsed;
    ms += r2.ms.pre + r2.ms.ocr;
    reruns++;
  }
  lines.push(JSON.stringify({ file: f.replace(/\.json$/, '.jpg'), ...parsed.medication, confidence: parsed.confidence, needs_review: needsReview(parsed), ms: Math.round(ms) }));
}
const out = `/tmp/two-pass.jsonl`;
writeFileSync(out, lines.join('\n') + '\n');
console.log(`second pass on ${reruns} labels`);
console.log(execFileSync('python3', [`${shared}eval/score.py`, truthDir, out], { encoding: 'utf8' }));
