import { SALT_WORDS, type DrugLexicon, type WordMatch } from './drug.lexicon.js';
import { spanConfidence, type Segment } from './label.layout.js';

/** A word of a drug line with its lexicon match (null when the lexicon does not vouch for it). */
export interface Token {
  raw: string;
  start: number;
  end: number;
  match: (WordMatch & { prefixed?: boolean }) | null;
}

/**
 * Words that name a dose form, and so end a drug's name. Pharmacy systems print the long forms
 * and their usual abbreviations alike ("SUSP", "SOLN", "OPH SOLN", "CRM", "OINT", "SUPP", "SYR",
 * "INJ"); without them a name whose strength went unread kept its form ("Prednisolone Susp").
 */
export const FORM_WORDS = new Set(
  ('TABLET TABLETS TAB TABS CAPSULE CAPSULES CAP CAPS SOLUTION SUSPENSION SYRUP ELIXIR CREAM OINTMENT GEL LOTION ' +
    'INHALER AEROSOL SPRAY NASAL PATCH DROPS DROP OPHTHALMIC OTIC SUPPOSITORY POWDER GRANULES LOZENGE FILM INJECTION PEN KIT LIQUID ORAL CHEWABLE ODT ' +
    'SUSP SOLN OPH CRM OINT SUPP SYR INJ')
    .split(' '),
);
const UPPER_WORDS = new Set(['APAP', 'HCTZ', 'ASA', 'SMX', 'TMP', 'HCL', 'HBR', 'ER', 'XR', 'XL', 'SR', 'CR', 'DR', 'LA', 'CD', 'ODT', 'DS', 'EC', 'IR', 'HC', 'HCT']);

/**
 * The more sure Tesseract was of a word, the fewer edits we may make to it: a confidently read
 * unknown word is more likely a drug missing from the lexicon than a misreading of a known one.
 */
const maxCorrection = (ocr: number): number => (ocr >= 0.85 ? 0.6 : ocr >= 0.6 ? 1.3 : 2);

/**
 * Matches a token against the lexicon; a hyphenated or slashed token ("Sulfamethoxazole-Trimethoprim")
 * matches when every part does, and is reported as the parts joined the same way.
 */
function matchCompound(raw: string, lexicon: DrugLexicon, limit: number): (WordMatch & { prefixed?: boolean }) | null {
  const plain = raw.normalize('NFD').replace(/[\u0300-\u036f]/g, ''); // "Hydroxyziné"
  const parts = plain.split(/([-/])/);
  if (parts.length === 1) {
    const m = lexicon.correctWord(plain);
    if (m?.cost === 0) return m;
    return slashReadAsStroke(plain, lexicon) ?? formGlued(plain, lexicon) ?? (m && m.cost <= limit ? m : null);
  }
  // A maker's prefix before a generic ("APO-ATORVASTATIN", "TEVA-LOSARTAN"): a short word the
  // lexicon does not know, joined to a drug it does. The drug is the name; the prefix is the maker.
  // Its letters may be read as the digits they look like ("BI0-OLMESARTAN", "B10-OLMESARTAN" for
  // BIO-, the two looks of a hard photo, batch 129900, named "B10-Olmesartan"): a word opening with
  // a letter is still a maker's, as no drug's name is glued to one by a hyphen.
  const head = parts[0]!;
  if (parts.length >= 3 && parts[1] === '-' && /^[A-Za-z][A-Za-z0-9]{0,5}$/.test(head) && lexicon.correctWord(head)?.kind !== 'drug') {
    const rest = matchCompound(parts.slice(2).join(''), lexicon, limit);
    if (rest?.kind === 'drug') return { ...rest, prefixed: true };
  }
  const words = parts.filter((_, i) => i % 2 === 0).map((p) => lexicon.correctWord(p));
  if (words.some((m) => m === null || m.cost > limit || m.ambiguous)) return null;
  const word = parts.map((p, i) => (i % 2 === 0 ? words[i / 2]!.word : p)).join('');
  const kind = words.some((m) => m!.kind === 'drug') ? 'drug' : 'salt';
  return { word, kind, cost: Math.max(...words.map((m) => m!.cost)), ambiguous: false };
}

/**
 * A combination's slash read as the stroke it looks like ("BUDESONIDEIFORMOTEROL" and
 * "BUDESONIDElFORMOTEROL" for BUDESONIDE/FORMOTEROL, a camera photo, fresh seed 118500, named after
 * a sticker word instead): the word is two ingredients' words spelt exactly, joined by an I, l,
 * 1 or |, and a combination the lexicon lists. Reported with its slash, as a repair (never exact).
 */
function slashReadAsStroke(word: string, lexicon: DrugLexicon): WordMatch | null {
  for (const m of word.matchAll(/[Il1|]/g)) {
    const [a, b] = [word.slice(0, m.index).toUpperCase(), word.slice(m.index! + 1).toUpperCase()];
    if (a.length < 4 || b.length < 4 || !lexicon.isIngredient(a) || !lexicon.isIngredient(b)) continue;
    const both = (e: { baseWords: readonly string[] }) => e.baseWords.includes(a) && e.baseWords.includes(b);
    if (lexicon.entriesFor([a, b]).some(both)) return { word: `${a}/${b}`, kind: 'drug', cost: 0.3, ambiguous: false };
  }
  return null;
}

/**
 * The form's abbreviation glued to the drug, its space lost ("5 TABALLOPURINOL 300mg" for "5 TAB
 * ALLOPURINOL", both looks of a hard photo, batch 128400, named "Taballopurinol"): the rest is a drug
 * word spelt exactly. A repair, never exact.
 */
function formGlued(word: string, lexicon: DrugLexicon): WordMatch | null {
  const g = word.match(/^(?:TABS?|CAPS?)([A-Z]{5,})$/i);
  const m = g ? lexicon.correctWord(g[1]!) : null;
  return m?.cost === 0 && m.kind === 'drug' && !m.ambiguous ? { ...m, cost: 0.3 } : null;
}

/** The fewest letters a drug word glued to its salt is taken from. */
const MIN_GLUED_DRUG = 5;

/**
 * A salt glued to the drug's name, the space between them lost ("VARDENAFILHCL 5 MG TABLET" for
 * VARDENAFIL HCL, both looks of a camera photo in a probe typeface, batch 172500, named
 * "Vardenafilhcl"): a drug word spelt exactly, then a salt word of three letters or more. The two
 * words, each a repair (never exact), and where the salt starts; null when the word is not so made.
 */
export function saltGlued(word: string, lexicon: DrugLexicon): { cut: number; drug: WordMatch; salt: WordMatch } | null {
  const up = word.toUpperCase();
  for (let cut = up.length - 3; cut >= MIN_GLUED_DRUG; cut--) {
    const salt = up.slice(cut);
    if (!SALT_WORDS.has(salt) || salt === 'AND') continue;
    const drug = lexicon.correctWord(up.slice(0, cut));
    if (drug?.cost === 0 && drug.kind === 'drug' && !drug.ambiguous) return { cut, drug: { ...drug, cost: 0.3 }, salt: { word: salt, kind: 'salt', cost: 0.3, ambiguous: false } };
  }
  return null;
}

/** The words of `seg.text[from, to)`, each matched against the lexicon within what its OCR confidence allows. */
export function tokensOf(seg: Segment, from: number, to: number, lexicon: DrugLexicon): Token[] {
  const out: Token[] = [];
  for (const m of seg.text.slice(from, to).matchAll(/[^\s,;:]+/g)) {
    // Marks around a word are edges and specks, but a stroke glued to a word's first letter is its
    // capital I or l ("|mitrex", "\mitrex" for Imitrex): the lexicon reads it as one (ocr-confusion.ts).
    const raw = m[0].replace(/^(?:(?![|\\!][A-Za-z])[^A-Za-z0-9])+|[^A-Za-z0-9]+$/g, '');
    if (!raw) continue;
    const start = from + m.index!;
    const end = start + m[0].length;
    const limit = maxCorrection(spanConfidence(seg, start, end));
    const match = matchCompound(raw, lexicon, limit);
    const glued = match?.cost === 0 ? null : saltGlued(raw, lexicon);
    if (glued) {
      const at = start + m[0].indexOf(raw) + glued.cut;
      out.push({ raw: raw.slice(0, glued.cut), start, end: at, match: glued.drug }, { raw: raw.slice(glued.cut), start: at, end, match: glued.salt });
    } else out.push({ raw, start, end, match });
  }
  return joinSplitWords(seg, out, lexicon);
}

/**
 * Glare and curvature split words ("Sitagl iptin", "Formot erol"): two neighbouring pieces that
 * neither is a drug word, joined, that make one, are one word. Judged at the lower OCR
 * confidence of the two, so the join is never trusted more than its worst piece.
 */
function joinSplitWords(seg: Segment, tokens: Token[], lexicon: DrugLexicon): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const [a, b] = [tokens[i]!, tokens[i + 1]];
    const weak = (t: Token) => t.match === null || (t.match.kind !== 'drug' && t.match.cost > 0);
    if (b && weak(a) && weak(b) && /^[A-Za-z]{2,}$/.test(a.raw) && /^[A-Za-z]{2,}$/.test(b.raw)) {
      const limit = maxCorrection(spanConfidence(seg, a.start, b.end));
      const m = matchCompound(a.raw + b.raw, lexicon, limit);
      if (m?.kind === 'drug' && !m.ambiguous) {
        out.push({ raw: a.raw + b.raw, start: a.start, end: b.end, match: { ...m, cost: m.cost + 0.3 } });
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

const prettyWord = (w: string): string => (UPPER_WORDS.has(w) ? (w === 'HCL' ? 'HCl' : w) : w[0]! + w.slice(1).toLowerCase());
/** "METFORMIN HCL" word by word -> "Metformin HCl"; keeps "-" and "/" joins. */
export const prettyName = (w: string): string => w.split(/([-/])/).map((p) => (p === '-' || p === '/' || p === '' ? p : prettyWord(p))).join('');
export const isForm = (t: Token): boolean => FORM_WORDS.has(t.raw.toUpperCase());
