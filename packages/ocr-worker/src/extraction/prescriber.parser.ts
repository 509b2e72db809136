import { spanConfidence, type Segment } from './label.layout.js';
import type { FieldHit } from './label.fields.js';
import { streetAddress } from './label.keywords.js';

// "Mp" is how Tesseract often reads a small "MD". Never followed by digits: "Pittsburgh, PA 15213" is an address.
// Nor by NOT: "1 TIME A DAY DO NOT CRUSH" is a warning, whose DO is no osteopath's.
export const CREDENTIAL = '(?:M\\.?D|Mp|D\\.?O|N\\.?P|PA-C|PA|APRN|FNP(?:-C)?|DNP|DDS|DMD|OD|DPM|RPH|CNM|NP-C)(?![A-Za-z0-9]|\\s*\\d|\\s+NOT\\b)';
// An O before an apostrophe is often read as 0 ("0'Brien"), and so is one between letters ("Z0E"):
// names hold no digits.
const NAME_WORD = "(?:[A-Z]|0(?=['’]))(?:[A-Za-z'’-]|0(?=[A-Za-z]))*\\.?";
// A point may end a word with no space after it ("DR.F.NGUYEN"): the next word starts there.
const NAME = `${NAME_WORD}(?:(?:\\s+|(?<=\\.))${NAME_WORD}){0,3}`;
// Label words that end a name when columns run together on one line.
// QTY as it is often read (OTY, QIY, "(TY"), and the NO of "No refills", end a name too.
const CAPTION = '(?:DISCARD|DATE|FILL(?:ED)?|[QO0][TI1][YV]|QUANTITY|DISP(?:ENSED)?|(?:NO\\s+)?REFILLS?|RF|RX|MEDICATION|PRESCRIPTION|NDC|MFR|MFG|USE|EXP|PHONE|TEL|DEA|NPI|DAYS?\\s+SUPPLY|SUPPLY|DO\\s+NOT)';
const STOP = new RegExp(`(?:\\([TI1][YV]\\b|\\b${CAPTION}\\b).*$`, 'i');
// The same caption printed in capitals with the space before it lost ("Dr. Fatima BergeronDISCARD
// AFTER: 05/20/2025"): a small letter then a capitalised caption word starts no name word.
const GLUED_STOP = new RegExp(`(?<=[a-z])${CAPTION}(?![a-z]).*$`);
/** Words of neighbouring fields that can precede a name on the same line ("QTY 60 1 REFILLS LEFT CARLOS NGUYEN, MD"). */
const NOT_NAME = /^(?:.*\d.*|.*:|REFILLS?|NOREFILLS?|REFILL\(S\)|LEFT|REMAINING|NO|NONE|QTY|RF|AUTH|AUTHORIZATION|REQUIRED|NEEDED|DR|BEFORE|EXPIRES|TABLETS?|CAPSULES?)$/i;

// "Dr." read as "Or." (or "0r."): only so written, a capital and a small r and the point, before
// capitalised name words; "or." in running text is followed by a small letter.
const MISREAD_TITLE = '(?:^|\\s)[O0]r\\.';
// The space after the title lost: "DrR Young". A small r then a capital starts no word.
const GLUED_TITLE = '(?:^|\\s)[DO0]r(?=[A-Z])';
/** A match that holds a title: the name after it is a surname at least, not a lost part. */
const TITLED = [/\b(?:DR|DOCTOR)\b/i, new RegExp(MISREAD_TITLE, 'i'), new RegExp(GLUED_TITLE)];

type Order = 'as-is' | 'last-first' | 'before-credential';
const PATTERNS: { re: RegExp; pattern: number; order: Order }[] = [
  { re: new RegExp(`\\b(?:PRESCRIBER|PRESCRIBED\\s+BY|PRESCRIBING\\s+(?:DR|DOCTOR|PROVIDER)|DOCTOR|PHYSICIAN|PROVIDER)\\s*[:.]?\\s*(.+)$`, 'i'), pattern: 1, order: 'as-is' },
  { re: new RegExp(`(?:^|\\s)(${NAME_WORD}),\\s*(${NAME_WORD}(?:\\s+[A-Z]\\.?)?)\\s*,?\\s+${CREDENTIAL}\\b`), pattern: 1, order: 'last-first' },
  // Canadian systems print the surname first after the title: "Dr. Clarke, Amara".
  { re: new RegExp(`\\b(?:DR|DOCTOR)\\b\\.?\\s*(${NAME_WORD}),\\s*(${NAME_WORD}(?:\\s+[A-Z]\\.?)?)(?![A-Za-z])`, 'i'), pattern: 0.95, order: 'last-first' },
  { re: new RegExp(`\\bDR\\b\\.?\\s*(${NAME})`, 'i'), pattern: 0.95, order: 'as-is' },
  { re: new RegExp(`(${NAME}),?\\s+${CREDENTIAL}`), pattern: 0.9, order: 'before-credential' },
  { re: new RegExp(`${MISREAD_TITLE}\\s*(${NAME_WORD}),\\s*(${NAME_WORD}(?:\\s+[A-Z]\\.?)?)(?![A-Za-z])`), pattern: 0.9, order: 'last-first' },
  { re: new RegExp(`${MISREAD_TITLE}\\s*(${NAME})`), pattern: 0.9, order: 'as-is' },
  { re: new RegExp(`${GLUED_TITLE}(${NAME})`), pattern: 0.9, order: 'as-is' },
];
/** Each pattern tried at every place on a line: "No Refills - Dr. Authorization Required DR. SOFIA DUBOIS". */
const EVERYWHERE = PATTERNS.map((p) => ({ ...p, re: new RegExp(p.re.source, `${p.re.flags}g`) }));

// A title's D is often read as O or 0 ("Or. Margot Russo"); with its point it is no name word.
const TITLE = new RegExp(`^(?:DR\\.?|[O0]R\\.|DOCTOR)\\s+|,?\\s+${CREDENTIAL}\\.?$`, 'gi');

const PAREN_CREDENTIAL = new RegExp(`\\s*\\(\\s*${CREDENTIAL}\\.?\\s*\\)`, 'gi');

const titleCase = (w: string): string => (w.length <= 2 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase());

/** "SMITH, SARAH MD" -> "Sarah Smith"; "DR. P. BROWN" -> "P. Brown"; null if no name is left. */
export function cleanPrescriberName(raw: string, order: Order = 'as-is'): string | null {
  // An initial or a title keeps its point but loses the space after it ("P.DUBOIS", "Dr.lena
  // Lee"): the point ends the word, so a name word starts after it.
  // So may both points of a title and an initial ("DR.L.ROMERO").
  let s = raw.trim().replace(/(?<=^|[\s,.])([A-Za-z]{1,2})\.(?=[A-Za-z]{2}|[A-Za-z]\.[A-Za-z]{2})/g, '$1. ');
  // An initial with neither point nor space before a capitalised surname ("Dr ATanaka"): no name
  // opens with two capitals and then small letters.
  s = s.replace(/(?<=^|\s)([A-Z])(?=[A-Z][a-z]{2,}(?![A-Za-z]*[A-Z]))/g, '$1 ');
  if (order === 'before-credential') {
    // Before a credential the name is the last few words; other fields may precede it.
    const tokens = s.split(/\s+/);
    const cut = tokens.reduce((at, w, i) => (NOT_NAME.test(w.replace(/[,;]$/, '')) && !/^DR\.?$/i.test(w) ? i + 1 : at), 0);
    s = tokens.slice(cut).join(' ');
  }
  s = s.replace(GLUED_STOP, '').replace(STOP, '').trim().replace(/(^|[\s,])0(?=['’][A-Za-z])/g, '$1O').replace(/(?<=[A-Za-z])0(?=[A-Za-z])/g, 'O');
  // A credential in brackets ("Clarke, Amara (MD)") is no name word either.
  s = s.replace(PAREN_CREDENTIAL, '').trim();
  for (let i = 0; i < 3; i++) s = s.replace(TITLE, '').trim();
  s = s.replace(/,?\s+Mp$/, '');
  s = s.replace(/[,;:]+$/, '').trim();
  const comma = s.match(/^([^,]+),\s*(.+)$/);
  let words: string[];
  if (comma && (order === 'last-first' || !/\s/.test(comma[1]!.trim()))) words = [...comma[2]!.split(/\s+/), comma[1]!.trim()];
  else words = s.split(/\s+/);
  words = words.map((w) => w.replace(/[^A-Za-z.'’-]/g, '')).filter((w) => /[A-Za-z]/.test(w));
  // Names are printed capitalised: a short word in small letters opening one is a misread title
  // ("Prescribed by: br Peter Hughes"), not a given name.
  if (words.length > 2 && /^[a-z]{1,3}\.?$/.test(words[0]!)) words = words.slice(1);
  if (words.length < 1 || words.length > 4) return null;
  if (words.length === 1 && words[0]!.replace(/\./g, '').length < 3) return null;
  return words.map(titleCase).join(' ');
}

export interface PrescriberHit extends FieldHit<string> {
  /** Only one name word was read, and no title says it is a surname ("Prescriber: Ethan"). */
  partial: boolean;
}

/**
 * A street address whose street is a Drive: a house number, a word or three, then "Dr" ("501 Shore
 * Dr. Erie, PA"). A count and its unit before a title ("60 TABLETS DR. JANE SMITH") is no house.
 */
const STREET_DRIVE = streetAddress('\\d+', 'DR\\b');

/** The prescriber's name from "Prescriber: …", "DR. …", "LAST, FIRST MD" or "First Last, NP". */
export function findPrescriber(segments: Segment[]): PrescriberHit | null {
  const hits: PrescriberHit[] = [];
  for (const seg of segments) {
    const address = STREET_DRIVE.test(seg.text) || (/\b\d{5}(?:-\d{4})?\b/.test(seg.text) && !/\bDR\b/i.test(seg.text));
    if (address && !/PRESCRIB/i.test(seg.text)) continue;
    const hit = firstName(seg);
    if (hit) hits.push(hit);
  }
  return hits.sort((a, b) => b.pattern * b.ocr - a.pattern * a.ocr)[0] ?? null;
}

/** The first pattern, in order, that reads a name somewhere on the line. */
function firstName(seg: Segment): PrescriberHit | null {
  for (const { re, pattern, order } of EVERYWHERE) {
    // From every place a match starts, not only past the last one: a rejected "Dr. Authorization
    // Required DR. SOFIA" has swallowed the title of the name that follows it.
    re.lastIndex = 0;
    for (let m = re.exec(seg.text); m; re.lastIndex = m.index + 1, m = re.exec(seg.text)) {
      const raw = order === 'last-first' ? `${m[1]}, ${m[2]}` : m[1]!;
      const value = cleanPrescriberName(raw, order);
      if (!value || NOT_NAME.test(value.split(' ')[0]!)) continue;
      // One name word with no title before it: labels print a prescriber's surname, so it was lost.
      const partial = !value.includes(' ') && !TITLED.some((t) => t.test(m[0]));
      return { value, ocr: spanConfidence(seg, m.index!, m.index! + m[0].length), pattern, segment: seg, span: [m.index!, m.index! + m[0].length], partial };
    }
  }
  return null;
}
