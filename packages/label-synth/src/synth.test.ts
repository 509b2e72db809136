import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { FONTS } from './fonts.js';
import { DRUGS, poolsFor, probeDrugs } from './pools.js';
import { PROBE_CA_PREFIXES, synthesise } from './synth.js';
import { sidesApart } from './capture.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'rxscan-synth-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the label synthesiser', () => {
  it('makes the same photos and truth from the same seed', async () => {
    const [a, b] = [fresh(), fresh()];
    await synthesise({ out: a, seed: 9, count: 3 });
    await synthesise({ out: b, seed: 9, count: 3 });
    const files = readdirSync(a).sort();
    expect(files).toEqual(readdirSync(b).sort());
    expect(files.filter((f) => f.endsWith('.jpg'))).toHaveLength(3);
    for (const f of files) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).toBe(true);
  });

  it('makes one label of a seed alone, the same as in the whole run (to reproduce a miss)', async () => {
    const [all, one] = [fresh(), fresh()];
    await synthesise({ out: all, seed: 9, count: 3 });
    await synthesise({ out: one, seed: 9, count: 1, first: 2 });
    const files = readdirSync(one).sort();
    expect(files.map((f) => f.replace(/-[a-z]+\.(jpg|json)$/, ''))).toEqual(['training-002', 'training-002']);
    for (const f of files) expect(readFileSync(join(one, f)).equals(readFileSync(join(all, f)))).toBe(true);
  });

  it('blurs a motion photo along one direction without blanking it (lengths 7 to 11)', async () => {
    const d = fresh();
    // Labels 4 and 14 of this seed drew even lengths, which once gave all-black photos.
    for (const first of [4, 9, 14]) await synthesise({ out: d, seed: 166200, count: 1, first, stretch: true });
    const photos = readdirSync(d).filter((f) => f.endsWith('-motion.jpg'));
    expect(photos).toHaveLength(3);
    for (const f of photos) {
      const { channels } = await sharp(join(d, f)).stats();
      expect(channels[0]!.stdev, f).toBeGreaterThan(20);
    }
  });

  it('keeps a steep view whole: its far side opened, never folded past the near one', async () => {
    // A side whose two corners met: the view's horizon crossed the photo.
    expect(sidesApart([[0, 40], [300, 0], [300, 100], [0, 50]], 40)).toEqual([[0, 25], [300, 0], [300, 100], [0, 65]]);
    expect(sidesApart([[0, 60], [300, 0], [300, 100], [0, 30]], 40)[0]).toEqual([0, 25]); // folded past
    const upright: [number, number][] = [[0, 10], [300, 0], [300, 100], [0, 80]];
    expect(sidesApart(upright, 40)).toEqual(upright);
    // Labels 100 and 105 of this seed were drawn mostly off the photo, flipped; now the label lies
    // inside it, paper nowhere on its edge.
    const d = fresh();
    for (const first of [100, 105]) await synthesise({ out: d, seed: 167700, count: 1, first, stretch: true });
    const photos = readdirSync(d).filter((f) => f.endsWith('-steep.jpg'));
    expect(photos).toHaveLength(2);
    for (const f of photos) {
      const { data, info } = await sharp(join(d, f)).greyscale().raw().toBuffer({ resolveWithObject: true });
      const ring = Math.round(0.02 * Math.min(info.width, info.height));
      let [edge, paper] = [0, 0];
      for (let y = 0; y < info.height; y++)
        for (let x = 0; x < info.width; x++) {
          if (x >= ring && x < info.width - ring && y >= ring && y < info.height - ring) continue;
          edge++;
          if (data[y * info.width + x]! > 200) paper++;
        }
      expect(paper / edge, f).toBeLessThan(0.02);
    }
  });

  it('writes truth the scorer reads: ISO dates, a number for the quantity and its unit apart', async () => {
    const d = fresh();
    const labels = await synthesise({ out: d, seed: 3, count: 6 });
    for (const l of labels.filter((x) => !x.truth.not_a_label)) {
      expect(typeof l.truth.quantity).toBe('number');
      expect(l.truth.quantity_unit).toMatch(/^(tablet|capsule|mL|g|inhaler|pen)$/);
      expect(l.truth.date_filled).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('makes probe labels in layouts neither split has (caption grid, stacked captions), from the training pools', async () => {
    const labels = await synthesise({ out: fresh(), seed: 5, count: 8, probe: true });
    expect(new Set(labels.map((l) => l.template))).toEqual(new Set(['us-grid', 'us-stacked']));
    const drugs = poolsFor('training').drugs.map((d) => d.base);
    for (const l of labels) expect(drugs).toContain(l.truth.name_base);
    const split = await synthesise({ out: fresh(), seed: 5, count: 12 });
    for (const l of split) expect(['us-grid', 'us-stacked']).not.toContain(l.template);
  });

  it('prints probe-font labels only in typefaces neither split has, from the pools of the split asked for', async () => {
    const probe = new Set(FONTS.filter((f) => f.probe).map((f) => f.id));
    const labels = await synthesise({ out: fresh(), seed: 5, count: 10, probeFonts: true });
    for (const l of labels) expect(probe).toContain(l.font);
    const drugs = poolsFor('training').drugs.map((d) => d.base);
    for (const l of labels.filter((x) => !x.truth.not_a_label)) expect(drugs).toContain(l.truth.name_base);
    for (const split of ['training', 'validation'] as const) {
      const plain = await synthesise({ out: fresh(), seed: 5, count: 10, split });
      for (const l of plain) expect(probe).not.toContain(l.font);
    }
  });

  it('draws probe-drug labels from lexicon drugs in neither pool', async () => {
    const pool = new Set(DRUGS.map((d) => d.base.toUpperCase()));
    const probe = probeDrugs();
    expect(probe.length).toBeGreaterThan(500);
    for (const d of probe) expect(pool).not.toContain(d.base.split(' ')[0]!.toUpperCase());
    const labels = await synthesise({ out: fresh(), seed: 5, count: 10, probeDrugs: true });
    const bases = new Set(probe.map((d) => d.base));
    for (const l of labels) expect(bases).toContain(l.truth.name_base);
  });
  it("gives a probe drug's bare name without its salt or ester, as the corpus rule lets a label print it", () => {
    const base = (name: string) => probeDrugs().find((d) => d.name === name)?.base;
    expect(base('Rizatriptan Benzoate')).toBe('Rizatriptan');
    expect(base('Methenamine Hippurate')).toBe('Methenamine');
    expect(base('Testosterone Undecanoate')).toBe('Testosterone');
    expect(base('Nicotine Polacrilex')).toBe('Nicotine');
    expect(base('Dabigatran Etexilate Mesylate')).toBe('Dabigatran');
    expect(base('Mycophenolate Mofetil')).toBe('Mycophenolate');
    // The first word is the drug, even a metal's: lithium carbonate is said whole.
    expect(base('Lithium Carbonate')).toBe('Lithium Carbonate');
  });

  it('makes shuffled probe labels, a layout in neither split, from the pools of the split asked for', async () => {
    const labels = await synthesise({ out: fresh(), seed: 9, count: 6, probeShuffled: true });
    expect(new Set(labels.map((l) => l.template))).toEqual(new Set(['us-shuffled']));
    const drugs = poolsFor('training').drugs.map((d) => d.base);
    for (const l of labels) expect(drugs).toContain(l.truth.name_base);
    for (const split of ['training', 'validation'] as const) {
      const plain = await synthesise({ out: fresh(), seed: 9, count: 12, split });
      for (const l of plain) expect(l.template).not.toBe('us-shuffled');
    }
  });

  it('names Canadian generics with probe makers only, from the pools of the split asked for', async () => {
    const labels = await synthesise({ out: fresh(), seed: 7, count: 40, probeWords: true });
    const prefixed = labels.map((l) => String(l.truth.name)).filter((n) => /^[A-Z]+[- ][A-Z]{4,}$/.test(n));
    expect(prefixed.length).toBeGreaterThan(0);
    for (const n of prefixed) expect(PROBE_CA_PREFIXES).toContain(n.split(/[- ]/)[0]);
    const plain = await synthesise({ out: fresh(), seed: 7, count: 40 });
    for (const n of plain.map((l) => String(l.truth.name))) expect(PROBE_CA_PREFIXES).not.toContain(n.split(/[- ]/)[0]);
  });

  it('keeps validation drugs, names and pharmacies out of training', () => {
    const [t, v] = [poolsFor('training'), poolsFor('validation')];
    expect(t.drugs.length + v.drugs.length).toBe(DRUGS.length);
    expect(t.drugs.filter((d) => v.drugs.some((x) => x.base === d.base))).toEqual([]);
    expect(t.given.filter((g) => v.given.includes(g))).toEqual([]);
    expect(t.prescriberSurnames.filter((g) => v.prescriberSurnames.includes(g))).toEqual([]);
    expect(t.pharmacies.filter((p) => v.pharmacies.includes(p))).toEqual([]);
  });
});
