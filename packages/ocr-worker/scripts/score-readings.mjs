// Dev tool: parses cached OCR readings (from dump-readings.mjs) and scores them, so parser
// changes are measured in a second. usage: node scripts/score-readings.mjs READINGS_DIR [TRUTH_DIR] [--show]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../../../shared/', import.meta.url));
import { parseLabel, needsReview } from '../dist/extraction/label.parser.js';

const [dir, truthDir = `${shared}corpus/labels-dev`] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const show = process.argv.includes('--show');
const lines = [];
for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
  const reading = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const parsed = parseLabel(reading);
  const file = f.replace(/\.json$/, '.jpg');
  const ms = reading.ms ? Math.round(reading.ms.pre + reading.ms.ocr) : undefined;
  const pred = { file, ...parsed.medication, confidence: parsed.confidence, needs_review: needsReview(parsed), ms };
  lines.push(JSON.stringify(pred));
  if (show) {
    const t = JSON.parse(readFileSync(join(truthDir, f), 'utf8')).truth;
    const c = parsed.confidence;
    const m = parsed.medication;
    console.log(`${file} review=${pred.needs_review}\n  name ${m.name} (${c.name}) [${t.name}]\n  dose ${m.dosage} (${c.dosage}) [${t.dosage}]\n  sched ${m.schedule} (${c.schedule}) [${t.schedule}] prn=${m.as_needed}\n  qty ${m.quantity} (${c.quantity}) [${t.quantity}] refills ${m.refills} [${t.refills}] rx ${m.rx_number} [${t.rx_number}]\n  presc ${m.prescriber} [${t.prescriber}]\n  sig ${m.sig} [${t.sig}]`);
  }
}
const outFile = dir.replace(/\/$/, '') + '.jsonl';
writeFileSync(outFile, lines.join('\n') + '\n');
console.log(execFileSync('python3', [`${shared}eval/score.py`, truthDir, outFile], { encoding: 'utf8' }));
