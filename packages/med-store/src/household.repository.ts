import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { isRecordId, nameAgreement, personNameSchema, type MedEvent } from '@rxscan/contracts';
import { httpError } from '@rxscan/service-kit';
import { MedSchema, PersonSchema, type Med, type Person } from './table.schema.js';
import { personResolver, type PersonResolver } from './api.views.js';

/** Who a medication should belong to, as a request asks: a person on the list, a new one by name, or nobody. */
export interface PersonChoice {
  person_id?: string | null;
  new_person?: string;
}

/** The household's medications and people as the tables have them, for the routes. */
export class HouseholdRepository {
  constructor(private readonly orm: MikroORM) {}

  private em() {
    return this.orm.em.fork();
  }

  /** Everyone, merged people included (they resolve to whom they were merged into). */
  people(): Promise<Person[]> {
    return this.em().find(PersonSchema, {}, { orderBy: { name: 'asc' } });
  }

  async resolver(): Promise<PersonResolver> {
    return personResolver(await this.people());
  }

  /** A medication on the list (not deleted), or 404. */
  async medication(id: string): Promise<Med> {
    const med = isRecordId(id) ? await this.em().findOne(MedSchema, { id, deleted_at: null }) : null;
    if (!med) throw httpError(404, 'medication_not_found', `no medication with id ${id}`);
    return med;
  }

  /** A medication whatever became of it, or null. */
  async anyMedication(id: string): Promise<Med | null> {
    return isRecordId(id) ? this.em().findOne(MedSchema, { id }) : null;
  }

  /** The person an id names today (after merges), or 404. */
  async person(id: string): Promise<Person> {
    if (!isRecordId(id)) throw httpError(404, 'person_not_found', 'no such person');
    const people = await this.people();
    const resolved = personResolver(people)(id);
    const person = people.find((p) => p.id === resolved && !p.merged_into);
    if (!person) throw httpError(404, 'person_not_found', `no person with id ${id}`);
    return person;
  }

  /**
   * The person a request chose, and the event that adds them when they are new. A new name
   * that is the same as someone's on the list ("SMITH, SARAH" and "Sarah Smith") is that person:
   * two tablets, or two taps, do not make two of them. `undefined`: the request did not say.
   */
  async choosePerson(choice: PersonChoice, now: Date): Promise<{ personId: string | null | undefined; events: MedEvent[] }> {
    if (choice.new_person !== undefined) {
      const parsed = personNameSchema.safeParse(choice.new_person);
      if (!parsed.success) throw httpError(400, 'invalid_person', `new_person: ${parsed.error.issues[0]?.message ?? 'not a name'}`);
      const existing = (await this.people()).find((p) => !p.merged_into && nameAgreement(p.name, parsed.data) === 'same');
      if (existing) return { personId: existing.id, events: [] };
      const personId = randomUUID();
      return { personId, events: [{ type: 'med.person.added', data: { person_id: personId, name: parsed.data, added_at: now.toISOString() } }] };
    }
    if (choice.person_id === undefined || choice.person_id === null) return { personId: choice.person_id, events: [] };
    return { personId: (await this.person(choice.person_id)).id, events: [] };
  }
}
