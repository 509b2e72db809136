import { CRITICAL_FIELDS, isCertain, type FieldAlternative, type FieldAlternatives, type Medication } from '@rxscan/contracts';

export type FieldKind = 'text' | 'number' | 'integer' | 'boolean' | 'schedule' | 'date';
export type MedicationField = keyof Medication;

/** The fields shown for a reading, in the order a label is read, with the words used on screen. */
export const REVIEW_FIELDS: readonly { key: MedicationField; label: string; kind: FieldKind }[] = [
  { key: 'name', label: 'Name', kind: 'text' },
  { key: 'dosage', label: 'Dosage', kind: 'text' },
  { key: 'form', label: 'Form', kind: 'text' },
  { key: 'sig', label: 'Directions (as printed)', kind: 'text' },
  { key: 'schedule', label: 'Schedule', kind: 'schedule' },
  { key: 'as_needed', label: 'As needed', kind: 'boolean' },
  { key: 'instructions', label: 'Other instructions', kind: 'text' },
  { key: 'quantity', label: 'Quantity', kind: 'number' },
  { key: 'refills', label: 'Refills', kind: 'integer' },
  { key: 'prescriber', label: 'Prescriber', kind: 'text' },
  { key: 'rx_number', label: 'Rx number', kind: 'text' },
  { key: 'pharmacy', label: 'Pharmacy', kind: 'text' },
  { key: 'quantity_unit', label: 'Unit', kind: 'text' },
  { key: 'patient', label: 'Patient (as printed)', kind: 'text' },
  { key: 'date_filled', label: 'Filled on', kind: 'date' },
  { key: 'discard_after', label: 'Discard after', kind: 'date' },
  { key: 'pharmacy_phone', label: 'Pharmacy phone', kind: 'text' },
];

/** "the dosage", "the directions": how a field is named in a sentence. */
const wordFor = (key: MedicationField) =>
  `the ${(REVIEW_FIELDS.find((f) => f.key === key)?.label ?? key).toLowerCase().replace(/ \(as printed\)$/, '')}`;

/** Why one field should be checked: read unclearly, or not found where it matters. */
export interface FieldDoubt {
  kind: 'unclear' | 'missing' | 'disagree';
  /** "Could not read the dosage clearly (62% sure)". */
  reason: string;
  /** For `disagree`: the other values other looks gave, each with where it came from, to pick from. */
  others?: readonly FieldAlternative[];
}

/**
 * Per field, why a person should check it, in display order, by the contract's review
 * rule: a value read below `REVIEW_THRESHOLD` is unclear; an empty critical field of a reading is
 * missing. An empty optional field is not a doubt: most labels have no extra
 * instructions. Without confidence (typed or confirmed by a person) nothing is doubtful.
 */
export function fieldDoubts(
  m: Medication,
  confidence: Record<string, number> | null | undefined,
  alternatives?: FieldAlternatives | null,
): Partial<Record<MedicationField, FieldDoubt>> {
  const doubts: Partial<Record<MedicationField, FieldDoubt>> = {};
  if (!confidence) return doubts;
  for (const { key } of REVIEW_FIELDS) {
    const c = confidence[key];
    const value = m[key];
    const others = alternatives?.[key]?.filter((a) => a.value !== value);
    if (others && others.length > 0) {
      const read = others.map((a) => `${displayValue(a.value)} (${a.source})`);
      doubts[key] = { kind: 'disagree', reason: `Also read as ${joinWords(read)}: check ${wordFor(key)} on the label`, others };
    } else if (value === null || value === '') {
      if ((CRITICAL_FIELDS as readonly MedicationField[]).includes(key) && !isCertain(c)) {
        doubts[key] = { kind: 'missing', reason: `Could not find ${wordFor(key)} on the label` };
      }
    } else if (typeof c === 'number' && !isCertain(c)) {
      doubts[key] = { kind: 'unclear', reason: `Could not read ${wordFor(key)} clearly (${Math.round(c * 100)}% sure)` };
    }
  }
  return doubts;
}

const joinWords = (words: string[]): string =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/**
 * "Please check: could not read the dosage clearly", or null when nothing needs
 * checking; one sentence for the top of a review, the reasons stay beside each field.
 */
export function reviewMessage(needsReview: boolean, doubts: Partial<Record<MedicationField, FieldDoubt>>): string | null {
  const keys = REVIEW_FIELDS.map((f) => f.key).filter((k) => doubts[k]);
  const unclear = keys.filter((k) => doubts[k]!.kind === 'unclear').map(wordFor);
  const disagree = keys.filter((k) => doubts[k]!.kind === 'disagree').map(wordFor);
  const missing = keys.filter((k) => doubts[k]!.kind === 'missing').map(wordFor);
  const parts = [
    disagree.length > 0 ? `${joinWords(disagree)} ${disagree.length > 1 ? 'were' : 'was'} read two ways` : null,
    unclear.length > 0 ? `could not read ${joinWords(unclear)} clearly` : null,
    missing.length > 0 ? `could not find ${joinWords(missing)}` : null,
  ].filter(Boolean);
  if (parts.length > 0) return `Please check: ${parts.join('; ')}`;
  return needsReview ? 'Please check these details against the label before confirming' : null;
}

/** How a value reads on screen; null (not on the label, or not read) is a dash. */
export function displayValue(value: Medication[MedicationField] | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/** A medication with nothing read: the start of one typed in by hand. */
export const EMPTY_MEDICATION: Medication = Object.fromEntries(REVIEW_FIELDS.map(({ key }) => [key, null])) as Medication;

/** Why a medication cannot be saved without a name; null when it has one. */
export const nameProblem = (draft: MedicationDraft): string | null =>
  String(draft.name).trim() === '' ? "Enter the medication's name: a medication needs one before it is added to the list" : null;

/** What the edit form holds: every field as the text (or tick) an input shows. */
export type MedicationDraft = Record<MedicationField, string | boolean>;

/** A value as the form holds it: ticks as booleans, everything else as the text in its box. */
export const draftValue = (kind: FieldKind, value: Medication[MedicationField] | undefined): string | boolean =>
  kind === 'boolean' ? value === true : value == null ? '' : String(value);

export function draftOf(m: Medication): MedicationDraft {
  return Object.fromEntries(REVIEW_FIELDS.map(({ key, kind }) => [key, draftValue(kind, m[key])])) as MedicationDraft;
}

export interface DraftChanges {
  /** Only the fields the person changed, typed as the API wants them. */
  changes: Partial<Medication>;
  /** Per field, why the typed value cannot be sent. */
  problems: Partial<Record<MedicationField, string>>;
}

function parseField(kind: FieldKind, raw: string | boolean | undefined): { value: unknown } | { problem: string } {
  if (kind === 'boolean') return { value: raw === true };
  const text = String(raw ?? '').trim();
  if (text === '') return { value: null };
  if (kind === 'date') {
    // What <input type="date"> gives: YYYY-MM-DD, a day that exists.
    const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
    const valid = Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === text;
    return valid ? { value: text } : { problem: 'Enter a date, or leave it empty' };
  }
  if (kind === 'number' || kind === 'integer') {
    const n = Number(text.replace(',', '.'));
    if (!Number.isFinite(n) || n < 0) return { problem: 'Enter a number, or leave it empty' };
    if (kind === 'integer' && !Number.isInteger(n)) return { problem: 'Enter a whole number, or leave it empty' };
    return { value: n };
  }
  return { value: text };
}

/** Compares the form with the reading: what changed, and what cannot be sent as typed. */
export function changesFrom(original: Medication, draft: MedicationDraft): DraftChanges {
  const changes: Record<string, unknown> = {};
  const problems: DraftChanges['problems'] = {};
  for (const { key, kind } of REVIEW_FIELDS) {
    const parsed = parseField(kind, draft[key]);
    if ('problem' in parsed) problems[key] = parsed.problem;
    // An untouched false tick for a null "as needed" is not a change.
    else if (parsed.value !== (original[key] ?? null) && !(kind === 'boolean' && parsed.value === false && (original[key] ?? null) === null)) {
      changes[key] = parsed.value;
    }
  }
  return { changes: changes as Partial<Medication>, problems };
}
