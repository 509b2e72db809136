/** Titles a label may print before a name; they say nothing about who it is. */
const TITLES = new Set(['MR', 'MRS', 'MS', 'MISS', 'MX', 'MSTR', 'MASTER', 'DR']);

/**
 * The words of a name as a label or a person may write it, compared without case, accents,
 * punctuation or titles, and in "given … family" order: `SMITH, SARAH J.` → SARAH J SMITH.
 */
export function nameWords(name: string): string[] {
  let s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().trim();
  const comma = /^([^,]+),(.+)$/.exec(s);
  if (comma) s = `${comma[2]} ${comma[1]}`;
  return s
    .replace(/['’]/g, '')
    .split(/[^A-Z0-9]+/)
    .filter((w) => w.length > 0 && !TITLES.has(w));
}

/** Words that identify: an initial (one letter) is left out, it may or may not be printed. */
const significant = (words: string[]) => new Set(words.filter((w) => w.length > 1));

/**
 * How well two names agree: `same` when they have the same words whatever the order, case or
 * middle initials; `likely` when one has every word of the other and a middle name more
 * (`Sarah Smith` and `Sarah Jane Smith`); null otherwise.
 */
export function nameAgreement(a: string, b: string): 'same' | 'likely' | null {
  const x = significant(nameWords(a));
  const y = significant(nameWords(b));
  if (x.size === 0 || y.size === 0) return null;
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  const inLarge = [...small].every((w) => large.has(w));
  if (!inLarge) return null;
  if (small.size === large.size) return 'same';
  // One word in common is a first name or a surname shared in a family: not enough.
  return small.size >= 2 ? 'likely' : null;
}

/**
 * The person of the household a label's patient name is, or null when none is (or when two
 * are equally good: then a person chooses). The same rule on the tablet and the server.
 */
export function matchPerson<P extends { name: string }>(patient: string | null | undefined, people: readonly P[]): P | null {
  if (!patient || !patient.trim()) return null;
  const rank = { same: 2, likely: 1 } as const;
  let best: P | null = null;
  let bestRank = 0;
  let tied = false;
  for (const p of people) {
    const agreement = nameAgreement(patient, p.name);
    const r = agreement ? rank[agreement] : 0;
    if (r > bestRank) [best, bestRank, tied] = [p, r, false];
    else if (r > 0 && r === bestRank) tied = true;
  }
  return tied ? null : best;
}

/** A label's patient name as a person's name: `SMITH, SARAH` → `Sarah Smith`. */
export function personNameOf(patient: string): string {
  return nameWords(patient)
    .map((w) => (w.length === 1 ? w : w[0] + w.slice(1).toLowerCase()))
    .join(' ');
}
