import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synthesise } from '@rxscan/label-synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractor } from './label.extractor.js';
import { extractFiles, type PredictionLine } from './prediction.format.js';
import { checkField, SCORED_CRITICAL, scorePredictions, type TruthFile } from './prediction.scorer.js';
import type { Extractor } from './types.js';

/**
 * Extraction over labels as a user would photograph them, failing below the floors reached on
 * them (docs/extraction.md has the figures). A small set is generated here from a fixed seed of
 * the training pools; the dev corpus is read when ../shared is present.
 */
const FLOORS = {
  // 19 of its 20 labels on 2026-12-02 with either engine (0.95): the floor allows one more miss.
  generated: { critical: 0.9 },
  dev: { critical: 0.97 },
};

/** Real OCR over dozens of photos: minutes on a busy two-core machine. */
const SLOW = 900_000;

const DEV = resolve(import.meta.dirname, '../../../../../shared/corpus/labels-dev');
const hasDev = existsSync(DEV);

let extractor: Extractor;
const work = mkdtempSync(join(tmpdir(), 'rxscan-regression-'));

beforeAll(async () => {
  extractor = await createExtractor({ workers: 1, cacheDir: join(work, 'tesseract-cache') });
});
afterAll(async () => {
  await extractor?.close();
  rmSync(work, { recursive: true, force: true });
});

async function run(dir: string): Promise<{ truths: TruthFile[]; lines: PredictionLine[] }> {
  const truths = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TruthFile);
  const lines: PredictionLine[] = [];
  await extractFiles(extractor, truths.map((t) => join(dir, t.file)), (l) => lines.push(l));
  return { truths, lines };
}

const wrongAtConfidence = (s: string) => Number(s.split('/')[0]);

/** Expects every label's four critical fields read right; returns what was saved for each. */
function criticalRight(truths: TruthFile[], lines: PredictionLine[]): PredictionLine[] {
  return truths.map((t) => {
    const saved = lines.find((l) => l.file.endsWith(t.file))!;
    for (const f of SCORED_CRITICAL) expect(checkField(f, saved[f], t.truth), `${t.file} ${f}: ${String(saved[f])}`).toBe(true);
    return saved;
  });
}

describe('extraction over generated labels (seed 31, training pools, 24 labels)', () => {
  it('reads them at least as well as it did, with no silent error and nothing wrong at 0.9 or more', async () => {
    const dir = join(work, 'generated');
    await synthesise({ out: dir, seed: 31, count: 24, split: 'training', prefix: 'regression' });
    const { truths, lines } = await run(dir);
    const labels = truths.filter((t) => !t.truth.not_a_label);
    const score = scorePredictions(labels, lines);
    expect(score.silent_error_rate).toBe(0);
    expect(wrongAtConfidence(score.confident_wrong_fields)).toBe(0);
    expect(score.critical_all_correct).toBeGreaterThanOrEqual(FLOORS.generated.critical);
    // A photo that is not a pharmacy label always goes to a person.
    for (const t of truths.filter((t) => t.truth.not_a_label)) expect(lines.find((l) => l.file.endsWith(t.file))?.needs_review).toBe(true);
  }, SLOW);
});

describe.skipIf(!hasDev)(`extraction over the dev corpus${hasDev ? '' : ' (skipped: ../shared/corpus/labels-dev is not here)'}`, () => {
  it('reads it at least as well as it did, with no silent error and nothing wrong at 0.9 or more', async () => {
    const { truths, lines } = await run(DEV);
    const score = scorePredictions(truths, lines);
    expect(score.silent_error_rate).toBe(0);
    expect(wrongAtConfidence(score.confident_wrong_fields)).toBe(0);
    expect(score.critical_all_correct).toBeGreaterThanOrEqual(FLOORS.dev.critical);
  }, SLOW);
});

describe('a digit the prepared page itself misdraws', () => {
  it('is not saved as certain: the re-read looks at pixels prepared anew from the photo', async () => {
    // A phone photo (a probe typeface) printing `3 TIMES DAILY`, whose prepared page reads `2 TIMES`
    // with native Tesseract 5.3; crops of that page read 2 again, the photo resampled larger reads 3.
    const dir = join(work, 'misdrawn');
    const [label] = await synthesise({ out: dir, seed: 63600, first: 231, count: 1, probe: true, probeFonts: true, probeDrugs: true });
    expect(label!.truth.schedule).toBe('Three times daily');
    const { lines } = await run(dir);
    const saved = lines[0]!;
    // Read right, or left for a person to confirm: never another schedule saved as certain.
    expect(saved.needs_review === true || saved.schedule === 'Three times daily', `saved ${String(saved.schedule)} without review`).toBe(true);
  }, SLOW);
});

describe('a count opening the drug line', () => {
  it('is confirmed by the re-read, so a UK label read right is not sent to a person for it', async () => {
    // A flat UK label, `60 Colchicine 0.6mg tablets`: the count's word and the drug's were cropped
    // apart, the lone `60` was nothing the re-read could call a quantity, and the count stayed at 0.5.
    const dir = join(work, 'uk-count');
    const [label] = await synthesise({ out: dir, seed: 65700, first: 43, count: 1 });
    expect([label!.template, label!.truth.quantity]).toEqual(['uk', 60]);
    const { lines } = await run(dir);
    const saved = lines[0]!;
    expect(saved.quantity).toBe(60);
    expect((saved.confidence as Record<string, number>).quantity).toBeGreaterThanOrEqual(0.85);
  }, SLOW);
});

describe('a zero with a dot inside, which Tesseract reads as 6', () => {
  it('is read as the strength the drug is made in, by the glyph’s shape, without a person', async () => {
    // A slightly blurred label in a monospaced face whose zero has a dot: `Atorvastatin Calcium 80mg`
    // is read `86mg`. The table offers 80 mg; the 6's glyph is a ring with a mark inside, not a 6.
    const dir = join(work, 'dotted-zero');
    const [label] = await synthesise({ out: dir, seed: 65700, first: 179, count: 1 });
    expect([label!.font, label!.truth.dosage]).toEqual(['DejaVuSansMono', '80 mg']);
    const { lines } = await run(dir);
    const saved = lines[0]!;
    expect(saved.dosage).toBe('80 mg');
    expect((saved.confidence as Record<string, number>).dosage).toBeGreaterThanOrEqual(0.85);
  }, SLOW);
});

describe('a label wrapped round a bottle', () => {
  it('has the words at its squeezed ends read from its columns unwrapped: the count opening the drug line', async () => {
    // Seed 167700's stretch photo 27 (a Canadian label: `60 TAB SERTRALINE HCL 25mg`) and seed
    // 168000's 122 (`Qty: 60`): strongly curved, the count at the label's left end. Read with
    // two passes only, neither gave its count (label.unwrap.ts).
    const dir = join(work, 'wrapped');
    await synthesise({ out: dir, seed: 167700, first: 27, count: 1, stretch: true });
    await synthesise({ out: dir, seed: 168000, first: 122, count: 1, stretch: true });
    const { truths, lines } = await run(dir);
    expect(truths.map((t) => t.level)).toEqual(['curved', 'curved']);
    for (const saved of criticalRight(truths, lines)) expect(saved.timings_ms).toMatchObject({ passes: 3 });
  }, SLOW);
  it('and so is one whose outline is a clean rectangle, as a label round a bottle seen square on keeps', async () => {
    // Seed 171000's stretch photos 37 and 157 (Canadian labels, `14 TAB HYDROXYCHLOROQUINE` and
    // `120 TAB CITALOPRAM`): strongly curved, their outlines taken for flat sheets (label.region.ts).
    // Until round 43 a sheet got no unwrapped look: no count, and `10` for 120.
    const dir = join(work, 'wrapped-square');
    for (const first of [37, 157]) await synthesise({ out: dir, seed: 171000, first, count: 1, stretch: true });
    const { truths, lines } = await run(dir);
    expect(truths.map((t) => t.level)).toEqual(['curved', 'curved']);
    criticalRight(truths, lines);
  }, SLOW);
});

describe('a photo smeared by a hand that moved', () => {
  it('is read once the smear is taken out: the drug, its strength, the directions and the count', async () => {
    // Seed 166200's stretch photos 14 and 74 (training pools): smeared 9 pixels across, and about 9
    // up and down (motion.blur.ts). Read as taken, neither gave the drug's strength.
    const dir = join(work, 'smeared');
    for (const first of [14, 74]) await synthesise({ out: dir, seed: 166200, first, count: 1, stretch: true });
    const { truths, lines } = await run(dir);
    expect(truths.map((t) => t.level)).toEqual(['motion', 'motion']);
    for (const saved of criticalRight(truths, lines)) expect(saved.timings_ms).toHaveProperty('unsmear');
  }, SLOW);

  it('has a count nothing but its pixels vouch for left for a person, however surely it was read', async () => {
    // Seed 174300's stretch photo 189: "180" smeared across reads "100" in both looks and the
    // re-read (both engines), and was saved as sure. Nothing else checks the count (no days supply).
    const dir = join(work, 'smeared-count');
    await synthesise({ out: dir, seed: 174300, first: 189, count: 1, stretch: true });
    const { truths, lines } = await run(dir);
    expect(truths.map((t) => [t.level, t.truth.quantity])).toEqual([['motion', 180]]);
    expect(lines[0]!.needs_review).toBe(true);
    expect((lines[0]!.confidence as Record<string, number>).quantity).toBeLessThan(0.85);
  }, SLOW);
});
