import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ocrDistance, skeleton } from './ocr-confusion.js';
import { SIG_VOCABULARY } from './sig.vocabulary.js';

/** An active ingredient (or combination) with its brands and the strengths it is made in. */
export interface DrugEntry {
  /** As FDA lists it: "BUSPIRONE HYDROCHLORIDE", "ACETAMINOPHEN; HYDROCODONE BITARTRATE". */
  name: string;
  /** Ingredient words without salts: ["BUSPIRONE"]. */
  baseWords: string[];
  brands: string[];
  /** Keys like "15mg", "325mg+5mg", "0.1%". */
  strengths: Set<string>;
}

export type WordKind = 'drug' | 'salt';

export interface WordMatch {
  /** The lexicon's spelling. */
  word: string;
  kind: WordKind;
  /** 0 exact, ~0.3 per look-alike character, 1 per other edit. */
  cost: number;
  /** True when another lexicon word is (nearly) as close. */
  ambiguous: boolean;
}

export interface DrugLexicon {
  entries: readonly DrugEntry[];
  /** The closest lexicon word to an OCR token, or null when none is close enough to trust. */
  correctWord(token: string): WordMatch | null;
  /** Entries whose ingredient words (minus salts) all appear in `words`. */
  entriesFor(words: readonly string[]): DrugEntry[];
  /** True for a word of an ingredient's name; false for a word found only in brand names. */
  isIngredient(word: string): boolean;
  /**
   * For a word read clearly that no lexicon word is close enough to trust: the one drug word it
   * most likely is, or null. A long word (nine letters or more) one edit from a single drug word
   * ("WALOFANTRINE"), or, with `edgeCut` (the word opens its line), the end of a single ingredient
   * word whose first letters are missing ("LOSIN" of TAMSULOSIN), as a bottle's edge or glare cuts
   * them. Where several words end so, `strength` (the key of the strength read beside it) decides
   * when only one of them is made in it. A guess: a drug the lexicon lacks would read the same.
   * A drug word the lexicon knows, opening its line, is taken for the end of a longer one only when
   * `strength` is none it is made in and one longer word ending with it is.
   */
  guessWord(token: string, edgeCut: boolean, strength?: string | null): string | null;
}

/**
 * Salt, release, propellant (HFA: "PROAIR HFA", "VENTOLIN HFA") and abbreviation words: printed
 * after the drug name, not a drug by themselves.
 * So is the AND that joins a combination's ingredients ("ALOGLIPTIN AND METFORMIN"): taken for a
 * drug word, any line opening with it ("AND EVENING", directions wrapped) looked like a drug line.
 */
// Not MONONITRATE or DINITRATE: isosorbide mononitrate and isosorbide dinitrate are two medicines,
// and "isosorbide" alone a third; those words are part of the drug's name, not a salt.
export const SALT_WORDS = new Set(
  ('HYDROCHLORIDE HCL HBR HYDROBROMIDE SODIUM POTASSIUM CALCIUM MAGNESIUM BESYLATE MALEATE SUCCINATE TARTRATE ' +
    'BITARTRATE CITRATE SULFATE ACETATE PHOSPHATE MESYLATE FUMARATE BROMIDE OXALATE PROPIONATE DIPROPIONATE HYCLATE ' +
    'MONOHYDRATE DIHYDRATE TRIHYDRATE ANHYDROUS NITRATE CARBONATE CHLORIDE LACTATE GLUCONATE ' +
    'MALATE VALERATE BENZOATE DISODIUM XINAFOATE FUROATE DECANOATE ENANTHATE PAMOATE TROMETHAMINE MEGLUMINE ' +
    'RECOMBINANT ER XR XL SR CR DR LA CD ODT DS EC IR HC HCT HFA EXTENDED DELAYED RELEASE ACID AND ' +
    // Salts, hydrates and prodrug esters that labels leave off: the active moiety is printed
    // ("CLOPIDOGREL 75MG", "TEVA-OLMESARTAN 40mg", "Candesartan 16 mg") where Drugs@FDA names
    // clopidogrel bisulfate, olmesartan medoxomil, candesartan cilexetil.
    'TOSYLATE DITOSYLATE BESILATE BISULFATE DIHYDROCHLORIDE TETRAHYDROCHLORIDE DIMALEATE HEMIFUMARATE DIFUMARATE ' +
    'HEMIHYDRATE SESQUIHYDRATE TETRAHYDRATE DIPOTASSIUM DIMESYLATE ESYLATE CAMSYLATE EDISYLATE ISETHIONATE NAPSYLATE ' +
    'ERBUMINE OLAMINE DIOLAMINE EPOLAMINE HIPPURATE MANDELATE PALMITATE STEARATE ESTOLATE ETHYLSUCCINATE CYPIONATE ' +
    'UNDECANOATE POLISTIREX POLACRILEX MEDOXOMIL KAMEDOXOMIL CILEXETIL AXETIL PROXETIL PIVOXIL DIPIVOXIL MARBOXIL ' +
    'MOFETIL ETEXILATE DISOPROXIL ALAFENAMIDE').split(' '),
);

const MIN_WORD = 4;

/** Abbreviations pharmacies print for ingredients ("HYDROCODONE/APAP 5-325"). */
export const INGREDIENT_ABBREVIATIONS: Record<string, string> = {
  APAP: 'ACETAMINOPHEN', HCTZ: 'HYDROCHLOROTHIAZIDE', ASA: 'ASPIRIN', SMX: 'SULFAMETHOXAZOLE', TMP: 'TRIMETHOPRIM',
};

/**
 * A product of two or more forms of one drug ("NITROFURANTOIN; NITROFURANTOIN, MACROCRYSTALLINE",
 * listed as 25 mg + 75 mg): labels print the total ("Macrobid 100mg"), so the total is a strength it
 * is made in too. Without it a label's 100 mg was none the drug is made in, and no look-alike of a
 * misread one could be offered ("Macrobid 106mg", a mild photo, fresh seed 121200).
 */
const formsOfOneDrug = (name: string): boolean => {
  const ingredients = name.split(';').map((i) => i.trim().split(/[\s,]+/).filter(Boolean));
  const drug = ingredients[0]![0]!;
  const formWord = (w: string) => SALT_WORDS.has(w) || CRYSTAL_FORMS.has(w);
  return ingredients.length > 1 && !SALT_WORDS.has(drug) && ingredients.every(([first, ...rest]) => first === drug && rest.every(formWord));
};
/** The physical forms a drug's parts come in, beside its salts. */
const CRYSTAL_FORMS = new Set(['MACROCRYSTALLINE', 'MICROCRYSTALLINE', 'ANHYDROUS', 'MONOHYDRATE']);
const totalOf = (key: string): string[] => {
  const parts = key.split('+');
  if (parts.length < 2 || !parts.every((p) => /^\d+(?:\.\d+)?mg$/.test(p))) return [];
  return [`${+parts.reduce((sum, p) => sum + parseFloat(p), 0).toPrecision(6)}mg`];
};

export function parseLexicon(tsv: string): DrugEntry[] {
  const entries: DrugEntry[] = [];
  for (const line of tsv.split('\n')) {
    const [name, brands, strengths] = line.split('\t');
    if (!name) continue;
    const words = name.split(/[;\s]+/).filter(Boolean);
    const base = words.filter((w) => !SALT_WORDS.has(w));
    const listed = strengths ? strengths.split(' ') : [];
    entries.push({
      name,
      baseWords: base.length ? base : words,
      brands: brands ? brands.split(',') : [],
      strengths: new Set([...listed, ...(formsOfOneDrug(name) ? listed.flatMap(totalOf) : [])]),
    });
  }
  return entries;
}

export function createDrugLexicon(entries: DrugEntry[]): DrugLexicon {
  const kinds = new Map<string, WordKind>();
  const add = (w: string, k: WordKind) => {
    if (w.length < 2 || !/^[A-Z][A-Z-]*$/.test(w)) return;
    if (kinds.get(w) !== 'drug') kinds.set(w, k);
  };
  for (const s of SALT_WORDS) add(s, 'salt');
  for (const a of Object.keys(INGREDIENT_ABBREVIATIONS)) add(a, 'drug');
  for (const e of entries) {
    for (const w of e.name.split(/[;\s]+/)) add(w, SALT_WORDS.has(w) ? 'salt' : 'drug');
    // Brand names hold ordinary words ("ONE DAILY", "24 HOUR", "… SODIUM"); a directions or salt word is never taken for a drug.
    for (const b of e.brands) for (const w of b.split(/[\s/]+/)) if (w.length >= MIN_WORD && !SIG_VOCABULARY.has(w) && !SIG_VOCABULARY.has(w + 'S') && !SALT_WORDS.has(w)) add(w, 'drug');
  }
  const bySkeleton = new Map<string, string[]>();
  for (const w of kinds.keys()) {
    const k = skeleton(w);
    bySkeleton.set(k, [...(bySkeleton.get(k) ?? []), w]);
  }
  const words = [...kinds.keys()];
  const byBase = new Map<string, DrugEntry[]>();
  for (const e of entries) for (const w of e.baseWords) byBase.set(w, [...(byBase.get(w) ?? []), e]);

  const byLength = new Map<number, string[]>();
  for (const w of words) byLength.set(w.length, [...(byLength.get(w.length) ?? []), w]);
  // Labels repeat the same words; a bounded memo keeps the fuzzy search off the hot path.
  const memo = new Map<string, WordMatch | null>();

  function correctWord(token: string): WordMatch | null {
    const t = token.toUpperCase().replace(/[^A-Z0-9|!\\-]/g, '');
    if (memo.has(t)) return memo.get(t)!;
    const m = correctUncached(t);
    if (memo.size > 20_000) memo.clear();
    memo.set(t, m);
    return m;
  }

  function correctUncached(t: string): WordMatch | null {
    if (t.length < 2) return null;
    const exact = kinds.get(t);
    if (exact) return { word: t, kind: exact, cost: 0, ambiguous: false };
    if (t.length < MIN_WORD) {
      // Short tokens have too many neighbours to correct freely; only a look-alike of a salt or
      // suffix abbreviation ("HCI" for HCL) is repaired.
      const near = [...SALT_WORDS].filter((w) => w.length === t.length && ocrDistance(t, w, 0.3) <= 0.3);
      return near.length === 1 ? { word: near[0]!, kind: 'salt', cost: 0.3, ambiguous: false } : null;
    }
    const sk = bySkeleton.get(skeleton(t));
    if (sk && sk.length === 1) return { word: sk[0]!, kind: kinds.get(sk[0]!)!, cost: 0.3, ambiguous: false };
    // Longer words tolerate more edits; two edits in a 5-letter word is another word.
    const max = t.length >= 9 ? 2 : t.length >= 6 ? 1.3 : 1;
    let best: string | null = null;
    let bestCost = Infinity;
    let second = Infinity;
    const near: string[] = [];
    for (let len = t.length - Math.floor(max); len <= t.length + Math.floor(max); len++) near.push(...(byLength.get(len) ?? []));
    for (const w of near) {
      const d = ocrDistance(t, w, Math.min(max, second));
      if (d < bestCost) {
        second = bestCost;
        bestCost = d;
        best = w;
      } else if (d < second) second = d;
    }
    if (!best || bestCost > max) return null;
    return { word: best, kind: kinds.get(best)!, cost: bestCost, ambiguous: second - bestCost < 0.7 };
  }

  // A brand of several words ("PROAIR HFA") is read as its words: each entry's brands split once,
  // and the entries indexed by each brand's first word (a brand is read only if that word is there).
  const brandParts = new Map<DrugEntry, string[][]>();
  const byBrandStart = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const parts = e.brands.map((b) => b.split(/\s+/));
    brandParts.set(e, parts);
    for (const p of parts) {
      const at = byBrandStart.get(p[0]!);
      if (!at) byBrandStart.set(p[0]!, [i]);
      else if (at[at.length - 1] !== i) at.push(i);
    }
  });

  function entriesFor(ws: readonly string[]): DrugEntry[] {
    const set = new Set(ws.map((w) => w.toUpperCase()).map((w) => INGREDIENT_ABBREVIATIONS[w] ?? w));
    const cands = new Set<DrugEntry>();
    for (const w of set) for (const e of byBase.get(w) ?? []) cands.add(e);
    const brandRead = (e: DrugEntry) => brandParts.get(e)!.some((parts) => parts.every((x) => set.has(x)));
    // The entries a brand may be read for, in the lexicon's order (as a sweep of every entry adds them).
    const maybe: number[] = [];
    for (const w of set) for (const i of byBrandStart.get(w) ?? []) maybe.push(i);
    if (maybe.length > 1) maybe.sort((a, b) => a - b);
    for (const i of maybe) if (brandRead(entries[i]!)) cands.add(entries[i]!);
    return [...cands].filter((e) => e.baseWords.every((b) => set.has(b)) || brandRead(e));
  }

  const ingredientWords = new Set(entries.flatMap((e) => e.name.split(/[;\s]+/)));
  for (const a of Object.keys(INGREDIENT_ABBREVIATIONS)) ingredientWords.add(a);
  const isIngredient = (w: string): boolean => ingredientWords.has(w.toUpperCase());

  // A brand of one word is printed where an ingredient is, and an edge cuts it the same way
  // ("TARAX 10mg" for Atarax, a hard photo of batch 183300 whose left edge took every line's first letter).
  const byBrand = new Map<string, DrugEntry[]>();
  for (const e of entries) for (const b of e.brands) if (!ingredientWords.has(b)) byBrand.set(b, [...(byBrand.get(b) ?? []), e]);
  const cutFrom = [...ingredientWords, ...byBrand.keys()].filter((w) => !SALT_WORDS.has(w) && /^[A-Z]{6,}$/.test(w));
  const madeIn = (w: string, strength: string) => (byBase.get(w) ?? byBrand.get(w) ?? []).some((e) => e.strengths.has(strength));
  function guessWord(token: string, edgeCut: boolean, strength?: string | null): string | null {
    const t = token.toUpperCase();
    if (!/^[A-Z]{5,}$/.test(t)) return null;
    // At most five letters lost: a longer cut leaves too little of the word to say whose end it is.
    const cutEnds = () => (edgeCut ? cutFrom.filter((w) => w.length > t.length && w.length - t.length <= 5 && w.endsWith(t)) : []);
    if (kinds.has(t)) {
      // A drug word read whole can be the end of a longer one all the same ("ACYCLOVIR 1G" for
      // valacyclovir, its first letters beyond the photo's edge, a turned stretch photo of batch
      // 181500, named at 0.98): said only when the strength read beside it is none the word read is
      // made in and one, and only one, of the longer words is.
      if (!strength || kinds.get(t) !== 'drug' || entriesFor([t]).some((e) => e.strengths.has(strength))) return null;
      const made = cutEnds().filter((w) => madeIn(w, strength));
      return made.length === 1 ? made[0]! : null;
    }
    const near = t.length >= 9 ? correctWord(t) : null;
    if (near && near.kind === 'drug' && !near.ambiguous && near.cost <= 1) return near.word;
    const whole = cutEnds();
    // Drugs of one class share their ending ("NOPRIL": lisinopril, fosinopril, a hard photo's label
    // cut at its edge, batch 132000, named "Nopril"); the strength read with it names the one made in it.
    const made = whole.length > 1 && strength ? whole.filter((w) => madeIn(w, strength)) : whole;
    return made.length === 1 ? made[0]! : null;
  }

  return { entries, correctWord, entriesFor, isIngredient, guessWord };
}

let bundled: DrugLexicon | null = null;

/** The lexicon generated by scripts/build-lexicon.mjs and shipped in data/; loaded once. */
export function bundledDrugLexicon(): DrugLexicon {
  if (!bundled) {
    const gz = readFileSync(new URL('../../data/drug-lexicon.tsv.gz', import.meta.url));
    bundled = createDrugLexicon(parseLexicon(gunzipSync(gz).toString('utf8')));
  }
  return bundled;
}
