import { ocrDistance } from './ocr-confusion.js';

export interface LabelMatch {
  /** Offset just after the label and its punctuation. */
  end: number;
  /** 0 exact; higher when the label was recognised through OCR errors. */
  cost: number;
}

/** Edits allowed for a label word of this length; short words must be exact. */
const allowance = (len: number): number => (len >= 8 ? 2 : len >= 5 ? 1 : 0);

/**
 * Finds a printed field label ("Directions:", "Prescribed by:", "Medication") at the start of a
 * segment, tolerating misreadings ("pirections:", "Medicatiop,.") and one stray short token before it.
 */
export function leadingLabel(text: string, labels: readonly string[]): LabelMatch | null {
  const tokens = [...text.matchAll(/\S+/g)];
  for (const skip of [0, 1]) {
    if (skip === 1 && (tokens[0]?.[0].replace(/[^A-Za-z0-9]/g, '').length ?? 9) > 2) break;
    for (const label of labels) {
      const parts = label.split(' ');
      const got = tokens.slice(skip, skip + parts.length);
      if (got.length < parts.length) continue;
      let cost = 0;
      let ok = true;
      parts.forEach((p, i) => {
        const word = got[i]![0].toUpperCase().replace(/[^A-Z0-9|]/g, '');
        const d = ocrDistance(word, p, allowance(p.length));
        if (d > allowance(p.length)) ok = false;
        cost += d;
      });
      const last = got[got.length - 1]!;
      // A short label must carry its colon, or "USE" in "Use 2 sprays" would read as a label.
      if (!ok || (label.length < 6 && !/[:.;,]$/.test(last[0]))) continue;
      let end = last.index! + last[0].length;
      const colon = text.slice(end).match(/^\s*[:.;,]/);
      if (colon) end += colon[0].length;
      return { end, cost };
    }
  }
  return null;
}

export const SIG_LABELS = ['DIRECTIONS', 'DIRECTION', 'INSTRUCTIONS', 'SIG', 'DIR'] as const;
export const MED_LABELS = ['MEDICATION', 'MEDICINE', 'DRUG', 'PRODUCT', 'MED'] as const;

/**
 * A line opening with a street address: a house number (`digits`), a word or three, then the
 * street's kind (`street`, a pattern). A count and its unit opening the line ("60 TABLETS DR. JANE
 * SMITH", "30 TAB …") are no house number.
 */
export const streetAddress = (digits: string, street: string): RegExp =>
  new RegExp(`^\\s*${digits}[A-Z]?\\s+(?!(?:TAB|CAP|ML|G|GM|INH|PUFF|DOSE|UNIT|PEN|REFILL|REPEAT)\\w*\\b)(?:[A-Za-z'’.-]+\\s+){1,3}${street}`, 'i');
