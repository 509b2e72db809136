import { findDosages, findLetterDosages, type FoundDosage } from './dosage.parser.js';
import { SALT_WORDS, type DrugEntry, type DrugLexicon } from './drug.lexicon.js';
import { FORM_WORDS, isForm, prettyName, tokensOf, type Token } from './drug.tokens.js';
import { leadingLabel, MED_LABELS, streetAddress } from './label.keywords.js';
import { spanConfidence, type Segment } from './label.layout.js';
import { FIELD_START } from './sig.block.js';
import { lookalikeStrengths, lostPointStrengths, suggestStrength } from './strength.check.js';
import { LR, oneLook } from './evidence.js';
import { leadingCountEnd } from './label.quantity.js';
import type { ZeroRepair } from './glyph.zero.js';

const labelEnd = (text: string): number => leadingLabel(text, MED_LABELS)?.end ?? 0;

/** Where the drug's own words start: after a "Medication:" label, or after a count opening the line ("30 TAB …"). */
const bodyStartOf = (text: string): number => labelEnd(text) || leadingCountEnd(text);

/** Lines that name a drug but are not the dispensed one ("GENERIC FOR: BUSPAR", "Substitutes: Flonase"). */
const NOT_DRUG_LINE = /^\s*(?:GENERIC\s+FOR|GENERIC|SUBSTITUTES?|SUBST|COMPARE\s+TO|BRAND|SIMILAR\s+TO|INTERCHANGE|MFR|MFG|MANUFACTURER|FORM\s*:)/i;
/**
 * A pharmacy's street address: a house number, a word or three, then the street's kind ("15 Franklin
 * Ave, Yellowknife NT X1A 2N4"). Its house number is no count and its street no drug, even where a
 * scrap of the postcode reads as a strength ("X1A 2%": a mild photo, fresh seed 111600, whose count
 * came from the address). A count and its unit ("30 TAB …") are no house number.
 */
const STREET_ADDRESS = streetAddress('\\d{1,5}', '(?:AVE|AVENUE|ST|STREET|RD|ROAD|BLVD|BOULEVARD|LANE|LN|WAY|CRES|CRESCENT|CT|COURT|HWY|HIGHWAY|PL|PLACE|PKWY|PARKWAY)\\b\\.?,?(?=\\s|$)');

export interface DrugReading {
  name: string | null;
  /** Name certainty, 0..1: lexicon agreement combined with OCR confidence. */
  nameConfidence: number;
  dosage: string | null;
  dosageConfidence: number;
  form: string | null;
  /** Lexicon entries the name matches; empty when the drug is not in the lexicon. */
  entries: DrugEntry[];
  /** Where the name was read, and the character span of its words. */
  segment: Segment | null;
  span: [number, number] | null;
  /** Where the strength was read: the name's segment, or the line below it. */
  doseSegment: Segment | null;
  doseSpan: [number, number] | null;
  /** Every drug word was read exactly as the lexicon spells it (no correction). */
  nameExact: boolean;
  /** The strength's digits were read as digits (no look-alike letters repaired). */
  doseExact: boolean;
  /** The strength is one the lexicon lists for this drug: a check of the digits that does not look at the pixels. */
  doseListed: boolean;
  /** The one listed strength with 0s for some of the 6s read, and the glyphs to look at (glyph.zero.ts). */
  zeroRepair?: ZeroRepair;
  /** The strength is the one reading of letters for digits the drug is made in ("SONG" for 50 mg): listed, by choice. */
  doseFromLetters?: true;
  /** The strength given is none the drug is made in, and no listed one was near enough to offer. */
  doseUnlisted?: true;
}

const EMPTY: DrugReading = {
  name: null, nameConfidence: 0, dosage: null, dosageConfidence: 0, form: null, entries: [], segment: null, span: null, doseSegment: null, doseSpan: null, nameExact: false, doseExact: false, doseListed: false,
};

/** How strongly a segment looks like "DRUG STRENGTH FORM"; 0 when it cannot be one. */
export function drugLineScore(seg: Segment, lexicon: DrugLexicon): number {
  if (NOT_DRUG_LINE.test(seg.text) || FIELD_START.test(seg.text) || STREET_ADDRESS.test(seg.text)) return 0;
  const bodyStart = bodyStartOf(seg.text);
  const labelled = labelEnd(seg.text) > 0;
  const dose = findDosages(seg.text.slice(bodyStart))[0];
  const all = tokensOf(seg, bodyStart, dose ? bodyStart + dose.start : seg.text.length, lexicon);
  // Scraps before the name are passed over here as the name's own words are read (nameTokensOf).
  const head = all.slice(leadingScraps(seg, all));
  // A maker's name may come first ("SANDOZ ATORVASTATIN"): the drug word is then the second.
  const first = head[0]?.match?.kind === 'drug' ? head[0] : makerWord(head[0]) ? head[1] : head[0];
  const drugWord = first?.match?.kind === 'drug' && first.match.cost <= 1 && !isForm(first);
  let score = (labelled ? 3 : 0) + (dose ? 2 : 0) + (drugWord ? 3 - first!.match!.cost : 0);
  if (head.length === 0 || head.length > 6) score = Math.min(score, labelled ? 3 : 0);
  if (seg.text.split(/[\s,;:]+/).some((w) => FORM_WORDS.has(w.toUpperCase()))) score += 0.5;
  return score >= 2 ? score : 0;
}

/** The name's words up to the strength or form, without leading scraps; and how many scraps were dropped. */
function nameTokensOf(seg: Segment, head: Token[]): { tokens: Token[]; skipped: number } {
  const tokens: Token[] = [];
  for (const t of head) {
    if (isForm(t)) break;
    tokens.push(t);
  }
  // Glare and edges leave poorly read scraps before the name ("Sth PROPRANOLOL"); drop them
  // when a known drug follows, and let the lower confidence show it.
  let skipped = 0;
  if (tokens.length > 1 && makerWord(tokens[0]) && tokens[1]!.match?.kind === 'drug') {
    tokens.shift();
    skipped++;
  }
  const scraps = leadingScraps(seg, tokens);
  return { tokens: tokens.slice(scraps), skipped: skipped + scraps };
}

/**
 * How many poorly read scraps open the words before a known drug ("Sth PROPRANOLOL"; "i : Citalopram
 * 20", a "Drug:" caption misread, both looks of a hard photo, fresh seed 117600, where the line was
 * not taken for the drug line at all): glare and edges leave them; a drug word must follow within two.
 */
function leadingScraps(seg: Segment, tokens: Token[]): number {
  const scrap = (t: Token) => !t.match && (spanConfidence(seg, t.start, t.end) < 0.6 || !/[A-Za-z]{2}/.test(t.raw));
  let n = 0;
  while (tokens.length - n > 1 && scrap(tokens[n]!) && tokens.slice(n + 1, n + 3).some((t) => t.match?.kind === 'drug')) n++;
  return n;
}

/**
 * A maker's name printed before a generic ("SANDOZ ATORVASTATIN", "Mint Losartan"): a single
 * word of letters the lexicon does not know at all. Only ever skipped when a drug word follows.
 */
const makerWord = (t: Token | undefined): boolean => !!t && t.match === null && /^[A-Za-z]{2,8}$/.test(t.raw) && !isForm(t);

/**
 * A single letter that is a word of an ingredient's name right after the word before it
 * ("PENICILLIN V", "POLYMYXIN B", "AMPHOTERICIN B"): the lexicon matches no one-letter word, so
 * without this the letter was dropped and the name reported was another medicine's.
 */
function letterOfName(t: Token, before: Token | undefined, lexicon: DrugLexicon): boolean {
  if (!/^[A-Z]$/i.test(t.raw) || before?.match?.kind !== 'drug') return false;
  const pair = `${before.match.word} ${t.raw.toUpperCase()}`;
  return lexicon.entries.some((e) => e.name.split(/;\s*/).some((n) => n === pair || n.startsWith(pair + ' ')));
}

/** The name to report and the lexicon's evidence for it, as a likelihood ratio. */
function nameOf(tokens: Token[], skipped: number, lexicon: DrugLexicon, opensLine: boolean, strength: string | null): { words: string[]; ratio: number; inLexicon: boolean; exact: boolean; byStrength?: true } {
  const first = tokens[0]!;
  const knownWords = () => tokens.slice(1).filter((t) => t.match !== null && !t.match.ambiguous).map((t) => t.match!.word);
  // A drug word opening its line whose strength only a longer drug ending with it is made in: that
  // drug, its first letters cut off (`DrugLexicon.guessWord`). Offered for review, and its strength
  // is not checked against it: the strength chose it.
  const cut = first.match?.kind === 'drug' && opensLine && skipped === 0 ? lexicon.guessWord(first.match.word, true, strength) : null;
  if (cut) return { words: [cut, ...knownWords()], ratio: LR.lexiconGuess, inLexicon: true, exact: false, byStrength: true };
  if (first.match !== null && first.match.kind === 'drug' && !first.match.ambiguous) {
    // Keep the words the lexicon knows (drug, salt, release suffix); a garbled extra word is
    // dropped rather than printed wrong, since a missing salt is harmless and a wrong one is not.
    const kept = tokens.filter((t, i) => (t.match !== null && !t.match.ambiguous) || letterOfName(t, tokens[i - 1], lexicon));
    const worst = Math.max(...kept.filter((t) => t.match?.kind === 'drug').map((t) => t.match!.cost));
    let ratio = worst === 0 ? LR.lexiconExact : worst <= 0.6 ? LR.lexiconNear : LR.lexiconFar;
    // Scraps skipped or garbled words left out: the line was not read whole.
    if (kept.length < tokens.length || skipped > 0) ratio *= 0.7;
    // A clean word the lexicon does not know inside the name ("INSULIN ASPART" where only
    // INSULIN is known): the name reported is probably incomplete.
    if (tokens.some((t) => t.match === null && /^[A-Za-z]{4,}$/.test(t.raw))) ratio *= LR.unknownWordInName;
    return { words: kept.map((t) => t.match?.word ?? t.raw.toUpperCase()), ratio, inLexicon: true, exact: worst === 0 };
  }
  // A word read clearly that the lexicon cannot vouch for, yet one drug word is a single edit away
  // or ends with it (the first letters cut by the bottle's edge): the likelier name, offered for review.
  const guess = first.match === null ? lexicon.guessWord(first.raw, opensLine && skipped === 0, strength) : null;
  if (guess) return { words: [guess, ...knownWords()], ratio: LR.lexiconGuess, inLexicon: true, exact: false };
  // Not a drug we know: report it as printed, and never as certain.
  return { words: tokens.map((t) => t.raw.toUpperCase()).filter((w) => /[A-Z]{2,}/.test(w)), ratio: LR.lexiconUnknown, inLexicon: false, exact: false };
}

/** Metals an inorganic drug's name opens with, its anion the rest of the name (lithium carbonate, ferrous fumarate). */
const METAL_WORDS = new Set(['LITHIUM', 'FERROUS', 'FERRIC', 'ZINC', 'LANTHANUM', 'SILVER', 'BISMUTH', 'ALUMINUM']);

/**
 * A brand read from the label is reported as its ingredient ("PREVACID" -> "Lansoprazole"), the
 * name every label and record shares; only when the lexicon gives one single ingredient for it.
 * A combination brand ("NORCO", "MACROBID": two ingredients, or two forms of one) stays the brand
 * as printed: its ingredients run together make no name a label or a record uses.
 */
function genericOf(words: string[], entries: DrugEntry[], lexicon: DrugLexicon): string[] | null {
  if (words.some((w) => lexicon.isIngredient(w.split(/[-/]/)[0]!))) return null;
  const bases = new Set(entries.map((e) => e.baseWords.join(' ')));
  if (bases.size !== 1 || entries[0]!.name.includes(';')) return null;
  // Names said whole: an acid is the compound itself, not a salt of it (Depakene is Valproic Acid,
  // "Valproic" is no name), and a name that opens with its salt or a metal is said with it (Lumryz is
  // Sodium Oxybate, Iosat Potassium Iodide, Eskalith Lithium Carbonate: "Lithium" was reported at
  // 0.98 for a hard photo of probe-drugs batch 133200).
  const whole = entries[0]!.name.split(' ');
  return /^\S+ ACID$/.test(entries[0]!.name) || SALT_WORDS.has(whole[0]!) || METAL_WORDS.has(whole[0]!) ? whole : entries[0]!.baseWords;
}

/**
 * The form word of a product dispensed by weight on the drug line: a cream, an ointment, a gel, and a
 * spray's or an inhaler's canister ("Mometasone Furoate 50mcg nasal spray" / "17g"). Their strength
 * is a share or micrograms a dose, never grams.
 */
const WEIGHED_FORM = /\b(?:CREAM|CRM|OINT(?:MENT)?|GEL|PASTE|SPRAY|INHALER|INH|AEROSOL)\b/i;

/**
 * A strength printed alone at the start of the line below the name ("ATORVASTATIN CALCIUM" / "20 MG
 * TABLETS"). Not grams below the name of a product dispensed by weight (WEIGHED_FORM): grams there
 * are the tube or the canister, as British labels print it ("Mupirocin 2X cream" / "80g", a camera
 * photo of fresh seed 107700, its % read as an X: 80 g was taken for the strength and no quantity found).
 */
function strengthBelow(segments: Segment[], seg: Segment): { dose: FoundDosage; seg: Segment } | null {
  const below = segments.find((s) => s.line === seg.line + 1);
  const dose = below ? findDosages(below.text)[0] : undefined;
  if (dose && /^[\d.]+\s*g$/i.test(dose.text) && WEIGHED_FORM.test(seg.text)) return null;
  return below && dose && dose.start <= 1 ? { dose, seg: below } : null;
}

/**
 * A product line with its strength just above a generic name printed alone ("45 G Cortaid 1%" /
 * "hydrocortisone"): Canadian labels print the product dispensed, then its ingredient.
 */
function strengthAbove(segments: Segment[], seg: Segment): { dose: FoundDosage; seg: Segment } | null {
  const above = segments.find((s) => s.line === seg.line - 1 && findDosages(s.text.slice(leadingCountEnd(s.text))).length > 0);
  if (!above) return null;
  const from = leadingCountEnd(above.text);
  const dose = findDosages(above.text.slice(from))[0]!;
  return { dose: { ...dose, start: dose.start + from, end: dose.end + from }, seg: above };
}

/** The strengths read as letters on a drug's line just above `seg` ("APO-ALPRAZOLAN 0.25ng"), past a leading count. */
function lettersAbove(segments: Segment[], seg: Segment, lexicon: DrugLexicon): { letters: FoundDosage[]; seg: Segment } | null {
  const above = segments.find((s) => s.line === seg.line - 1);
  if (!above || drugLineScore(above, lexicon) === 0) return null;
  const from = leadingCountEnd(above.text);
  const letters = findLetterDosages(above.text.slice(from)).map((l) => ({ ...l, start: l.start + from, end: l.end + from }));
  return letters.length ? { letters, seg: above } : null;
}

/** A strength on its own labelled line ("Drug: LISINOPRIL" / "Strength: 10 MG"), as forms and kiosk labels print it. */
function strengthLabelled(segments: Segment[]): { dose: FoundDosage; seg: Segment } | null {
  for (const seg of segments) {
    const label = leadingLabel(seg.text, STRENGTH_LABELS);
    if (!label) continue;
    const dose = findDosages(seg.text.slice(label.end))[0];
    if (dose && seg.text.slice(label.end, label.end + dose.start).trim() === '') return { dose: { ...dose, start: dose.start + label.end, end: dose.end + label.end }, seg };
  }
  return null;
}
const STRENGTH_LABELS = ['STRENGTH'] as const;

/**
 * Just after a strength, a "/" and a number or volume not read with it ("15MG/S ML", "15mg/5 mm",
 * "5 mg/325 mg"): a per-volume part or a second ingredient's strength was printed and lost, so what
 * is reported is half of the strength. A per-piece word ("10 MG/TAB") is not a second half.
 */
const HALF_UNREAD = /^\s*\/\s*(?:\d|[^\s\d]{1,2}\s*M?L\b)/i;

/**
 * Right after a number and unit, how or when a dose is taken: a route ("UNDER THE SKIN", "BY MOUTH",
 * "INTO EACH EYE", "TO THE AFFECTED AREA") or a time ("DAILY", "TWICE", "EVERY", "AT BEDTIME",
 * "IN THE MORNING", "WITH FOOD", "AS NEEDED"). A strength is followed by the form, a volume or
 * nothing; a number and unit followed by these is a dose from the directions, wherever the verb went.
 */
export const DIRECTIONS_AFTER = new RegExp(
  '^\\s*[,.]?\\s*(?:' +
    [
      'UNDER\\s+THE\\s+(?:SKIN|TONGUE)', 'SUBCUTANEOUSLY', 'SUBCUT', 'INTRAMUSCULARLY', 'BY\\s+MOUTH', 'ORALLY', 'SUBLINGUALLY', 'RECTALLY', 'VAGINALLY',
      'IN(?:TO)?\\s+(?:EACH|BOTH|THE|LEFT|RIGHT|AFFECTED)\\b', 'TO\\s+(?:THE\\s+)?(?:AFFECTED|SKIN|EACH|BOTH)', 'VIA\\s+NEBULI[SZ]ER',
      'DAILY', 'NIGHTLY', 'ONCE', 'TWICE', '(?:THREE|FOUR|[1-6])\\s+TIMES', 'EVERY', 'EACH\\s+(?:MORNING|EVENING|NIGHT|DAY)', 'AT\\s+(?:BEDTIME|NIGHT)',
      'WITH\\s+(?:FOOD|MEALS?|WATER|BREAKFAST)', '(?:BEFORE|AFTER)\\s+(?:MEALS?|BREAKFAST|BED)', 'AS\\s+NEEDED', 'QHS', 'PRN', 'Q\\d{1,2}H',
    ].join('|') +
    ')(?![A-Z])',
  'i',
);

/** Whole masses of 100 or more not ending in 0 or 5 ("363 mg"): the shape of a lost point or a misread last 0. */
const unusualDigits = (dose: FoundDosage): boolean =>
  /^[\d-]+ (?:mg|mcg)\b/.test(dose.text) && dose.text.split(' ')[0]!.split('-').some((n) => n.length >= 3 && !/[05]$/.test(n));

/** Product suffixes and joining words: never part of the ingredient's name in the lexicon, yet printed. */
const NAME_SUFFIX = /^(?:ER|XR|XL|SR|CR|DR|LA|CD|ODT|DS|EC|IR|HCT|HFA|EXTENDED|DELAYED|RELEASE|AND|RECOMBINANT)$/;
const SALT_ABBREVIATIONS: Record<string, string> = { HCL: 'HYDROCHLORIDE', HBR: 'HYDROBROMIDE' };

/** Salt words read after the drug that none of its lexicon entries (names or brands) has. */
function strayWords(words: string[], entries: DrugEntry[]): string[] {
  if (entries.length === 0) return [];
  const known = new Set(entries.flatMap((e) => [e.name, ...e.brands].flatMap((n) => n.toUpperCase().split(/[;\s,\-/]+/))));
  return words.slice(1).filter((w) => SALT_WORDS.has(w) && !NAME_SUFFIX.test(w) && !known.has(w) && !known.has(SALT_ABBREVIATIONS[w] ?? ''));
}

/**
 * Reads name, strength and form from the best drug line that names something: a field label
 * printed alone ("MEDICATION" as the second line of a sticker beside the drug line) scores as a
 * labelled line but holds no name, so the next best line is read.
 */
export function findDrug(segments: Segment[], lexicon: DrugLexicon): DrugReading {
  const ranked = segments
    .map((s) => ({ s, score: drugLineScore(s, lexicon) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score);
  for (const { s } of ranked) {
    const read = readDrugLine(s, segments, lexicon);
    if (read) return read;
  }
  return EMPTY;
}

/** A modal verb after a drug's word: the line is a sentence about the word, not the drug's line. */
const MODAL_VERB = /^(?:MAY|CAN|COULD|MIGHT|MUST|SHOULD|WILL)$/i;

function readDrugLine(seg: Segment, segments: Segment[], lexicon: DrugLexicon): DrugReading | null {
  const bodyStart = bodyStartOf(seg.text);
  const found = findDosages(seg.text.slice(bodyStart))[0];
  let dose = found ? { ...found, start: found.start + bodyStart, end: found.end + bodyStart } : undefined;
  // "ARIPIPRAZOLE Smg", "MIRTAZAPINE 1SMG": the strength's digits read as letters; the name ends
  // before it either way.
  const lettered = found ? [] : findLetterDosages(seg.text.slice(bodyStart));
  const gluedToDrug = (l: FoundDosage) => lexicon.correctWord(seg.text.slice(bodyStart, l.start + bodyStart).split(/\s+/).pop()!)?.cost === 0;
  const letters = lettered.filter((l) => !l.nameGlued || gluedToDrug(l)).map((l) => ({ ...l, start: l.start + bodyStart, end: l.end + bodyStart }));
  const head = tokensOf(seg, bodyStart, dose ? dose.start : letters[0] ? letters[0].start : seg.text.length, lexicon);
  const { tokens, skipped } = nameTokensOf(seg, head);
  if (tokens.length === 0) return null;
  // A name followed by a modal verb opens a sentence: a warning sticker's ("ALCOHOL MAY" / "INTENSIFY
  // THIS EFFECT." beside the drug line, whose "1mg" was read as "img", gave Alcohol at 0.98 in both
  // looks of a camera photo, fresh seed 145800). No drug line goes on so after the drug's name.
  const drugAt = tokens.findIndex((t) => t.match?.kind === 'drug');
  if (drugAt >= 0 && MODAL_VERB.test(tokens[drugAt + 1]?.raw ?? '')) return null;
  const named = nameOf(tokens, skipped, lexicon, !/[A-Za-z0-9]/.test(seg.text.slice(0, tokens[0]!.start)), found?.key ?? null);
  let words = named.words;
  if (words.length === 0) return null;
  let entries = named.inLexicon ? lexicon.entriesFor(words.flatMap((w) => w.split(/[-/]/))) : [];
  // A brand whose name holds a form word or an abbreviation the name's words leave out ("BYNFEZIA
  // PEN", "SEROSTIM LQ", "ZOFRAN ODT": probe-drugs batch 149400, named by the brand's first word
  // alone, unsure): looked up with every word before the strength.
  if (named.inLexicon && entries.length === 0) entries = lexicon.entriesFor(head.map((t) => t.raw));
  // A combination named whole ("HYDROCODONE/APAP") is that product, not each of its ingredients
  // alone: its strength is checked against the combination's ("5-325"), so "325 mg", its second
  // part read without the first, is not taken as acetaminophen's listed 325 mg.
  // (Distinct drugs: Cipro XR, two forms of ciprofloxacin, is no combination of ciprofloxacin.)
  const drugsOf = (e: DrugEntry) => new Set(e.baseWords);
  entries = entries.filter((e) => !entries.some((o) => drugsOf(o).size > drugsOf(e).size && e.baseWords.every((w) => drugsOf(o).has(w))));
  // Known words that make up no whole ingredient ("GLARGINE" without INSULIN): a word was lost.
  if (named.inLexicon && entries.length === 0) named.ratio *= LR.incompleteIngredient;
  // A salt the drug is not made with is a misread one ("TRAMADOL HC" for HCl): left out, as a
  // garbled word is, since a missing salt is harmless and a wrong one is not.
  const stray = strayWords(words, entries);
  if (stray.length > 0) {
    words = words.filter((w) => !stray.includes(w));
    named.ratio *= LR.strayWordLeftOut;
  }
  words = genericOf(words, entries, lexicon) ?? words;
  const nameOcr = spanConfidence(seg, tokens[0]!.start, tokens[tokens.length - 1]!.end);
  const nameConfidence = oneLook(nameOcr, named.ratio);
  let doseSeg: Segment = seg;
  // Taken only as a strength the drug is made in, and only when one reading is ("S5mg": 5 or 55),
  // and doubted: the digit was not read but inferred.
  const madeIn = (ls: FoundDosage[]) => ls.filter((l) => entries.some((e) => e.strengths.has(l.key ?? '')));
  const oneOf = (ls: FoundDosage[]) => (new Set(ls.map((l) => l.key)).size === 1 ? ls[0]! : undefined);
  let fromLetter = false;
  if (!dose) {
    dose = oneOf(madeIn(letters));
    fromLetter = !!dose;
  }
  if (!dose) {
    const near = strengthBelow(segments, seg) ?? strengthAbove(segments, seg) ?? strengthLabelled(segments);
    if (near) [dose, doseSeg] = [near.dose, near.seg];
  }
  // Letters read for a strength on the product's line just above a generic printed alone, as Canadian
  // labels print it, are taken as on the line itself ("APO-ALPRAZOLAN 0.25ng Qty: 7" / "(Alprazolam)"
  // in both looks of a hard photo, fresh seed 148200: the generic's line was taken, no strength read).
  const above = !dose && letters.length === 0 ? lettersAbove(segments, seg, lexicon) : null;
  if (above) {
    dose = oneOf(madeIn(above.letters));
    if (dose) [doseSeg, fromLetter] = [above.seg, true];
  }
  let dosageConfidence = 0;
  let doseListed = false;
  let unlisted = false;
  let zeroRepair: ZeroRepair | undefined;
  if (dose) {
    const ocr = spanConfidence(doseSeg, dose.start, dose.end);
    const strengths = new Set(entries.flatMap((e) => [...e.strengths]));
    // "15MG/5 MM": a per-volume part follows that the strength was not read with; or it was read
    // only by repairing it ("15MG/S ML", dosage.parser.ts): either way the concentration is not sure.
    const halfRead = HALF_UNREAD.test(doseSeg.text.slice(dose.end)) || !!dose.perRepaired;
    // "19 UNITS UNDER THE SKIN": a dose from directions whose verb was lost, not a strength.
    const inDirections = DIRECTIONS_AFTER.test(doseSeg.text.slice(dose.end));
    const point = (dose.lostPoint ? LR.decimalPointLost : 1) * (halfRead ? LR.volumeUnread : 1) * (inDirections ? LR.doseInDirections : 1);
    // Unchecked when the strength chose the name: the table would only agree with itself.
    const checked = !named.byStrength;
    const listed = checked && dose.key !== null && strengths.has(dose.key);
    // What a listed strength's table check is worth: less when a look-alike digit or a lost point
    // ("25MG" for methotrexate 2.5 mg: the drug is made in both) lands on a listed strength too.
    const listedRatio = (d: FoundDosage) => (lostPointStrengths(d, strengths).length > 0 ? LR.strengthPointTwin : lookalikeStrengths(d, strengths).length > 0 ? LR.strengthListedTwin : LR.strengthListed);
    const ratio = listed ? listedRatio(dose) : 0;
    doseListed = listed && !fromLetter && !dose.lostPoint && !halfRead && ratio === LR.strengthListed && !inDirections;
    if (fromLetter) dosageConfidence = oneLook(ocr, LR.letterRepaired);
    else if (listed) dosageConfidence = oneLook(ocr, ratio, point);
    else if (checked && entries.length > 0 && strengths.size > 0) {
      // The drug is not made in that strength: a misread digit. Offer the one real strength it
      // could be, but leave the field for a person to confirm.
      const read = dose;
      dose = suggestStrength(dose, strengths, doseSeg.text.slice(dose.start, dose.end)) ?? dose;
      unlisted = dose.key === null || !strengths.has(dose.key);
      dosageConfidence = oneLook(ocr, LR.strengthUnlisted, inDirections ? LR.doseInDirections : 1);
      // The one listed strength with 0s for some of its 6s, whether or not another look-alike is
      // listed too ("160 MG" of pregabalin: 100 or 150): its glyphs can say which (glyph.zero.ts).
      // Not when one with an 8 for a 6 is listed too: a ring cut by a mark has the two holes of an 8.
      const lookalikes = read.repaired || read.lostPoint || halfRead || inDirections ? [] : lookalikeStrengths(read, strengths);
      const zeros = lookalikes.flatMap((to) => {
        const places = zerosReadAsSix(doseSeg, read, to);
        return places ? [{ ...places, dosage: to.text, confidence: oneLook(ocr, listedRatio(to)) }] : [];
      });
      if (zeros.length === 1 && !lookalikes.some((to) => [...to.text].some((c, i) => c === '8' && read.text[i] === '6'))) zeroRepair = zeros[0];
    } else dosageConfidence = oneLook(ocr, point, LR.strengthUnchecked, unusualDigits(dose) ? LR.strengthUnusualDigits : 1);
  }
  const nameEnd = tokens[tokens.length - 1]!.end;
  const formTok = [...tokensOf(doseSeg, dose ? dose.end : nameEnd, doseSeg.text.length, lexicon), ...head].find(isForm);
  return {
    name: words.map(prettyName).join(' '),
    nameConfidence: Math.max(0, Math.min(1, nameConfidence)),
    dosage: dose?.text ?? null,
    dosageConfidence,
    form: formTok ? formTok.raw.toLowerCase() : null,
    entries,
    segment: seg,
    span: [tokens[0]!.start, doseSeg === seg && dose ? dose.end : nameEnd],
    doseSegment: dose ? doseSeg : null,
    doseSpan: dose ? [dose.start, dose.end] : null,
    nameExact: named.exact,
    doseExact: !!dose && !dose.repaired,
    doseListed,
    ...(zeroRepair && { zeroRepair }),
    ...(fromLetter && { doseFromLetters: true }),
    ...(unlisted && { doseUnlisted: true }),
  };
}

/**
 * Where the strength offered (`to`, "500 mg") has a 0 for each 6 of the one read (`read`, "560mg"),
 * all in one word: that word and the places; null for any other repair.
 */
function zerosReadAsSix(seg: Segment, read: FoundDosage, to: FoundDosage): Pick<ZeroRepair, 'word' | 'indices'> | null {
  const printed = seg.text.slice(read.start, read.end).match(/^\d+/)?.[0];
  const offered = to.text.match(/^\d+/)?.[0];
  if (!printed || !offered || printed.length !== offered.length || to.text.slice(offered.length) !== read.text.slice(printed.length)) return null;
  const places = [...printed].map((c, i) => (c === offered[i] ? -1 : c === '6' && offered[i] === '0' ? read.start + i : -2)).filter((p) => p !== -1);
  if (places.length === 0 || places.includes(-2)) return null;
  const w = seg.words.findIndex((word, i) => seg.starts[i]! <= places[0]! && places[0]! < seg.starts[i]! + word.text.length);
  if (w < 0 || places.some((p) => p >= seg.starts[w]! + seg.words[w]!.text.length)) return null;
  return { word: seg.words[w]!, indices: places.map((p) => p - seg.starts[w]!) };
}
