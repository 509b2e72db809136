/**
 * Characters Tesseract confuses on printed labels. A substitution inside one group costs less
 * than an arbitrary edit, so "LISINOPRI1" is much closer to "LISINOPRIL" than "LISINOPRAL" is.
 * An M whose last stroke glare or a bottle's curve takes reads as N ("NIRTAZAPINE", "BRINONIDINE"),
 * and a blurred one as W, as in mL and mg ("2.5 WL", "8wg"): "ISOSORBIDE WONONITRATE" and
 * "WOMONITRATE" in three looks of a hard photo (fresh seed 87600), the name read without it. A
 * capital I or a 1 may lean into a backslash ("\mitrex 100mg", both looks of a camera photo, fresh
 * seed 111900: its line was not taken for the drug's, nor its count read).
 */
const GROUPS = ['0OQD', '1IL|!\\', '5S', '8B', '2Z', '6G', 'CE', 'UV', 'HN', 'DP', 'MN', 'MW'];
const PAIRS = new Set(GROUPS.flatMap((g) => [...g].flatMap((a) => [...g].map((b) => a + b))));

export const CONFUSABLE_COST = 0.3;

export function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  return PAIRS.has(a + b) ? CONFUSABLE_COST : 1;
}

/**
 * A collapsed spelling in which look-alike characters and glyph splits (RN/M, CL/D, VV/W, LI/U) are
 * equal; two words with the same skeleton differ only by typical misreadings. An L and an I kerned
 * close in capitals meet at the foot as a U ("USINOPRIL 40mg" in both looks of a hard photo, fresh
 * seed 147900: two edits from LISINOPRIL and from FOSINOPRIL, so no name was sure).
 */
export function skeleton(word: string): string {
  return word
    .toUpperCase()
    .replace(/RN/g, 'M')
    .replace(/CL/g, 'D')
    .replace(/VV/g, 'W')
    .replace(/LI/g, 'U')
    .replace(/[0QD]/g, 'O')
    .replace(/[1IL|!\\]/g, 'I')
    .replace(/5/g, 'S')
    .replace(/8/g, 'B')
    .replace(/2/g, 'Z')
    .replace(/6/g, 'G')
    .replace(/[^A-Z]/g, '');
}

/** substitutionCost of every pair of ASCII characters, so the distance's inner loop makes no string per cell. */
const ASCII_COST = (() => {
  const t = new Float64Array(128 * 128);
  for (let a = 0; a < 128; a++) for (let b = 0; b < 128; b++) t[a * 128 + b] = substitutionCost(String.fromCharCode(a), String.fromCharCode(b));
  return t;
})();

/** The distance's two rows, kept between calls (grown as needed): nothing is allocated per call. */
let rows = [new Float64Array(64), new Float64Array(64)] as const;

/**
 * Edit distance with cheap look-alike substitutions; stops early once above `max`. The lexicon
 * measures every unknown word against the drug words of about its length, so this is the
 * parser's inner loop: two rows of doubles reused, costs looked up by character code.
 */
export function ocrDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  const n = b.length;
  if (rows[0].length <= n) rows = [new Float64Array(2 * n + 2), new Float64Array(2 * n + 2)];
  let [prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cb = b.charCodeAt(j - 1);
      const sub = ca < 128 && cb < 128 ? ASCII_COST[ca * 128 + cb]! : substitutionCost(a[i - 1]!, b[j - 1]!);
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + sub);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return Infinity;
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

/**
 * The capitals a digit is read as in bold or blurred print: B 8, A 4, S 5, O 0, Z 2, G 6. A count
 * read so (label.quantity.ts) and a strength (dosage.parser.ts) take them from here.
 */
export const CAPITAL_DIGITS: Readonly<Record<string, string>> = { B: '8', A: '4', S: '5', O: '0', Z: '2', G: '6' };

/**
 * A blurred 5 read as the dollar sign, an S's shape with a stroke through it ("$40 TABLETS" for 540
 * in both looks of a hard photo, fresh seed 83100; "(520) $55-0100", "($20)" in the pharmacy's phone
 * number). Unlike a capital it is no letter of a word and no stray speck, so where a number is
 * expected it is the 5.
 */
export const dollarAsFive = (s: string): string => s.replace(/\$/g, '5');

/**
 * Marks read for digits that could be either of two: a closed bowl read as an accented e in a light
 * typeface ("Flonase Sémcg" for 50mcg, fresh seed 83700; "5émcg" in an earlier round; "qéh" for
 * q6h), a 0 or a 6; the section sign, a 5 ("RAMIPRIL § MG CAPSULE", fresh seed 83100), an 8 ("§
 * TABLETS" for 8, 84900) or a 0 ("Refills: §"). Every reading of each is given, for a check that
 * does not look at the pixels to decide (dosage.parser.ts: the strengths the drug is made in).
 */
// And the at sign, a zero with the dot monospaced faces print inside it ("Mometasone Furoate 5@mcg"
// for 50mcg in a mild photo, batch 140400: no strength): a 0.
const MARK_DIGITS: Readonly<Record<string, string>> = { é: '06', '§': '58', '@': '0' };
export const markReadings = (digits: string): string[] => {
  const i = digits.search(/[é§@]/);
  return i < 0 ? [digits] : [...MARK_DIGITS[digits[i]!]!].flatMap((d) => markReadings(digits.slice(0, i) + d + digits.slice(i + 1)));
};

/** Reads a token that should be a number ("1O", "l5", "O.5") as digits; null if it is not one. */
export function digitsOf(token: string): string | null {
  if (!/\d/.test(token)) return null;
  const t = token.replace(/[Oo]/g, '0').replace(/[Il|\\]/g, '1').replace(/,(?=\d{3}\b)/g, '');
  return /^\d+(?:\.\d+)?$/.test(t) ? t : null;
}
