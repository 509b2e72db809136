import { describe, expect, it } from 'vitest';
import type { MedicationView } from '@rxscan/contracts';
import { titleOf, withMedication, withoutMedication } from './medication-list.rule.js';
import { medicationRow } from './test.fixtures.js';

const row = (id: string, created_at: string, over: Partial<MedicationView> = {}): MedicationView =>
  medicationRow(id, { confidence: null, created_at, updated_at: created_at, ...over });

describe('medication list', () => {
  it('adds a new row newest first and replaces an existing one', () => {
    const list = [row('a', '2025-01-02T00:00:00Z'), row('b', '2025-01-01T00:00:00Z')];
    expect(withMedication(list, row('c', '2025-01-03T00:00:00Z')).map((m) => m.id)).toEqual(['c', 'a', 'b']);
    const confirmed = row('b', '2025-01-01T00:00:00Z', { status: 'confirmed', updated_at: '2025-01-05T00:00:00Z' });
    expect(withMedication(list, confirmed).find((m) => m.id === 'b')!.status).toBe('confirmed');
  });

  it('keeps the newer row when an older update arrives late', () => {
    const newer = row('a', '2025-01-01T00:00:00Z', { status: 'confirmed', updated_at: '2025-01-09T00:00:00Z' });
    const stale = row('a', '2025-01-01T00:00:00Z', { updated_at: '2025-01-02T00:00:00Z' });
    expect(withMedication([newer], stale)[0]!.status).toBe('confirmed');
  });

  it('removes a deleted row', () => {
    expect(withoutMedication([row('a', '2025-01-01T00:00:00Z')], 'a')).toEqual([]);
  });

  it('titles a row by name and dosage', () => {
    expect(titleOf({ name: 'Lisinopril', dosage: '10 mg' })).toBe('Lisinopril 10 mg');
    expect(titleOf({ name: null, dosage: null })).toBe('Unnamed medication');
  });
});
