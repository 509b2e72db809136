import { stringify } from 'csv-stringify/sync';
import type { MedicationView, PersonView } from '@rxscan/contracts';

/** The columns, in the order a person reads a medication list, with the header each has. */
export const CSV_COLUMNS = [
  ['person', 'Person'],
  ['name', 'Medication'],
  ['dosage', 'Strength'],
  ['form', 'Form'],
  ['sig', 'Directions (as printed)'],
  ['schedule', 'Schedule'],
  ['as_needed', 'As needed'],
  ['instructions', 'Other instructions'],
  ['quantity', 'Quantity'],
  ['quantity_unit', 'Unit'],
  ['refills', 'Refills left'],
  ['prescriber', 'Prescriber'],
  ['rx_number', 'Rx number'],
  ['pharmacy', 'Pharmacy'],
  ['pharmacy_phone', 'Pharmacy phone'],
  ['date_filled', 'Last filled'],
  ['discard_after', 'Discard after'],
  ['state', 'State'],
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number][0];
export type CsvRow = Record<CsvColumn, string>;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
 * return first) gets a leading apostrophe: a label's text must never become a formula.
 */
const defused = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
const text = (v: string | number | boolean | null) => (v === null ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : defused(String(v)));

/** One medication as the cells of its row. */
export function csvRowOf(m: MedicationView, people: readonly PersonView[]): CsvRow {
  const cells = Object.fromEntries(CSV_COLUMNS.map(([key]) => [key, key in m ? text(m[key as keyof MedicationView] as string | null) : ''])) as CsvRow;
  cells.person = text(people.find((p) => p.id === m.person_id)?.name ?? null);
  cells.state = m.stopped_at ? 'stopped' : m.status === 'confirmed' ? 'taking' : 'not checked yet';
  return cells;
}

/** The list as RFC 4180 CSV: a header line, CRLF line ends, fields quoted where they must be. */
export function csvOf(meds: readonly MedicationView[], people: readonly PersonView[]): string {
  const rows = meds.map((m) => CSV_COLUMNS.map(([key]) => csvRowOf(m, people)[key]));
  return stringify([CSV_COLUMNS.map(([, header]) => header), ...rows], { record_delimiter: 'windows' });
}
