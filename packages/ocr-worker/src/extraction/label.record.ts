import { spanConfidence, type Segment } from './label.layout.js';
import { leadingLabel } from './label.keywords.js';
import { CREDENTIAL } from './prescriber.parser.js';

export interface TextField {
  value: string;
  confidence: number;
}

const PHONE_RES: RegExp[] = [
  /(?<!\d)(?:1[-\s.])?\(?\d{3}\)?[\s.-]*\d{3}[\s.-]\d{4}(?!\d)/g, // North America: (416) 555-0191, 1-800-555-0107
  /(?<![\d(])\(0\d\)\s?\d{4}\s?\d{4}(?!\d)/g, // Australia: (02) 5550 1234
  /(?<!\d)0\d{3,4}\s\d{3}\s?\d{3,4}(?!\d)/g, // UK: 0118 496 0321, 01225 496 012
];
const PHONE_WORD = /\b(?:TEL|PH|PHONE|T)\b\.?\s*:?\s*$/i;
const NOT_PHONE = /\b(?:RX|NDC|DIN|LOT|NPI|DEA|MRN)\b[^A-Z]*$/i;

/** The pharmacy's phone number: after Tel/Ph/Phone, or else the first one on the label. */
export function findPhone(segments: Segment[]): TextField | null {
  const hits: { value: string; confidence: number; rank: number }[] = [];
  segments.forEach((seg, i) => {
    for (const re of PHONE_RES) {
      for (const m of seg.text.matchAll(re)) {
        const before = seg.text.slice(0, m.index!);
        if (NOT_PHONE.test(before)) continue;
        const labelled = PHONE_WORD.test(before);
        const ocr = spanConfidence(seg, m.index!, m.index! + m[0].length);
        hits.push({ value: m[0].trim(), confidence: Math.min(labelled ? 0.95 : 0.85, ocr), rank: (labelled ? 0 : 1000) + i });
      }
    }
  });
  const best = hits.sort((a, b) => a.rank - b.rank)[0];
  return best ? { value: best.value, confidence: Math.round(best.confidence * 1000) / 1000 } : null;
}

const PATIENT_LABELS = ['PATIENT NAME', 'PATIENT', 'PT', 'NAME', 'FOR'] as const;
// W is how a small M is often misread ("Ws" for Ms).
const HONORIFIC = /^(?:[MW]R|[MW]RS|[MW]S|MISS|MSTR|MASTER|MX)\.?$/i;
const NAME_WORD = /^[A-Za-z][A-Za-z'’-]*\.?,?$/;
/** Words that never make up a person's name on a label. */
const NOT_NAME = /^(?:ALL|THIS|FINISH|MEDICATION|MEDICINE|FOOD|MILK|ALCOHOL|ALCOHOLIC|BEVERAGES|SUNLIGHT|AVOID|SHAKE|WELL|REFRIGERATE|REFRIGERATED|EXTERNAL|IMPORTANT|SWALLOW|WHOLE|PROTECT|LIGHT|CALL|YOUR|DOCTOR|RASH|DRIVE|URINE|SUDDENLY|STOP|PATIENT|PHARMACIST|APOTHECARY|HEALTH|WELLNESS|MART|CENTRE|CENTER|DIRECT|MAIL|ORDER|DISCOUNT|FAMILY|COMMUNITY|OUTPATIENT|HOSPITAL|CLINIC|MD|DO|NP|PA|PA-C|DDS|RPH|TAKE|USE|APPLY|INHALE|INSTILL|GIVE|INJECT|TABLETS?|CAPSULES?|PHARMACY|DRUGS?|CHEMISTS?|REFILLS?|QTY|RX|DR|DATE|MFR|DIN|NDC|GENERIC|KEEP|DISCARD|FILLED|PRESCRIBER|DIRECTIONS|MEDICATION|WARNING|CAUTION|MAY|DO|NOT|AND|OF|THE|WITH|BY|MOUTH|DAILY|ONCE|TWICE|EVERY|REPEATS?|PHARMACIST|SUBSTITUTES|FORM|STREET|ST|AVE|ROAD|RD|BLVD|BOX|TEL|PH|ONLY|CHILDREN|REACH|EXP|LOT|USE|BEFORE|AFTER|SUPPLY|DAYS|DISPENSED|REMAINING|LEFT|NONE|NO)$/i;

/** "SMITH, SARAH" or "Mr John SMITH" or "Sarah Smith" as "Sarah Smith"; null if it does not look like a name. */
export function personName(raw: string): string | null {
  let s = raw.trim().replace(/[;:]+$/, '');
  const words0 = s.split(/\s+/).filter((w) => !HONORIFIC.test(w));
  s = words0.join(' ');
  const comma = s.match(/^([A-Za-z'’-]+(?:\s+[A-Za-z'’-]+)?),\s*(.+)$/);
  let words = comma ? [...comma[2]!.split(/\s+/), comma[1]!] : s.split(/\s+/);
  words = words.map((w) => w.replace(/,$/, ''));
  if (words.length < 2 || words.length > 4) return null;
  if (!words.every((w) => NAME_WORD.test(w) && !NOT_NAME.test(w.replace(/[.,]/g, '')))) return null;
  if (words.filter((w) => w.replace(/\./g, '').length >= 2).length < 2) return null;
  return words.map((w) => (w.length <= 2 && w.endsWith('.') ? w[0]!.toUpperCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join(' ');
}

/**
 * The patient's name: after a "Patient:"-like label, or an honorific ("Mrs Jane SMITH"), or else
 * the first line of two to four name words near the top that no other field claims.
 */
export function findPatient(segments: Segment[], claimed: Set<Segment>, aboveLine = Infinity): TextField | null {
  for (const seg of segments) {
    const lab = leadingLabel(seg.text, PATIENT_LABELS);
    if (!lab) continue;
    const name = personName(seg.text.slice(lab.end));
    if (name) return { value: name, confidence: Math.min(0.95, spanConfidence(seg, lab.end, seg.text.length)) };
  }
  for (const seg of segments) {
    const first = seg.text.trim().split(/\s+/)[0] ?? '';
    if (!HONORIFIC.test(first)) continue;
    const name = personName(seg.text);
    if (name) return { value: name, confidence: Math.min(0.9, spanConfidence(seg, 0, seg.text.length)) };
  }
  // Unlabelled, the patient is printed above the directions; the prescriber, below them, is not the
  // patient. Only when no name is above them is one below taken (layouts that print the drug and the
  // directions first), and less surely still: a prescriber printed bare, unread as one, may be it.
  const unclaimed = segments.filter((s) => !claimed.has(s));
  const top = unclaimed.filter((s) => s.line < aboveLine).slice(0, 10);
  const below = unclaimed.filter((s) => s.line >= aboveLine && !CREDENTIAL_AFTER.test(s.text)).slice(0, 10);
  return unlabelledName(top, 0.8) ?? unlabelledName(below, 0.7);
}

/** After a name, a prescriber's credential ("SMITH, SARAH MD", "Sarah Smith, NP"). */
const CREDENTIAL_AFTER = new RegExp(`[\\s,]${CREDENTIAL}\\.?\\s*$`, 'i');

/** The first segment of `segs` that is a clearly read name and nothing else, at most `cap` sure. */
function unlabelledName(segs: Segment[], cap: number): TextField | null {
  for (const seg of segs) {
    // Unlabelled, a name must be clearly read: glare and stickers make name-like scraps.
    if (/\bDR\b|PRESCRIB/i.test(seg.text)) continue;
    // Compact labels print the name after the Rx number and date on one line: "RX 8145111 08/01/2026 FATIMA GARCIA".
    const lastNumber = seg.words.reduce((at, w, i) => (/\d/.test(w.text) ? i + 1 : at), 0);
    const words = seg.words.slice(lastNumber);
    if (words.length === 0 || words.some((w) => w.confidence < 70)) continue;
    const name = personName(words.map((w) => w.text).join(' '));
    if (!name) continue;
    // Unlabelled: where it is on the label is the only evidence, so never certain.
    return { value: name, confidence: Math.min(cap, spanConfidence(seg, 0, seg.text.length)) };
  }
  return null;
}
