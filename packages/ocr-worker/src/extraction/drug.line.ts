import { findDosages, type FoundDosage } from './dosage.parser.js';
import { suggestStrength } from './strength.check.js';
import type { DrugEntry, DrugLexicon, WordMatch } from './drug.lexicon.js';
import { spanConfidence, type Segment } from './label.layout.js';
import { FIELD_START } from './sig.block.js';
import { leadingLabel, MED_LABELS } from './label.keywords.js';

const labelEnd = (text: string): number => leadingLabel(text, MED_LABELS)?.end ?? 0;

/** Lines that name a drug but are not the dispensed one ("GENERIC FOR: BUSPAR", "Substitutes: Flonase"). */
const NOT_DRUG_LINE = /^\s*(?:GENERIC\s+FOR|GENERIC|SUBSTITUTES?|SUBST|COMPARE\s+TO|BRAND|SIMILAR\s+TO|INTERCHANGE|MFR|MFG|MANUFACTURER|FORM\s*:)/i;
export const FORM_WORDS = new Set(
  ('TABLET TABLETS TAB TABS CAPSULE CAPSULES CAP CAPS SOLUTION SUSPENSION SYRUP ELIXIR CREAM OINTMENT GEL LOTION ' +
    'INHALER AEROSOL SPRAY NASAL PATCH DROPS DROP OPHTHALMIC OTIC SUPPOSITORY POWDER GRANULES LOZENGE FILM INJECTION PEN KIT LIQUID ORAL CHEWABLE ODT')
    .split(' '),
);
const UPPER_WORDS = new Set(['APAP', 'HCTZ', 'ASA', 'SMX', 'TMP', 'HCL', 'HBR', 'ER', 'XR', 'XL', 'SR', 'CR', 'DR', 'LA', 'CD', 'ODT', 'DS', 'EC', 'IR', 'HC', 'HCT']);

export interface DrugReading {
  name: string | null;
  /** Name certainty, 0..1: lexicon agreement combined with OCR confidence. */
  nameConfidence: number;
  dosage: string | null;
  dosageConfidence: number;
  form: string | null;
  /** Lexicon entries the name matches; empty when the drug is not in the lexicon. */
  entries: DrugEntry[];
  segment: Segment | null;
  /** Character span from the first name word to the end of the strength. */
  span: [number, number] | null;
}

const EMPTY: DrugReading = { name: null, nameConfidence: 0, dosage: null, dosageConfidence: 0, form: null, entries: [], segment: null, span: null };

interface Token { raw: string; start: number; end: number; match: WordMatch | null }

/**
 * The more sure Tesseract was of a word, the fewer edits we may make to it: a confidently read
 * unknown word is more likely a drug missing from the lexicon than a misreading of a known one.
 */
const maxCorrection = (ocr: number): number => (ocr >= 0.85 ? 0.6 : ocr >= 0.6 ? 1.3 : 2);

/**
 * Matches a token against the lexicon; a hyphenated or slashed token ("Sulfamethoxazole-Trimethoprim")
 * matches when every part does, and is reported as the parts joined the same way.
 */
function matchCompound(raw: string, lexicon: DrugLexicon, limit: number): WordMatch | null {
  const plain = raw.normalize('NFD').replace(/[\u0300-\u036f]/g, ''); // "Hydroxyziné"
  const parts = plain.split(/([-/])/);
  if (parts.length === 1) {
    const m = lexicon.correctWord(plain);
    return m && m.cost <= limit ? m : null;
  }
  const words = parts.filter((_, i) => i % 2 === 0).map((p) => lexicon.correctWord(p));
  if (words.some((m) => m === null || m.cost > limit || m.ambiguous)) return null;
  const word = parts.map((p, i) => (i % 2 === 0 ? words[i / 2]!.word : p)).join('');
  const kind = words.some((m) => m!.kind === 'drug') ? 'drug' : 'salt';
  return { word, kind, cost: Math.max(...words.map((m) => m!.cost)), ambiguous: false };
}

function tokensOf(seg: Segment, from: number, to: number, lexicon: DrugLexicon): Token[] {
  const out: Token[] = [];
  for (const m of seg.text.slice(from, to).matchAll(/[^\s,;:]+/g)) {
    const raw = m[0].replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
    if (!raw) continue;
    const start = from + m.index!;
    const end = start + m[0].length;
    const limit = maxCorrection(spanConfidence(seg, start, end));
    out.push({ raw, start, end, match: matchCompound(raw, lexicon, limit) });
  }
  return out;
}

const prettyWord = (w: string): string => (UPPER_WORDS.has(w) ? (w === 'HCL' ? 'HCl' : w) : w[0]! + w.slice(1).toLowerCase());
const pretty = (w: string): string => w.split(/([-/])/).map((p) => (p === '-' || p === '/' || p === '' ? p : prettyWord(p))).join('');
const isForm = (t: Token) => FORM_WORDS.has(t.raw.toUpperCase());

/** How strongly a segment looks like "DRUG STRENGTH FORM"; 0 when it cannot be one. */
export function drugLineScore(seg: Segment, lexicon: DrugLexicon): number {
  if (NOT_DRUG_LINE.test(seg.text) || FIELD_START.test(seg.text)) return 0;
  const bodyStart = labelEnd(seg.text);
  const labelled = bodyStart > 0;
  const dose = findDosages(seg.text.slice(bodyStart))[0];
  const head = tokensOf(seg, bodyStart, dose ? bodyStart + dose.start : seg.text.length, lexicon);
  const first = head[0];
  const drugWord = first?.match?.kind === 'drug' && first.match.cost <= 1;
  let score = (labelled ? 3 : 0) + (dose ? 2 : 0) + (drugWord ? 3 - first!.match!.cost : 0);
  if (head.length === 0 || head.length > 6) score = Math.min(score, labelled ? 3 : 0);
  if (tokensOf(seg, 0, seg.text.length, lexicon).some(isForm)) score += 0.5;
  return score >= 2 ? score : 0;
}

/** Reads name, strength and form from the best drug line. */
export function findDrug(segments: Segment[], lexicon: DrugLexicon): DrugReading {
  let bestSeg: Segment | null = null;
  let bestScore = 0;
  for (const seg of segments) {
    const s = drugLineScore(seg, lexicon);
    if (s > bestScore) [bestSeg, bestScore] = [seg, s];
  }
  if (!bestSeg) return EMPTY;
  const seg = bestSeg;
  const bodyStart = labelEnd(seg.text);
  let dose: FoundDosage | undefined = findDosages(seg.text.slice(bodyStart))[0];
  if (dose) dose = { ...dose, start: dose.start + bodyStart, end: dose.end + bodyStart };
  const head = tokensOf(seg, bodyStart, dose ? dose.start : seg.text.length, lexicon);
  const nameTokens: Token[] = [];
  for (const t of head) {
    if (isForm(t)) break;
    nameTokens.push(t);
  }
  // Glare and edges leave poorly read scraps before the name ("Sth PROPRANOLOL"); drop them
  // when a known drug follows, and let the lower confidence show it.
  let skipped = 0;
  const scrap = (t: Token) => !t.match && (spanConfidence(seg, t.start, t.end) < 0.6 || !/[A-Za-z]{2}/.test(t.raw));
  while (nameTokens.length > 1 && scrap(nameTokens[0]!) && nameTokens.slice(1, 3).some((t) => t.match?.kind === 'drug')) {
    nameTokens.shift();
    skipped++;
  }
  const first = nameTokens[0];
  if (!first) return EMPTY;
  const inLexicon = first.match !== null && first.match.kind === 'drug' && !first.match.ambiguous;
  let words: string[];
  let lexiconAgreement: number;
  if (inLexicon) {
    // Keep the words the lexicon knows (drug, salt, release suffix); a garbled extra word is
    // dropped rather than printed wrong, since a missing salt is harmless and a wrong one is not.
    const kept = nameTokens.filter((t) => t.match !== null && !t.match.ambiguous);
    words = kept.map((t) => t.match!.word);
    const worst = Math.max(...kept.filter((t) => t.match!.kind === 'drug').map((t) => t.match!.cost));
    lexiconAgreement = worst === 0 ? 1 : worst <= 0.6 ? 0.93 : 0.75;
    if (kept.length < nameTokens.length || skipped > 0) lexiconAgreement -= 0.05;
  } else {
    // Not a drug we know: report it as printed, and never as certain.
    words = nameTokens.map((t) => t.raw.toUpperCase()).filter((w) => /[A-Z]{2,}/.test(w));
    lexiconAgreement = 0.55;
  }
  if (words.length === 0) return EMPTY;
  const entries = inLexicon ? lexicon.entriesFor(words.flatMap((w) => w.split(/[-/]/))) : [];
  const nameOcr = spanConfidence(seg, nameTokens[0]!.start, nameTokens[nameTokens.length - 1]!.end);
  // An exact lexicon word is strong evidence even when Tesseract was unsure of it.
  const nameConfidence = Math.min(lexiconAgreement, lexiconAgreement === 1 ? Math.max(nameOcr, 0.9) : nameOcr + 0.15);

  let dosageConfidence = 0;
  if (dose) {
    const ocr = spanConfidence(seg, dose.start, dose.end);
    const strengths = new Set(entries.flatMap((e) => [...e.strengths]));
    const known = dose.key !== null && strengths.has(dose.key);
    if (known) dosageConfidence = Math.min(1, Math.max(ocr, 0.6) + 0.3);
    else if (entries.length > 0) {
      // The drug is not made in that strength: a misread digit. Offer the one real strength it
      // could be, but leave the field for a person to confirm.
      dose = suggestStrength(dose, strengths) ?? dose;
      dosageConfidence = Math.min(0.6, ocr);
    } else dosageConfidence = Math.min(0.8, ocr);
  }
  const after = tokensOf(seg, dose ? dose.end : nameTokens[nameTokens.length - 1]!.end, seg.text.length, lexicon);
  const formTok = after.find(isForm) ?? head.find(isForm);
  return {
    name: words.map(pretty).join(' '),
    nameConfidence: Math.max(0, Math.min(1, nameConfidence)),
    dosage: dose?.text ?? null,
    dosageConfidence,
    form: formTok ? formTok.raw.toLowerCase() : null,
    entries,
    segment: seg,
    span: [nameTokens[0]!.start, dose ? dose.end : nameTokens[nameTokens.length - 1]!.end],
  };
}
