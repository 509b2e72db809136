#!/usr/bin/env node
// usage: npm run -s synth -- OUT_DIR [--seed N] [--count N] [--first N] [--split training|validation] [--stretch] [--probe] [--probe-fonts] [--probe-drugs] [--probe-words] [--probe-shuffled]
// Writes NAME.jpg + NAME.json (the corpus truth format) per label; the same seed gives the same files.
import { resolve } from 'node:path';
import { synthesise } from './synth.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const split = opt('split') ?? 'training';
if (!out || (split !== 'training' && split !== 'validation')) {
  process.stderr.write('usage: synth OUT_DIR [--seed N] [--count N] [--first N] [--split training|validation] [--stretch] [--probe] [--probe-fonts] [--probe-drugs] [--probe-words] [--probe-shuffled]\n');
  process.exit(2);
}
const t0 = performance.now();
const files = await synthesise({ out: resolve(out), seed: Number(opt('seed') ?? 1), count: Number(opt('count') ?? 20), first: Number(opt('first') ?? 0), split, stretch: args.includes('--stretch'), probe: args.includes('--probe'), probeFonts: args.includes('--probe-fonts'), probeDrugs: args.includes('--probe-drugs'), probeWords: args.includes('--probe-words'), probeShuffled: args.includes('--probe-shuffled') });
process.stderr.write(`${files.length} labels in ${resolve(out)} (${Math.round(performance.now() - t0)} ms)\n`);
