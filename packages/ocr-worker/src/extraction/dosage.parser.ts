import { CAPITAL_DIGITS, digitsOf, dollarAsFive, markReadings } from './ocr-confusion.js';

export interface FoundDosage {
  /** As a person writes it: "15 mg", "5-325 mg", "400 mg/5 mL", "0.1%". */
  text: string;
  /** Comparable with the lexicon's strength keys ("15mg", "325mg+5mg"). */
  key: string | null;
  /** Character span in the searched text. */
  start: number;
  end: number;
  /** A number opens with 0 and no decimal point ("05 mg"): the point was probably lost. */
  lostPoint?: boolean;
  /** A number was repaired from look-alike letters ("1O mg", "SO mcg"): not read as printed. */
  repaired?: boolean;
  /** Glued to the end of the word before it ("Valacyclovirlg"): a strength only where that word is a drug's. */
  nameGlued?: boolean;
  /** The volume it is per was repaired ("/S wl" for /5 mL): the concentration was not read whole. */
  perRepaired?: boolean;
}

// Unit spellings including frequent misreadings: "mq"/"rng"/"wg" for mg (a blurred m loses its
// top to read as w, as in "Wiss" for "Miss"; "wcg" for mcg alike), "meg" for mcg.
// Its g read twice, as the q it looks like and itself ("160-4.5mcqg", a clean photo, batch 154800).
const UNIT_RE = '(MCQG|MCG|MEG|MCQ|UG|µG|MQG|MG|MQ|M6|RNG|RNQ|WG|WCG|GM|GRAMS?|G|ML|UNITS?|IU|MEQ|%)';
// "SO MCG" is 50 mcg: a 5 read as S before a zero.
const NUMBER_RE = '[0-9OIl|]*[0-9][0-9OIl|]*(?:[.,][0-9OIl|]+)?|[OIl]?\\.[0-9]+|S[O0][0-9O]*';
/**
 * The volume a liquid's strength is per, as read: the 5 of "mg/5 mL" read as S, and mL with its m
 * blurred to w or rn ("15wg/S wl", "15wg/5 wml": fresh seed 75900), as in strengths. Liquids are
 * dosed per 5 mL (a teaspoon) far more than any other volume, and no unit after a slash reads S.
 * The m read as a or n, or the l as I ("100 units/aL", "units/al", "units/nl": the three looks of a
 * camera photo, batch 130800, reported as 100 units): no unit a strength is per is spelt so.
 */
const PER_NUMBER_RE = `${NUMBER_RE}|S`;
/** mL with its m blurred ("WL", "RNL", "aL", "nL") or its l read as a stroke ("MI"). */
const ML_READ_AS = 'WML|WL|RNL|[AN]L|M[I1|]';
// After UNITS and its slash, an M alone is mL with its l lost ("INSULIN ASPART 100 UNITS/M", a hard
// photo, batch 139200: reported as 100 units): units are dosed per mL, never per anything else an M starts.
const PER_UNIT_RE = `(ML|${ML_READ_AS}|(?<=UNITS\\s*/\\s*)M|L|ACTUATION|SPRAY|DOSE|HR|H|G)`;
/** mL as PER_UNIT_RE reads it misread or with its l lost: taken as mL, and as a repair. */
const ML_MISREAD = new RegExp(`^(?:${ML_READ_AS}|M)$`, 'i');
/**
 * The slash before the volume, or the stroke it is read as glued to the unit ("15MGI5 ML" for 15
 * mg/5 mL in both looks of a hard photo, fresh seed 91500; "15MG|5 ML"): a letter I or l, or a bar,
 * between a unit's letters and a digit is no word, and taken for the slash as a repair. So is the
 * slash between UNITS and ML read as a stroke or an apostrophe, or lost ("100 UNITS'ML", "UNITSML"
 * for insulin's 100 units/mL, both looks of a hard photo, fresh seed 120600: the strength was
 * reported as 100 units): no word runs UNITSML. Nor is a stroke standing alone between UNITS and
 * an mL, however misread ("100 UNITS | ML" and "| WL", the two looks of a hard photo, batch 137700:
 * reported as 100 units, sure): a word is no single stroke.
 */
const PER_SLASH_RE = `\\s*/\\s*|(?<=[A-Z])[Il|](?=\\s*\\d)|(?<=UNITS)['’Il|]?(?=ML)|(?<=UNITS)\\s+[Il|]\\s+(?=(?:ML|${ML_READ_AS})(?![A-Z]))`;
const DECIMAL_COMMA = /,(?=\d{1,2}$)/;
const SPACE_BEFORE_POINT = /(\d) \.(\d{1,2})(?!\d)/g;
/**
 * The words that stand last before a strength on a drug line, a release (ER, XL, SR, CR, XR, DR,
 * LA) or a salt (HCl), with the space before the digits lost ("METOPROLOL SUCCINATE ER100 MG", a
 * camera photo of batch 164100, in a probe face: no strength). No strength is printed glued to a
 * letter otherwise, so only after these: the strength is repaired, as read from no space.
 */
const GLUED_AFTER = '(?<=\\b(?:ER|XL|SR|CR|XR|DR|LA|HCL))';
const DOSE_RE = new RegExp(
  `(?:(?<![A-Z0-9.])|${GLUED_AFTER})((?:${NUMBER_RE})(?:\\s*[-/]\\s*(?:${NUMBER_RE}))*)\\s*${UNIT_RE}(?:(${PER_SLASH_RE})((?:${PER_NUMBER_RE})?)\\s*${PER_UNIT_RE})?(?![A-Z])`,
  'gi',
);

const CANON_UNIT: Record<string, string> = {
  MCG: 'mcg', MEG: 'mcg', MCQ: 'mcg', MCQG: 'mcg', MQG: 'mg', UG: 'mcg', 'µG': 'mcg', MG: 'mg', MQ: 'mg', M6: 'mg', WG: 'mg', WCG: 'mcg', RNG: 'mg', RNQ: 'mg',
  GM: 'g', G: 'g', GRAM: 'g', GRAMS: 'g', ML: 'mL', UNIT: 'units', UNITS: 'units', IU: 'units', MEQ: 'mEq', '%': '%',
};
const TO_MG: Record<string, number> = { mcg: 0.001, mg: 1, g: 1000 };

/** The lexicon key for numbers with a unit: mass in mg, combination parts sorted. */
export function strengthKey(numbers: number[], unit: string): string | null {
  const parts = numbers.map((n) => {
    if (unit in TO_MG) return `${+(n * TO_MG[unit]!).toPrecision(6)}mg`;
    if (unit === '%') return `${n}%`;
    if (unit === 'units') return `${n}u`;
    if (unit === 'mEq') return `${n}meq`;
    return null;
  });
  return parts.every((p) => p !== null) ? parts.sort().join('+') : null;
}

/** Every strength in a piece of label text ("15 MG", "5/325 mg", "400 MG/5 ML"), left to right. */
export function findDosages(text: string): FoundDosage[] {
  const out: FoundDosage[] = [];
  // A space read before a decimal point after a digit ("160-4 .5mcg" for 160-4.5 mcg, a clean photo,
  // batch 154800: 8.5 mcg was offered): no number opens with its point after another's digit. The
  // space is moved behind the decimals, so every place in the text stays where it was; repaired.
  const spaced = text.replace(SPACE_BEFORE_POINT, '$1.$2 ');
  for (const m of spaced.matchAll(DOSE_RE)) {
    // ".4mg": a strength below one whose leading zero was lost (or misread as a mark) is still 0.4.
    // A comma before one or two digits is a decimal point, read so or printed so ("160-4,5mcg" for
    // 160-4.5 mcg, a camera photo, batch 150000: no strength); before three it groups thousands.
    const nums = m[1]!.split(/\s*[-/]\s*/).map((n) => digitsOf(n.replace(/^S(?=[O0])/, '5').replace(/^\.(?=\d)/, '0.').replace(DECIMAL_COMMA, '.')));
    if (nums.some((n) => n === null)) continue;
    const unit = CANON_UNIT[m[2]!.toUpperCase()];
    if (!unit) continue;
    const values = nums.map(Number);
    // A bare "G" or "ML" after a number is usually a quantity ("16 g"), not a strength, unless per-volume.
    let text_ = `${nums.join('-')}${unit === '%' ? '' : ' '}${unit}`;
    const [slash, perRead, perUnitRead] = [m[3], m[4], m[5]];
    if (perUnitRead) {
      const per = perRead ? digitsOf(perRead.replace(/^S$/i, '5')) : '';
      if (per === null) continue;
      const perUnit = perUnitRead.toUpperCase() === 'ML' || ML_MISREAD.test(perUnitRead) ? 'mL' : perUnitRead.toLowerCase();
      text_ += `/${per ? `${per} ` : ''}${perUnit}`;
    }
    const lostPoint = nums.some((n) => /^0\d/.test(n!));
    const perRepaired = /[^0-9]/.test(perRead ?? '') || ML_MISREAD.test(perUnitRead ?? '') || (slash !== undefined && !slash.includes('/'));
    const glued = m.index! > 0 && /[A-Z]/i.test(spaced[m.index! - 1]!); // after GLUED_AFTER's word
    const repaired = glued || /[^0-9.,\s/-]/.test(m[1]!) || /(?:^|[-/\s])\.\d/.test(m[1]!) || /,\d{1,2}(?!\d)/.test(m[1]!) || perRepaired || text.slice(m.index!, m.index! + m[0].length) !== m[0];
    out.push({ text: text_, key: strengthKey(values, unit), start: m.index!, end: m.index! + m[0].length, ...(lostPoint ? { lostPoint } : {}), ...(repaired ? { repaired } : {}), ...(perRepaired ? { perRepaired } : {}) });
  }
  return out;
}

/**
 * A strength whose digits were read partly or wholly as the letters they look like, glued to a mass
 * unit: "Smg" for 5mg, "IMG" or "lmg" for 1mg, "1SMG" for 15mg, "SOONG" for 500MG (its m read as the
 * n it looks like in blur, as in "500ng" and "10 NG"). findDosages takes none (a letter is no digit, and a letter
 * before the digits is a word). A letter glued before the digits ("S5mg",
 * "S50MCG") is either a digit too (55) or a stray mark read as one (5): both are offered. Only
 * candidates: the caller takes one when the drug is made in it and in no other (readDrugLine), and
 * never as read.
 */
// The capitals a count's digits are read as too (A, B, Z, G since "ONDANSETRON ODT Amg" for 4mg in
// two looks of a camera photo, fresh seed 74100), and the thin strokes read for a 1.
const LETTER_DIGIT: Record<string, string> = { ...CAPITAL_DIGITS, I: '1', L: '1', '|': '1', T: '1' };
// Capitals that are either of two digits, each offered, the drug deciding: a T is a 1 with its foot
// lost or a 7 ("Xanax Tmg" and "1Tmg" for 1mg, the two looks of a mild photo, batch 127500: no
// strength); a G a 6 or a 0 with a bar ("SPIRONOLACTONE 10GMG" for 100MG, a clean photo, batch 128700).
const SECOND_DIGIT: readonly [RegExp, string][] = [[/T/gi, '7'], [/G/gi, '0']];
// The mass units as findDosages reads them (UNIT_RE: "mq", "rng", "wg" for mg), with the m read as n,
// and with its arches closed into an e or an a in blur ("2.5eg", "25eg", "160-4.5acg": three hard
// photos of fresh seeds 86100 and 87900, in both looks).
// A space may stand before the unit only after digits or marks read for them ("10 NG", "RAMIPRIL § MG"):
// letters read as digits must be glued to it, or any short word before mg would be a strength.
// A combination's last part may hold the letter ("160-4.5SMCG", fresh seed 86700).
// The m of mcg read as any capital ("LEVOTHYROXINE SODIUM 88 BCG TABLET", both looks of a hard photo,
// fresh seed 121200: no strength): mcg, the drug deciding as for letters. So too the m of mg
// ("GEFITINIB 250 BG CAPSULE" in every look of a hard photo, fresh seed 184200, in a face whose M
// reads as B all over the label), but never a K ("70 KG" is a weight) nor a C (a cg is an mcg
// whose m was lost, and a letter before it may be a digit's: "4.5acg").
// And the unit's tail lost to blur, its M alone ("DICLOFENAC SODIUM 50M TABLETS" for 50MG, a hard
// photo, fresh seed 97500): mg or mcg, both offered, the drug deciding as for letters.
const LETTER_DOSE_RE = /(?<![A-Za-z0-9.$§é@-])((?:\d{1,4}(?:\.\d{1,2})?[-/])?[0-9SIl|OoABZGT$§é@]{1,4}(?:\.[0-9SIl|OoABZGT$§é@]{1,2})?)( ?)(MCQ|MQ|RNG|RNQ|NQ|[A-Z]CG|[ABD-JL-Z]G|M)(?![A-Za-z])/gi;
const asDigits = (s: string): string => dollarAsFive(s).replace(/[SIl|OABZGT]/gi, (c) => LETTER_DIGIT[c.toUpperCase()]!);
/** A part of a strength as digits: a whole number or a decimal, never 0 ("0.4", not "04"). */
const STRENGTH_PART = /^(?:[1-9]\d*(?:\.\d+)?|0\.\d*[1-9])$/;
export function findLetterDosages(text: string): FoundDosage[] {
  const out: FoundDosage[] = [];
  for (const m of text.matchAll(LETTER_DOSE_RE)) {
    const [raw, space, unitRead] = [m[1]!, m[2]!, m[3]!];
    const tailLost = /^M$/i.test(unitRead);
    const units = tailLost ? ['mg', 'mcg'] : [/C/i.test(unitRead) ? 'mcg' : 'mg'];
    // A strength in digits with its unit read as mg is findDosages's; here a letter was read somewhere.
    if (/^[\d.\-/]+$/.test(raw) && /^M/i.test(unitRead) && !tailLost) continue;
    if (space && !/^[\d$§.\-/]+$/.test(raw)) continue;
    const cut = raw.search(/[^-/]*$/);
    const [head, last] = [raw.slice(0, cut), raw.slice(cut)];
    const readings = new Set([asDigits(last)]);
    if (/^[SIl|][0-9]/i.test(last)) readings.add(asDigits(last.slice(1)));
    // The same glued after the digits ("Aripiprazole 5Smg" for 5mg in both looks of a camera photo,
    // fresh seed 83700): a digit too (55), or the digit's ghost.
    if (/^[0-9]+(?:\.[0-9]+)?[SIl|]$/i.test(last)) readings.add(last.slice(0, -1));
    // A 1 with its ghost inside the digits ("Celexa1l0mg" for 10mg in both looks of a clean photo,
    // fresh seed 105000): 110, or 10.
    if (/1[Il|T]/i.test(last)) readings.add(asDigits(last.replace(/1[Il|T]/i, '1')));
    for (const [letter, digit] of SECOND_DIGIT) if (last.search(letter) >= 0) readings.add(asDigits(last.replace(letter, digit)));
    // Marks read for one of two digits give both readings (markReadings); the drug decides, as for letters.
    for (const digits of [...readings].flatMap(markReadings)) {
      // A decimal strength too ("TAMSULOSIN HCL 0.Amg" for 0.4mg in both looks of a camera photo, fresh seed 86100).
      const parts = [...head.split(/[-/]/).filter(Boolean), digits];
      if (!parts.every((p) => STRENGTH_PART.test(p))) continue;
      for (const unit of units) out.push({ text: `${parts.join('-')} ${unit}`, key: strengthKey(parts.map(Number), unit), start: m.index!, end: m.index! + m[0].length, repaired: true });
    }
  }
  // The strength glued to the end of the name with its 1 read as the stroke it looks like
  // ("Valacyclovirlg" for Valacyclovir 1g, both looks of a camera photo, fresh seed 118200): grams too,
  // as a name and its strength glued leave no doubt the g is a unit. The caller keeps it only where
  // the word it is glued to is a drug's, spelt exactly.
  for (const m of text.matchAll(NAME_GLUED_STROKE)) {
    const digits = asDigits(m[1]!);
    const unit = CANON_UNIT[m[2]!.toUpperCase()]!;
    if (STRENGTH_PART.test(digits)) out.push({ text: `${digits} ${unit}`, key: strengthKey([Number(digits)], unit), start: m.index!, end: m.index! + m[0].length, repaired: true, nameGlued: true });
  }
  // The mg itself read as two digits glued to a decimal strength: its m as 0 or 8, its g as 9 or 6
  // ("Xanax 0.2509" for 0.25mg in both looks and the re-read of a hard photo, fresh seed 102900;
  // "Lisinopril 2.589" for 2.5MG, fresh seed 100800). No strength is printed with four decimals.
  for (const m of text.matchAll(UNIT_AS_DIGITS)) {
    if (STRENGTH_PART.test(m[1]!)) out.push({ text: `${m[1]} mg`, key: strengthKey([Number(m[1])], 'mg'), start: m.index!, end: m.index! + m[0].length, repaired: true });
  }
  return out;
}
const NAME_GLUED_STROKE = /(?<=[A-Za-z]{4})(?<![Il|])([Il|][0-9Oo]{0,3})(MG|MCG|G)(?![A-Za-z0-9])/gi;
const UNIT_AS_DIGITS = /(?<![A-Za-z0-9.,])(\d{1,3}\.\d{1,2}?)(?:[08][96])(?![A-Za-z0-9.,])/g;
