import { findDosages, type FoundDosage } from './dosage.parser.js';
import { bundledDrugLexicon } from './drug.lexicon.js';

/** Digits Tesseract mistakes for one another on blurred or serif print. */
const DIGIT_LOOKALIKES: Record<string, string> = {
  '0': '689', '1': '7', '2': '7', '3': '85', '5': '63', '6': '0580', '7': '12', '8': '0369', '9': '08',
};

/**
 * The strengths the drug is made in that differ from `dose` by a single look-alike digit ("500 mg"
 * for "560 mg"), or by one digit misread the same way wherever it is printed ("500 mg" for "566 mg":
 * the glyph that fooled Tesseract once is drawn the same in the next place).
 */
export function lookalikeStrengths(dose: FoundDosage, known: ReadonlySet<string>): FoundDosage[] {
  const m = dose.text.match(/^(\d+(?:\.\d+)?)(.*)$/);
  if (!m || known.size === 0) return [];
  const [, num, rest] = m as unknown as [string, string, string];
  const found = new Map<string, FoundDosage>();
  const candidates = new Set<string>();
  for (let i = 0; i < num.length; i++) {
    for (const d of DIGIT_LOOKALIKES[num[i]!] ?? '') {
      candidates.add(num.slice(0, i) + d + num.slice(i + 1));
      if (num.indexOf(num[i]!) !== num.lastIndexOf(num[i]!)) candidates.add(num.split(num[i]!).join(d));
    }
  }
  for (const candidate of candidates) {
    if (/^0\d/.test(candidate)) continue;
    const parsed = findDosages(candidate + rest)[0];
    if (parsed?.key && parsed.key !== dose.key && known.has(parsed.key)) found.set(parsed.key, { ...parsed, start: dose.start, end: dose.end });
  }
  return [...found.values()];
}

/**
 * For a strength the drug is not made in ("560 mg" of cephalexin), the one strength it is made in
 * that a look-alike digit or a lost decimal point hides ("500 mg"; `lookalikeStrengths`), or null when
 * there is none or several.
 * Only a suggestion for the person reviewing: the field stays uncertain.
 */
export function suggestStrength(dose: FoundDosage, known: ReadonlySet<string>, raw = ''): FoundDosage | null {
  const found = lookalikeStrengths(dose, known);
  if (found.length === 0 && dose.repaired) found.push(...strayStrokeStrengths(raw, dose, known));
  if (found.length === 0) found.push(...mgMisreadStrengths(raw, dose, known));
  // Or its decimal point lost, in every look ("Norvasc 25mg," in both looks of a hard photo, batch
  // 140400: amlodipine is made in 2.5 mg and never in 25; no strength was offered).
  if (found.length === 0) found.push(...lostPointStrengths(dose, known));
  return found.length === 1 ? found[0]! : null;
}

/**
 * An mg read with its m's first strokes lost ("40ug", a u and its tail) or the m lost whole ("40g"):
 * "PMS-FAMOTIDINE 40ug" and "40g" in the two looks of a hard photo (fresh seed 82800), famotidine
 * being made in 20 and 40 mg and in no µg or g. Where the drug is made in neither as read, the same
 * numbers in mg when it is made in them. A strength spelt out in mcg is left alone.
 */
function mgMisreadStrengths(raw: string, dose: FoundDosage, known: ReadonlySet<string>): FoundDosage[] {
  const m = raw.match(/^([\d.,\s/-]+?)\s*(?:ug|µg|g)$/i);
  if (!m) return [];
  const parsed = findDosages(`${m[1]!.trim()} mg`)[0];
  return parsed?.key && parsed.key !== dose.key && known.has(parsed.key) ? [{ ...parsed, start: dose.start, end: dose.end, repaired: true }] : [];
}

/**
 * A thin upright letter (I, l, |) read beside a strength's digits and repaired to a 1 may be a stray
 * stroke instead: "Alprazolam 1lmg" for 1 mg in all three looks of a clean photo (fresh seed 72300),
 * the m's first stem read apart. The listed strengths the digits give without it; `raw` is the
 * strength as read.
 */
function strayStrokeStrengths(raw: string, dose: FoundDosage, known: ReadonlySet<string>): FoundDosage[] {
  const found = new Map<string, FoundDosage>();
  for (let i = 0; i < raw.length; i++) {
    if (!/[Il|]/.test(raw[i]!) || !/\d/.test((raw[i - 1] ?? '') + (raw[i + 1] ?? ''))) continue;
    const parsed = findDosages(raw.slice(0, i) + raw.slice(i + 1))[0];
    if (parsed?.key && parsed.key !== dose.key && known.has(parsed.key)) found.set(parsed.key, { ...parsed, start: dose.start, end: dose.end });
  }
  return [...found.values()];
}

/**
 * The listed strengths the same digits give with a decimal point put back ("25 mg" -> "2.5 mg",
 * "125 mg" -> "12.5 mg", "625 mg" -> "6.25 mg"): the point is the smallest mark on the line, and a
 * blurred or glared photo loses it in every look, so a strength read without one cannot be told from
 * its point-less twin. A point before trailing zeros is not how strengths are printed ("1.0 mg").
 */
export function lostPointStrengths(dose: FoundDosage, known: ReadonlySet<string>): FoundDosage[] {
  const m = dose.text.match(/^(\d+)(\D.*)$/);
  if (!m || known.size === 0) return [];
  const [, num, rest] = m as unknown as [string, string, string];
  const found: FoundDosage[] = [];
  for (let i = 1; i < num.length; i++) {
    const candidate = `${num.slice(0, i)}.${num.slice(i)}`;
    if (/^0\d/.test(candidate) || /0$/.test(candidate)) continue;
    const parsed = findDosages(candidate + rest)[0];
    if (parsed?.key && parsed.key !== dose.key && known.has(parsed.key)) found.push({ ...parsed, start: dose.start, end: dose.end });
  }
  return found;
}

let madeIn: Map<string, number> | null = null;
/**
 * How many of the lexicon's drugs are made in a strength ("30mg": 83 of about 2,170; "36mg": 5):
 * strengths follow a few round series, so where two looks read a strength differently by a
 * look-alike digit and the drug is listed in neither, the far commoner is the likelier print.
 */
export function drugsMadeIn(key: string): number {
  if (!madeIn) {
    madeIn = new Map();
    for (const e of bundledDrugLexicon().entries) for (const k of e.strengths) madeIn.set(k, (madeIn.get(k) ?? 0) + 1);
  }
  return madeIn.get(key) ?? 0;
}
