import { matchPerson, personNameOf, type PersonView } from '@rxscan/contracts';

/** Whose a medication is, as the review offers it: someone on the list, a new person by name, or nobody yet. */
export type PersonChoice = { kind: 'existing'; id: string } | { kind: 'new'; name: string } | { kind: 'none' };

/**
 * What the review proposes for a reading: the person the label's patient name matches
 * (however it is printed), else that name as a new person, else whoever it belonged to,
 * else nobody. The person can always choose otherwise.
 */
export function proposedPerson(patient: string | null | undefined, people: readonly PersonView[], current: string | null = null): PersonChoice {
  if (current && people.some((p) => p.id === current)) return { kind: 'existing', id: current };
  const match = matchPerson(patient, people);
  if (match) return { kind: 'existing', id: match.id };
  const name = patient ? personNameOf(patient) : '';
  return name ? { kind: 'new', name } : { kind: 'none' };
}

/** The request fields for a choice: `person_id`, `new_person`, or nothing (keep as is). */
export function personFields(choice: PersonChoice): { person_id?: string | null; new_person?: string } {
  switch (choice.kind) {
    case 'existing':
      return { person_id: choice.id };
    case 'new':
      return choice.name.trim() ? { new_person: choice.name.trim() } : {};
    case 'none':
      return {};
    default: {
      const unhandled: never = choice;
      return unhandled;
    }
  }
}

/** "Sarah Smith", or words for nobody. */
export const personNameIn = (people: readonly PersonView[], id: string | null): string | null => people.find((p) => p.id === id)?.name ?? null;
