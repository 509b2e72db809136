/**
 * Scores prediction lines against label truth files, with the same rules as the project
 * owners' scorer (`shared/eval/score.py`), so every figure the project quotes — eval CLI,
 * benchmark, regression test — comes from one place and means what the owners' figures mean.
 * A cross-check test runs both on the same predictions when the shared scorer is present.
 */

export const SCORED_FIELDS = ['name', 'dosage', 'schedule', 'as_needed', 'quantity', 'refills', 'prescriber', 'rx_number', 'sig'] as const;
export const SCORED_CRITICAL = ['name', 'dosage', 'schedule', 'quantity'] as const;
export const RECORD_FIELDS = ['patient', 'date_filled', 'discard_after'] as const;
export type ScoredField = (typeof SCORED_FIELDS)[number];

/** A truth file: `{file, level, template, font, truth}`. */
export interface TruthFile {
  file: string;
  level: string;
  template?: string;
  truth: Record<string, unknown>;
}
export type Prediction = Record<string, unknown>;

const TITLES = new Set(['dr', 'md', 'do', 'np', 'pa', 'pac', 'aprn', 'fnp', 'dnp', 'rn', 'phd', 'dds', 'dmd', 'od', 'facp', 'mr', 'mrs', 'ms', 'prescriber']);
const UNIT: Record<string, string> = {
  mg: 'mg', mcg: 'mcg', ug: 'mcg', 'µg': 'mcg', g: 'g', gm: 'g', gram: 'g', grams: 'g', ml: 'ml', unit: 'units', units: 'units', u: 'units', meq: 'meq', '%': '%', dose: 'dose',
};

/** Python's str() for the values a prediction holds. */
const str = (v: unknown): string => (v === null || v === undefined ? 'None' : v === true ? 'True' : v === false ? 'False' : String(v));
/** Python truthiness. */
const truthy = (v: unknown): boolean => !(v === null || v === undefined || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0));
const empty = (v: unknown): boolean => v === null || v === undefined || v === '';

const words = (s: unknown): string[] => str(s).toLowerCase().replace(/[^a-z0-9%.]+/g, ' ').split(/\s+/).filter(Boolean);
const normName = (s: unknown): string => str(s).toLowerCase().replace(/[^a-z0-9]+/g, ' ').split(/\s+/).filter(Boolean).join(' ');

function nameOk(p: unknown, t: Record<string, unknown>): boolean {
  if (!truthy(p)) return false;
  const [pn, full, base] = [normName(p), normName(t.name), normName(t.name_base)];
  const aliases = Array.isArray(t.name_aliases) ? t.name_aliases.map(normName) : [];
  if (pn === full || pn === base || aliases.includes(pn)) return true;
  const [pt, ft, bt] = [new Set(pn.split(' ')), new Set(full.split(' ')), new Set(base.split(' '))];
  return [...pt].every((w) => ft.has(w)) && [...bt].every((w) => pt.has(w));
}

function normDose(s: unknown): [number[], Set<string>] {
  const t = str(s).toLowerCase().replace(/,/g, '');
  const nums = [...t.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  const units = new Set([...t.matchAll(/%|[a-zµ]+/g)].map((m) => m[0]).filter((u) => u in UNIT).map((u) => UNIT[u]!));
  return [nums, units];
}

function doseOk(p: unknown, t: unknown): boolean {
  if (p === null || p === undefined || p === '') return false;
  const [[pn, pu], [tn, tu]] = [normDose(p), normDose(t)];
  return pn.length === tn.length && pn.every((n, i) => n === tn[i]) && pu.size === tu.size && [...pu].every((u) => tu.has(u));
}

/** Python's float() of str(value): null when it would raise. */
function pyFloat(v: unknown): number | null {
  const s = str(v).replace(/,/g, '').trim();
  if (!/^[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|inf(?:inity)?|nan)$/i.test(s)) return null;
  return /inf/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s);
}

function numOk(p: unknown, t: unknown): boolean {
  if (p === null || p === undefined) return false;
  const [a, b] = [pyFloat(p), pyFloat(t)];
  return a !== null && b !== null && Math.abs(a - b) < 1e-6;
}

function personOk(p: unknown, t: unknown): boolean {
  if (!truthy(p)) return false;
  const clean = (s: unknown) => words(s).map((w) => w.replace(/^\.+|\.+$/g, '')).filter((w) => !TITLES.has(w)).sort();
  const [a, b] = [clean(p), clean(t)];
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

const rxOk = (p: unknown, t: unknown): boolean => truthy(p) && str(p).toLowerCase().replace(/[^0-9a-z]/g, '') === str(t).toLowerCase().replace(/[^0-9a-z]/g, '');

/** difflib.SequenceMatcher(None, a, b).ratio(), autojunk included. */
export function sequenceRatio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  const b2j = new Map<string, number[]>();
  for (let j = 0; j < b.length; j++) b2j.set(b[j]!, [...(b2j.get(b[j]!) ?? []), j]);
  if (b.length >= 200) {
    const ntest = Math.floor(b.length / 100) + 1;
    for (const [c, idx] of [...b2j]) if (idx.length > ntest) b2j.delete(c);
  }
  const longest = (alo: number, ahi: number, blo: number, bhi: number): [number, number, number] => {
    let [bi, bj, size] = [alo, blo, 0];
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of b2j.get(a[i]!) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > size) [bi, bj, size] = [i - k + 1, j - k + 1, k];
      }
      j2len = next;
    }
    while (bi > alo && bj > blo && a[bi - 1] === b[bj - 1]) [bi, bj, size] = [bi - 1, bj - 1, size + 1];
    while (bi + size < ahi && bj + size < bhi && a[bi + size] === b[bj + size]) size++;
    return [bi, bj, size];
  };
  let matched = 0;
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = longest(alo, ahi, blo, bhi);
    if (k === 0) continue;
    matched += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return (2 * matched) / total;
}

export function sigSimilarity(p: unknown, t: unknown): number {
  if (!truthy(p)) return 0;
  return sequenceRatio(words(p).join(' '), words(t).join(' '));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A date as [year, month, day]: ISO, US month/day/year, or day-Mon-year; null otherwise. */
export function normDate(s: unknown): [number, number, number] | null {
  const t = (s === null || s === undefined || s === '' ? '' : str(s)).trim().toLowerCase();
  let m = t.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  m = t.match(/^(\d{1,2})\/(\d{1,2})\/(\d{2,4})$/);
  if (m) {
    const y = Number(m[3]);
    return [y < 100 ? y + 2000 : y, Number(m[1]), Number(m[2])];
  }
  m = t.match(/^(\d{1,2})[- ]([a-z]{3})[a-z]*[- ,]+(\d{4})$/);
  if (m && MONTHS.includes(m[2]!)) return [Number(m[3]), MONTHS.indexOf(m[2]!) + 1, Number(m[1])];
  return null;
}

/** A record field against its truth; null when the truth does not have it. */
export function checkRecord(field: string, p: unknown, t: Record<string, unknown>): boolean | null {
  const tv = t[field];
  if (tv === null || tv === undefined || tv === '') return null;
  if (field === 'patient') return personOk(p, tv);
  if (field === 'pharmacy_phone') return truthy(p) && str(p).replace(/\D/g, '') === str(tv).replace(/\D/g, '');
  const [a, b] = [normDate(p), normDate(tv)];
  return a !== null && b !== null && a.join('-') === b.join('-');
}

export function checkField(field: ScoredField, p: unknown, t: Record<string, unknown>): boolean {
  if ((field === 'refills' || field === 'prescriber' || field === 'rx_number') && (t[field] === null || t[field] === undefined)) return empty(p);
  switch (field) {
    case 'name': return nameOk(p, t);
    case 'dosage': return doseOk(p, t.dosage);
    case 'schedule': return truthy(p) && str(p).trim().toLowerCase() === str(t.schedule).toLowerCase();
    case 'as_needed': return truthy(p) === truthy(t.as_needed);
    case 'quantity': return numOk(p, t.quantity);
    case 'refills': return numOk(p, t.refills);
    case 'prescriber': return personOk(p, t.prescriber);
    case 'rx_number': return rxOk(p, t.rx_number);
    case 'sig': return sigSimilarity(p, t.sig) >= 0.9;
  }
}

/** Python's round(x, n): half to even. */
function pyRound(x: number, digits = 0): number {
  const f = 10 ** digits;
  const v = x * f;
  const r = Math.round(v);
  const tie = Math.abs(v - Math.trunc(v)) === 0.5;
  return (tie && r % 2 !== 0 ? r - 1 : r) / f;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface Score {
  labels: number;
  predicted: number;
  field_accuracy: Record<ScoredField, number>;
  critical_all_correct: number;
  all_fields_correct: number;
  critical_by_level: Record<string, string>;
  silent_error_rate: number;
  confident_wrong_fields: string;
  sig_similarity_mean: number;
  record_fields: Record<string, number>;
  median_ms: number | null;
  /** Not in score.py: record fields it does not score yet (pharmacy_phone, by its digits). */
  record_fields_extra: Record<string, number>;
}

const baseName = (f: unknown): string => str(f ?? '').split('/').pop()!;

/** Predictions keyed by file base name; a later line for the same file wins, as in score.py. */
export function indexPredictions(lines: Prediction[]): Map<string, Prediction> {
  const m = new Map<string, Prediction>();
  for (const p of lines) m.set(baseName(p.file ?? ''), p);
  return m;
}

export function scorePredictions(truths: TruthFile[], lines: Prediction[]): Score {
  const preds = indexPredictions(lines);
  const per = Object.fromEntries(SCORED_FIELDS.map((f) => [f, 0])) as Record<ScoredField, number>;
  let [crit, allok, silent, cw, ct] = [0, 0, 0, 0, 0];
  const byLevel = new Map<string, [number, number]>();
  const rec = new Map<string, [number, number]>();
  const ms: number[] = [];
  const sims: number[] = [];
  const sorted = [...truths].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const m of sorted) {
    const t = m.truth;
    const p = preds.get(m.file) ?? {};
    if (typeof p.ms === 'number') ms.push(p.ms);
    const ok = Object.fromEntries(SCORED_FIELDS.map((f) => [f, checkField(f, p[f], t)])) as Record<ScoredField, boolean>;
    sims.push(sigSimilarity(p.sig, t.sig));
    const conf = (p.confidence ?? {}) as Record<string, unknown>;
    for (const f of SCORED_FIELDS) {
      per[f] += ok[f] ? 1 : 0;
      const c = conf[f];
      if (typeof c === 'number' && c >= 0.9 && !empty(p[f])) {
        ct++;
        if (!ok[f]) cw++;
      }
    }
    for (const f of [...RECORD_FIELDS, 'pharmacy_phone']) {
      const r = checkRecord(f, p[f], t);
      if (r === null) continue;
      const v = rec.get(f) ?? [0, 0];
      rec.set(f, [v[0] + (r ? 1 : 0), v[1] + 1]);
    }
    const cOk = SCORED_CRITICAL.every((f) => ok[f]);
    crit += cOk ? 1 : 0;
    allok += SCORED_FIELDS.every((f) => ok[f]) ? 1 : 0;
    if (Object.keys(p).length > 0 && !cOk && p.needs_review === false) silent++;
    const lv = byLevel.get(m.level) ?? [0, 0];
    byLevel.set(m.level, [lv[0] + (cOk ? 1 : 0), lv[1] + 1]);
  }
  const n = truths.length;
  const share = (v: [number, number]) => pyRound(v[0] / v[1], 3);
  return {
    labels: n,
    predicted: sorted.filter((m) => preds.has(m.file)).length,
    field_accuracy: Object.fromEntries(SCORED_FIELDS.map((f) => [f, pyRound(per[f] / n, 3)])) as Record<ScoredField, number>,
    critical_all_correct: pyRound(crit / n, 3),
    all_fields_correct: pyRound(allok / n, 3),
    critical_by_level: Object.fromEntries([...byLevel].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, `${v[0]}/${v[1]}`])),
    silent_error_rate: pyRound(silent / n, 3),
    confident_wrong_fields: `${cw}/${ct}`,
    sig_similarity_mean: sims.length ? pyRound(sims.reduce((a, b) => a + b, 0) / sims.length, 3) : 0,
    record_fields: Object.fromEntries(RECORD_FIELDS.filter((f) => rec.has(f)).map((f) => [f, share(rec.get(f)!)])),
    median_ms: ms.length ? pyRound(median(ms)) : null,
    record_fields_extra: rec.has('pharmacy_phone') ? { pharmacy_phone: share(rec.get('pharmacy_phone')!) } : {},
  };
}

export interface CalibrationBand {
  band: string;
  fields: number;
  right: number;
}

export const BANDS: [number, number][] = [[0, 0.5], [0.5, 0.7], [0.7, 0.85], [0.85, 0.9], [0.9, 0.95], [0.95, 1.0001]];

/**
 * Per confidence band, how many reported fields (a value given) were right. `fields` picks which:
 * the critical four or all nine scored fields.
 */
export function calibration(truths: TruthFile[], lines: Prediction[], fields: readonly ScoredField[] = SCORED_FIELDS): CalibrationBand[] {
  const preds = indexPredictions(lines);
  const bands = BANDS.map(([lo, hi]) => ({ band: `${lo.toFixed(2)}–${Math.min(hi, 1).toFixed(2)}`, fields: 0, right: 0, lo, hi }));
  for (const m of truths) {
    const p = preds.get(m.file);
    if (!p) continue;
    const conf = (p.confidence ?? {}) as Record<string, unknown>;
    for (const f of fields) {
      const c = conf[f];
      if (typeof c !== 'number' || empty(p[f])) continue;
      const b = bands.find((x) => c >= x.lo && c < x.hi)!;
      b.fields++;
      if (checkField(f, p[f], m.truth)) b.right++;
    }
  }
  return bands.map(({ band, fields: n, right }) => ({ band, fields: n, right }));
}
