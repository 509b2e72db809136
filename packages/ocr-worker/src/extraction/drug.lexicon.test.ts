import { describe, expect, it } from 'vitest';
import { bundledDrugLexicon, createDrugLexicon, INGREDIENT_ABBREVIATIONS, parseLexicon } from './drug.lexicon.js';
import { parseLabel } from './label.parser.js';
import { ocrDistance, skeleton } from './ocr-confusion.js';
import { reading } from './ocr-reading.fixture.js';

const small = createDrugLexicon(
  parseLexicon(
    [
      'LISINOPRIL\tPRINIVIL,ZESTRIL\t10mg 20mg 2.5mg 40mg 5mg',
      'METFORMIN HYDROCHLORIDE\tGLUCOPHAGE\t1000mg 500mg 850mg',
      'AMLODIPINE BESYLATE\tNORVASC\t10mg 2.5mg 5mg',
      'ACETAMINOPHEN; HYDROCODONE BITARTRATE\tNORCO\t325mg+5mg',
      'HYDROXYZINE HYDROCHLORIDE\tATARAX\t10mg 25mg',
      'HYDRALAZINE HYDROCHLORIDE\t\t10mg 25mg',
    ].join('\n'),
  ),
);

describe('drug lexicon word correction', () => {
  it('accepts exact words', () => {
    expect(small.correctWord('Lisinopril')).toMatchObject({ word: 'LISINOPRIL', cost: 0, kind: 'drug' });
  });

  it.each([
    ['Lisinopri1', 'LISINOPRIL'],
    ['LISIN0PRIL', 'LISINOPRIL'],
    ['Arnlodipine', 'AMLODIPINE'],
    ['Metforrnin', 'METFORMIN'],
    ['HYDROXYZlNE', 'HYDROXYZINE'],
  ])('repairs look-alike misreadings: %s -> %s', (token, word) => {
    const m = small.correctWord(token);
    expect(m?.word).toBe(word);
    expect(m!.cost).toBeLessThan(1);
  });

  it('corrects one real edit at a higher cost', () => {
    const m = small.correctWord('LISINOPRAL');
    expect(m?.word).toBe('LISINOPRIL');
    expect(m!.cost).toBe(1);
  });

  it('refuses words that are not close to any drug', () => {
    expect(small.correctWord('KOWALSKI')).toBeNull();
    expect(small.correctWord('MOUTH')).toBeNull();
  });

  it('knows salts apart from drugs', () => {
    expect(small.correctWord('HCL')).toMatchObject({ kind: 'salt' });
    expect(small.correctWord('Besylate')).toMatchObject({ kind: 'salt' });
  });

  it('finds entries by base name or brand, and their strengths', () => {
    const [e] = small.entriesFor(['LISINOPRIL']);
    expect(e?.strengths.has('20mg')).toBe(true);
    expect(small.entriesFor(['NORCO'])[0]?.name).toBe('ACETAMINOPHEN; HYDROCODONE BITARTRATE');
    expect(small.entriesFor(['HYDROCODONE'])).toHaveLength(0); // one part of a combination is not the combination
  });
});

describe('bundled lexicon', () => {
  const lex = bundledDrugLexicon();
  it('holds common outpatient drugs with their strengths', () => {
    for (const w of ['ATORVASTATIN', 'LISINOPRIL', 'METFORMIN', 'SERTRALINE', 'LEVOTHYROXINE', 'AMOXICILLIN']) {
      expect(lex.correctWord(w)?.cost, w).toBe(0);
    }
    expect(lex.entriesFor(['BUSPIRONE', 'HCL']).some((e) => e.strengths.has('15mg'))).toBe(true);
  });
  // Labels print the active moiety; Drugs@FDA names the salt or the prodrug ester. Without the
  // entry, a misread strength ("46mg" for olmesartan 40) could not be checked against the table.
  it('finds a drug printed without its salt or ester', () => {
    const strengths = (w: string) => lex.entriesFor([w]).flatMap((e) => [...e.strengths]);
    expect(strengths('OLMESARTAN')).toContain('40mg'); // olmesartan medoxomil
    expect(strengths('CLOPIDOGREL')).toContain('75mg'); // clopidogrel bisulfate
    expect(strengths('CANDESARTAN')).toContain('16mg'); // candesartan cilexetil
    expect(strengths('MYCOPHENOLATE')).toContain('500mg'); // mycophenolate mofetil
    expect(strengths('PRAMIPEXOLE').length).toBeGreaterThan(0); // pramipexole dihydrochloride
    expect(strengths('DABIGATRAN').length).toBeGreaterThan(0); // dabigatran etexilate mesylate
    // Printed with the ester, the same entry.
    expect(lex.entriesFor(['OLMESARTAN', 'MEDOXOMIL']).map((e) => e.name)).toEqual(lex.entriesFor(['OLMESARTAN']).map((e) => e.name));
    // A salt word is not a drug by itself.
    expect(lex.correctWord('MEDOXOMIL')).toMatchObject({ kind: 'salt' });
  });
  // A clearly read word the lexicon cannot vouch for: glare took one letter, or a bottle's edge the
  // first ones (fresh seeds 61800-62700: WALOFANTRINE, AROTRECTINIB, "Losin HCl" for tamsulosin).
  it('guesses the one drug word a long word is an edit from, or whose end a line opens with', () => {
    expect(lex.guessWord('Walofantrine', false)).toBe('HALOFANTRINE');
    expect(lex.guessWord('AROTRECTINIB', false)).toBe('LAROTRECTINIB');
    expect(lex.guessWord('Losin', true)).toBe('TAMSULOSIN');
    expect(lex.guessWord('SOSORBIDE', true)).toBe('ISOSORBIDE');
    // Only at the start of a line is a word's start cut off.
    expect(lex.guessWord('Losin', false)).toBeNull();
    // Endings several drugs share, and short words, say nothing.
    expect(lex.guessWord('SARTAN', true)).toBeNull();
    expect(lex.guessWord('SINOPRIL', true)).toBeNull(); // lisinopril and fosinopril
    // … unless the strength read beside it is one only one of them is made in.
    expect(lex.guessWord('NOPRIL', true, '5mg')).toBe('LISINOPRIL');
    expect(lex.guessWord('NOPRIL', true, '10mg')).toBeNull();
    expect(lex.guessWord('NOPRIL', false, '5mg')).toBeNull();
    expect(lex.guessWord('ROLOL', true)).toBeNull();
    expect(lex.guessWord('ZORBLAXIN', true)).toBeNull();
    expect(lex.guessWord('KOWALSKI', true)).toBeNull();
  });
  it('takes a known drug word for the end of a longer one only when the strength is the longer one\'s alone', () => {
    expect(lex.guessWord('ACYCLOVIR', true, '1000mg')).toBe('VALACYCLOVIR');
    expect(lex.guessWord('ACYCLOVIR', true, '400mg')).toBeNull(); // acyclovir's own
    expect(lex.guessWord('ACYCLOVIR', true)).toBeNull();
    expect(lex.guessWord('ACYCLOVIR', false, '1000mg')).toBeNull();
    expect(lex.guessWord('CITALOPRAM', true, '5mg')).toBe('ESCITALOPRAM');
    expect(lex.guessWord('CITALOPRAM', true, '20mg')).toBeNull();
  });
  // A brand of one word stands where an ingredient does, and an edge cuts it the same way.
  it('guesses the one-word brand a cut word at the start of a line ends, as it does an ingredient', () => {
    expect(lex.guessWord('TARAX', true, '10mg')).toBe('ATARAX');
    expect(lex.guessWord('tarax', true)).toBe('ATARAX');
    expect(lex.guessWord('TARAX', false, '10mg')).toBeNull();
  });
  it('leaves hospital-only injectables out, and keeps what a family injects at home', () => {
    expect(lex.entries.some((e) => e.name === 'PROPOFOL')).toBe(false);
    expect(lex.entries.some((e) => e.name === 'INSULIN GLARGINE')).toBe(true);
  });
});

describe('OCR distance', () => {
  it('makes look-alike characters cheap', () => {
    expect(ocrDistance('L1SINOPRIL', 'LISINOPRIL')).toBeCloseTo(0.3);
    expect(ocrDistance('LISINOPRAL', 'LISINOPRIL')).toBe(1);
    expect(skeleton('Arnlodipine')).toBe(skeleton('AMLODIPINE'));
  });
  it('reads an L and an I met at the foot as a U: the drug, sure of no other', () => {
    // "USINOPRIL 40mg" in both looks of a hard photo (fresh seed 147900): two edits from LISINOPRIL
    // and from FOSINOPRIL alike, so no name was sure.
    const lex = bundledDrugLexicon();
    expect(lex.correctWord('USINOPRIL')).toMatchObject({ word: 'LISINOPRIL', ambiguous: false });
    expect(lex.correctWord('GUPIZIDE')).toMatchObject({ word: 'GLIPIZIDE', ambiguous: false });
    expect(lex.correctWord('FOSINOPRIL')).toMatchObject({ word: 'FOSINOPRIL', cost: 0 });
  });
});

describe('entriesFor, brands looked up by their first word', () => {
  it('gives the entries, in the order, that a sweep of every entry’s brands gave', () => {
    const lex = bundledDrugLexicon();
    // The sweep as it was before round 14: every entry, every brand split again on each call.
    const sweep = (ws: readonly string[]) => {
      const set = new Set(ws.map((w) => w.toUpperCase()).map((w) => INGREDIENT_ABBREVIATIONS[w] ?? w));
      const byBase = (w: string) => lex.entries.filter((e) => e.baseWords.includes(w));
      const cands = new Set<(typeof lex.entries)[number]>();
      for (const w of set) for (const e of byBase(w)) cands.add(e);
      const brandRead = (e: (typeof lex.entries)[number]) => e.brands.some((b) => b.split(/\s+/).every((x) => set.has(x)));
      for (const e of lex.entries) if (brandRead(e)) cands.add(e);
      return [...cands].filter((e) => e.baseWords.every((b) => set.has(b)) || brandRead(e));
    };
    let seed = 5;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    const brandWords = lex.entries.flatMap((e) => e.brands.flatMap((b) => b.split(/\s+/)));
    const baseWords = lex.entries.flatMap((e) => e.baseWords);
    let found = 0;
    for (let k = 0; k < 300; k++) {
      // Whole multi-word brands, words of several, base words and salts mixed, in any case.
      const e = lex.entries[rand(lex.entries.length)]!;
      const ws = [...(e.brands[0]?.split(/\s+/) ?? []), ...Array.from({ length: rand(4) }, () => (rand(2) ? brandWords[rand(brandWords.length)]! : baseWords[rand(baseWords.length)]!))];
      if (rand(3) === 0) ws.push('hcl', 'er');
      const got = lex.entriesFor(ws);
      found += got.length;
      expect(got.map((x) => x.name)).toEqual(sweep(ws).map((x) => x.name));
    }
    expect(found).toBeGreaterThan(300);
  });
});

describe('a product of two forms of one drug', () => {
  // Drugs@FDA lists Macrobid as 25 mg + 75 mg; its label prints 100mg ("Macrobid 106mg", a mild photo,
  // fresh seed 121200: no look-alike could be offered, as 100 mg was none it is made in).
  it('is made in the total too', () => {
    const [e] = parseLexicon('NITROFURANTOIN; NITROFURANTOIN, MACROCRYSTALLINE\tMACROBID\t25mg+75mg');
    expect([...e!.strengths].sort()).toEqual(['100mg', '25mg+75mg']);
  });
  it('but not two drugs, nor two salts of a base that is itself a salt word', () => {
    expect([...parseLexicon('IVACAFTOR; IVACAFTOR, TEZACAFTOR\t\t75mg+75mg')[0]!.strengths]).toEqual(['75mg+75mg']);
    expect([...parseLexicon('SODIUM BENZOATE; SODIUM PHENYLACETATE\tUCEPHAN\t100mg+100mg')[0]!.strengths]).toEqual(['100mg+100mg']);
  });
  it('so a misread total is offered as the one it is made in, for review', () => {
    const p = parseLabel(reading('MEI KING', 'TAKE TWO CAPSULES ORALLY TWICE A DAY', '56 CAP Macrobid 106mg Mfr: CIP', 'nitrofurantoin DIN: 03105176'));
    expect(p.medication).toMatchObject({ name: 'Macrobid', dosage: '100 mg' });
    expect(p.confidence.dosage).toBeLessThan(0.85);
  });
});
