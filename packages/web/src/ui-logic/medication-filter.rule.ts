import type { MedicationView, PersonView } from '@rxscan/contracts';

export type SortKey = 'name' | 'person' | 'last-fill';
/** Everyone, nobody in particular (no person chosen), or one person by id. */
export type PersonFilter = 'all' | 'nobody' | string;

export interface ListQuery {
  /** Words typed in the search box: every word must appear in the name, strength, person, prescriber, pharmacy or Rx number. */
  text: string;
  person: PersonFilter;
  sort: SortKey;
}

export const ALL: ListQuery = { text: '', person: 'all', sort: 'name' };

const folded = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The medications taken now and the past ones (stopped), each filtered and sorted as asked. Drafts stay on top of the current ones. */
export function visibleMedications(list: readonly MedicationView[], people: readonly PersonView[], q: ListQuery): { current: MedicationView[]; past: MedicationView[] } {
  const nameOf = (m: MedicationView) => people.find((p) => p.id === m.person_id)?.name ?? '';
  const words = folded(q.text).split(/\s+/).filter(Boolean);
  const matches = (m: MedicationView) => {
    if (q.person === 'nobody' ? m.person_id !== null : q.person !== 'all' && m.person_id !== q.person) return false;
    const hay = folded([m.name, m.dosage, nameOf(m), m.prescriber, m.pharmacy, m.rx_number].filter(Boolean).join(' '));
    return words.every((w) => hay.includes(w));
  };
  const byName = (a: MedicationView, b: MedicationView) => (a.name ?? '').localeCompare(b.name ?? '', undefined, { sensitivity: 'base' });
  const order: Record<SortKey, (a: MedicationView, b: MedicationView) => number> = {
    name: byName,
    // Nobody's last.
    person: (a, b) => (nameOf(a) || '\uffff').localeCompare(nameOf(b) || '\uffff') || byName(a, b),
    // The most recent fill first; never filled (typed in) last.
    'last-fill': (a, b) => (b.date_filled ?? '').localeCompare(a.date_filled ?? '') || byName(a, b),
  };
  const drafts = (a: MedicationView, b: MedicationView) => Number(b.status === 'needs_review') - Number(a.status === 'needs_review');
  const shown = list.filter(matches);
  return {
    current: shown.filter((m) => !m.stopped_at).sort((a, b) => drafts(a, b) || order[q.sort](a, b)),
    past: shown.filter((m) => m.stopped_at).sort(order[q.sort]),
  };
}
