import type { MedicationView } from '@rxscan/contracts';

/** Newest first, as med-store lists them. */
const byNewest = (a: MedicationView, b: MedicationView) => b.created_at.localeCompare(a.created_at);

/** The list with `med` added or replaced (a push, a confirm). */
export function withMedication(list: readonly MedicationView[], med: MedicationView): MedicationView[] {
  const current = list.find((m) => m.id === med.id);
  // A push can arrive after the answer to a later write; keep the newer row.
  if (current && current.updated_at > med.updated_at) return [...list];
  return [...list.filter((m) => m.id !== med.id), med].sort(byNewest);
}

export const withoutMedication = (list: readonly MedicationView[], id: string): MedicationView[] => list.filter((m) => m.id !== id);

/** "Lisinopril 10 mg", or a placeholder when the name was not read. */
export const titleOf = (m: { name: string | null; dosage: string | null }): string =>
  [m.name ?? 'Unnamed medication', m.dosage].filter(Boolean).join(' ');
