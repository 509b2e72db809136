import { describe, expect, it } from 'vitest';
import type { PersonView } from '@rxscan/contracts';
import { ALL, visibleMedications } from './medication-filter.rule.js';
import { medicationRow } from './test.fixtures.js';

const people: PersonView[] = [
  { id: 'sarah', name: 'Sarah Smith', created_at: '', updated_at: '' },
  { id: 'tom', name: 'Thomas Brown', created_at: '', updated_at: '' },
];
const NAMES = ['Lisinopril', 'Metformin', 'Atorvastatin', 'Albuterol', 'Omeprazole', 'Levothyroxine'];
/** Thirty medications for two people and nobody, filled on different days, two of them stopped. */
const thirty = Array.from({ length: 30 }, (_, i) =>
  medicationRow(`m${i}`, {
    name: `${NAMES[i % NAMES.length]} ${i}`,
    status: 'confirmed',
    person_id: i % 3 === 0 ? 'sarah' : i % 3 === 1 ? 'tom' : null,
    date_filled: i % 5 === 0 ? null : `2026-${String((i % 12) + 1).padStart(2, '0')}-10`,
    stopped_at: i === 7 || i === 8 ? '2026-11-01T00:00:00Z' : null,
  }),
);

describe('searching and sorting a household’s thirty medications', () => {
  it('finds by any word of the name, person, prescriber or pharmacy, in any case or accent', () => {
    const { current } = visibleMedications(thirty, people, { ...ALL, text: 'LISINOPRIL 18' });
    expect(current.map((m) => m.name)).toEqual(['Lisinopril 18']);
    expect(visibleMedications(thirty, people, { ...ALL, text: 'thomas metformin' }).current.every((m) => m.person_id === 'tom' && /Metformin/.test(m.name!))).toBe(true);
  });

  it('shows one person’s, or nobody’s, and keeps the stopped ones apart as past medications', () => {
    const sarah = visibleMedications(thirty, people, { ...ALL, person: 'sarah' });
    expect([...sarah.current, ...sarah.past].every((m) => m.person_id === 'sarah')).toBe(true);
    expect(sarah.current).toHaveLength(10);
    const nobody = visibleMedications(thirty, people, { ...ALL, person: 'nobody' });
    expect(nobody.current.every((m) => m.person_id === null)).toBe(true);
    const all = visibleMedications(thirty, people, ALL);
    expect(all.past.map((m) => m.id).sort()).toEqual(['m7', 'm8']);
    expect(all.current).toHaveLength(28);
  });

  it('sorts by name, by person (nobody last), or by last fill (newest first, never filled last)', () => {
    const byName = visibleMedications(thirty, people, ALL).current.map((m) => m.name!);
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b)));
    const byPerson = visibleMedications(thirty, people, { ...ALL, sort: 'person' }).current.map((m) => m.person_id);
    expect(byPerson.indexOf(null)).toBeGreaterThan(byPerson.lastIndexOf('tom'));
    expect(byPerson.lastIndexOf('sarah')).toBeLessThan(byPerson.indexOf('tom'));
    const fills = visibleMedications(thirty, people, { ...ALL, sort: 'last-fill' }).current.map((m) => m.date_filled);
    expect(fills.indexOf(null)).toBeGreaterThan(fills.lastIndexOf('2026-01-10'));
    expect(fills.filter(Boolean)).toEqual([...fills.filter(Boolean)].sort().reverse());
  });

  it('keeps readings to check on top of the list, whatever the order', () => {
    const withDraft = [...thirty, medicationRow('draft', { name: 'Zolpidem' })];
    expect(visibleMedications(withDraft, people, ALL).current[0]!.id).toBe('draft');
  });
});
