import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesise, type SynthOptions } from './synth.js';

/**
 * The evaluation splits. Training is what rules are developed against; validation is generated
 * once from its own seed and the held-out half of every pool (drugs, patients, prescribers,
 * pharmacies, fonts, warning wordings, Canadian maker prefixes) plus a layout training never
 * has, and is only ever read as aggregates. Bump VERSION when the synthesiser changes what it draws.
 */
export const VERSION = 6;
export const SPLITS = {
  training: { seed: 1201, count: 240, split: 'training' },
  validation: { seed: 7707, count: 240, split: 'validation' },
  stretch: { seed: 4242, count: 40, split: 'validation', stretch: true },
} as const satisfies Record<string, Omit<SynthOptions, 'out'>>;
export type SplitName = keyof typeof SPLITS;

/** Generates a split into `dir` unless it is already there from the same seed, count and version. */
export async function ensureSplit(name: SplitName, dir: string, log: (s: string) => void = () => {}): Promise<string> {
  const spec = SPLITS[name];
  const stamp = JSON.stringify({ VERSION, ...spec });
  const manifest = join(dir, 'split.json');
  if (existsSync(manifest) && readFileSync(manifest, 'utf8') === stamp && readdirSync(dir).filter((f) => f.endsWith('.jpg')).length === spec.count) return dir;
  log(`generating the ${name} split (${spec.count} labels, seed ${spec.seed}) into ${dir}`);
  rmSync(dir, { recursive: true, force: true }); // no label of an older version may stay behind
  await synthesise({ ...spec, out: dir, prefix: name });
  writeFileSync(manifest, stamp);
  return dir;
}
