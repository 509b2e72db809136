import type { PersonEvent } from '@rxscan/contracts';
import type { Person } from './table.schema.js';

/**
 * How an event about the household's people changes them: the rows as they are now, none
 * when it changes nothing (a repeat, a rename of someone merged away, a merge into oneself).
 * Pure: `people` holds the rows the event names (keysOf). A merged person is kept, pointing
 * at whom they were merged into; their medications are read as that person's (api.views.ts).
 */
export function evolvePeople(people: ReadonlyMap<string, Person>, event: PersonEvent, seq: number): Person[] {
  const current = people.get(event.data.person_id) ?? null;
  switch (event.type) {
    case 'med.person.added': {
      const e = event.data;
      if (current) return [];
      return [{ id: e.person_id, name: e.name, created_at: e.added_at, updated_at: e.added_at, merged_into: null, last_seq: seq }];
    }
    case 'med.person.renamed': {
      const e = event.data;
      if (!current || current.merged_into || current.name === e.name) return [];
      return [{ ...current, name: e.name, updated_at: e.renamed_at, last_seq: seq }];
    }
    case 'med.person.merged': {
      const e = event.data;
      const into = people.get(e.into_person_id);
      if (!current || !into || current.id === into.id || current.merged_into || into.merged_into) return [];
      return [{ ...current, merged_into: into.id, updated_at: e.merged_at, last_seq: seq }];
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled person event ${(unhandled as PersonEvent).type}`);
    }
  }
}
