import { describe, expect, it } from 'vitest';
import type { PersonEvent } from '@rxscan/contracts';
import { evolvePeople } from './person.projection.js';
import type { Person } from './table.schema.js';

const at = (m: number) => new Date(Date.UTC(2026, 10, 28, 10, m)).toISOString();
const added = (id: string, name: string): PersonEvent => ({ type: 'med.person.added', data: { person_id: id, name, added_at: at(0) } });

function run(events: PersonEvent[]): Map<string, Person> {
  const people = new Map<string, Person>();
  events.forEach((e, i) => {
    for (const p of evolvePeople(people, e, i + 1)) people.set(p.id, p);
  });
  return people;
}

describe('evolvePeople', () => {
  it('adds a person once, renames them, and a second add of the same id changes nothing', () => {
    const people = run([added('person-0001', 'Sarah Smith'), { type: 'med.person.renamed', data: { person_id: 'person-0001', name: 'Sarah J. Smith', renamed_at: at(1) } }]);
    expect(people.get('person-0001')).toMatchObject({ name: 'Sarah J. Smith', created_at: at(0), updated_at: at(1), merged_into: null });
    expect(evolvePeople(people, added('person-0001', 'Someone else'), 9)).toEqual([]);
  });

  it('merges one person into another; neither a merged person nor a merge into oneself changes anything after', () => {
    const people = run([added('person-0001', 'Sarah Smith'), added('person-0002', 'SMITH SARAH'), { type: 'med.person.merged', data: { person_id: 'person-0002', into_person_id: 'person-0001', merged_at: at(2) } }]);
    expect(people.get('person-0002')!.merged_into).toBe('person-0001');
    expect(evolvePeople(people, { type: 'med.person.renamed', data: { person_id: 'person-0002', name: 'X Y', renamed_at: at(3) } }, 9)).toEqual([]);
    expect(evolvePeople(people, { type: 'med.person.merged', data: { person_id: 'person-0001', into_person_id: 'person-0002', merged_at: at(3) } }, 9)).toEqual([]);
    expect(evolvePeople(people, { type: 'med.person.merged', data: { person_id: 'person-0001', into_person_id: 'person-0001', merged_at: at(3) } }, 9)).toEqual([]);
  });

  it('ignores a rename or merge of someone it never saw added', () => {
    expect(evolvePeople(new Map(), { type: 'med.person.renamed', data: { person_id: 'person-0009', name: 'A B', renamed_at: at(1) } }, 1)).toEqual([]);
  });
});
