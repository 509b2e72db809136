import type { Medication } from '@rxscan/bus-contracts';

/** A reading below this confidence is marked for the person to check. */
export const LOW_CONFIDENCE = 0.8;

export type FieldKind = 'text' | 'number' | 'integer' | 'boolean' | 'schedule';
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
];

const labelOf = (key: MedicationField) => REVIEW_FIELDS.find((f) => f.key === key)?.label ?? key;

/** Fields read with confidence below `LOW_CONFIDENCE`, in display order. */
export function uncertainFields(confidence: Record<string, number> | null | undefined): MedicationField[] {
  if (!confidence) return [];
  return REVIEW_FIELDS.filter((f) => {
    const c = confidence[f.key];
    return typeof c === 'number' && c < LOW_CONFIDENCE;
  }).map((f) => f.key);
}

const joinWords = (words: string[]): string =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/** "Please check: could not read the dosage clearly", or null when nothing needs checking. */
export function reviewMessage(needsReview: boolean, uncertain: readonly MedicationField[]): string | null {
  if (uncertain.length > 0) {
    const names = uncertain.map((k) => `the ${labelOf(k).toLowerCase().replace(/ \(as printed\)$/, '')}`);
    return `Please check: could not read ${joinWords(names)} clearly`;
  }
  return needsReview ? 'Please check these details against the label before confirming' : null;
}

/** How a value reads on screen; null (not on the label, or not read) is a dash. */
export function displayValue(value: Medication[MedicationField] | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/** What the edit form holds: every field as the text (or tick) an input shows. */
export type MedicationDraft = Record<MedicationField, string | boolean>;

export function draftOf(m: Medication): MedicationDraft {
  return Object.fromEntries(
    REVIEW_FIELDS.map(({ key, kind }) => [key, kind === 'boolean' ? m[key] === true : m[key] === null ? '' : String(m[key])]),
  ) as MedicationDraft;
}

export interface DraftChanges {
  /** Only the fields the person changed, typed as the API wants them. */
  changes: Partial<Medication>;
  /** Per field, why the typed value cannot be sent. */
  problems: Partial<Record<MedicationField, string>>;
}

function parseField(kind: FieldKind, raw: string | boolean): { value: unknown } | { problem: string } {
  if (kind === 'boolean') return { value: raw === true };
  const text = String(raw).trim();
  if (text === '') return { value: null };
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
    else if (parsed.value !== original[key] && !(kind === 'boolean' && parsed.value === false && original[key] === null)) {
      changes[key] = parsed.value;
    }
  }
  return { changes: changes as Partial<Medication>, problems };
}
