import { describe, expect, it, vi } from 'vitest';
import type { MedicationView } from '@rxscan/contracts';
import { ApiError } from './api.errors.js';
import { MedicationListState, type MedicationState } from './medication-list.state.js';
import { medicationRow } from './test.fixtures.js';

const row = (id: string, over: Partial<MedicationView> = {}): MedicationView => medicationRow(id, over);

function storeWith(list: MedicationView[]) {
  const api = {
    medications: vi.fn(async () => list),
    add: vi.fn(async (fields: object) => row('typed', { ...fields, status: 'confirmed', created_at: '2025-01-03T00:00:00Z' })),
    confirm: vi.fn(async (id: string, changes: object) => row(id, { ...changes, status: 'confirmed', updated_at: '2025-01-02T00:00:00Z' })),
    update: vi.fn(async (id: string, changes: object) => row(id, { ...changes, updated_at: '2025-01-02T00:00:00Z' })),
    remove: vi.fn(async () => {}),
  };
  let state: MedicationState | undefined;
  const store = new MedicationListState({ api, onChange: (s) => (state = s) });
  return { api, store, state: () => state! };
}

describe('MedicationListState', () => {
  it('given the list is fetched, when a person confirms with an edit, then the row shows the confirmed values', async () => {
    const { api, store, state } = storeWith([row('a')]);
    await store.refresh();
    expect(state()).toMatchObject({ loaded: true, problem: null });
    const saved = await store.confirm('a', { dosage: '20 mg' });
    expect(api.confirm).toHaveBeenCalledWith('a', { dosage: '20 mg' });
    expect(saved.status).toBe('confirmed');
    expect(store.find('a')).toMatchObject({ status: 'confirmed', dosage: '20 mg' });
  });

  it('adds a typed-in medication, updates one and remembers what was removed here', async () => {
    const { store, state } = storeWith([row('a')]);
    await store.refresh();
    await store.add({ name: 'Metformin' });
    expect(state().list.map((m) => m.id)).toEqual(['typed', 'a']);
    await store.update('a', { refills: 1 });
    expect(store.find('a')!.refills).toBe(1);
    await store.remove('a');
    expect(store.find('a')).toBeUndefined();
    expect(state().removed.has('a')).toBe(true);
  });

  it('rejects with words to show, and leaves the list as it was', async () => {
    const { api, store } = storeWith([row('a')]);
    await store.refresh();
    api.remove.mockRejectedValueOnce(new TypeError('fetch failed'));
    await expect(store.remove('a')).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/Wi-Fi/) });
    expect(store.find('a')).toBeDefined();
  });

  it('says why the list could not be fetched', async () => {
    const { api, store, state } = storeWith([]);
    api.medications.mockRejectedValueOnce(new ApiError(502, 'upstream_unavailable', 'The medication list service is not answering.'));
    await store.refresh();
    expect(state()).toMatchObject({ loaded: true, problem: 'The medication list service is not answering.' });
  });

  it('follows pushes from other tablets', async () => {
    const { store } = storeWith([]);
    store.applyPush({ type: 'medication', medication: row('b') });
    expect(store.find('b')).toBeDefined();
    store.applyPush({ type: 'medication-deleted', id: 'b' });
    expect(store.find('b')).toBeUndefined();
  });

  it("saves what the review dialog asked for; a typed-in medication replaces the nameless draft", async () => {
    const { api, store } = storeWith([row('nameless', { name: null })]);
    await store.refresh();
    await store.save({ kind: 'add', fields: { name: 'Metformin' }, replaces: 'nameless' });
    expect(api.remove).toHaveBeenCalledWith('nameless');
    expect(store.find('nameless')).toBeUndefined();
    await store.save({ kind: 'update', id: 'typed', changes: { refills: 2 } });
    expect(api.update).toHaveBeenCalledWith('typed', { refills: 2 });
  });
});
