import { describe, expect, it } from 'vitest';
import type { PersonView } from '@rxscan/contracts';
import { personFields, proposedPerson } from './person-choice.rule.js';

const person = (id: string, name: string): PersonView => ({ id, name, created_at: '', updated_at: '' });
const household = [person('sarah', 'Sarah Smith'), person('tom', 'Thomas Brown')];

describe('whose a reading is, as the review proposes it', () => {
  it('proposes the person the printed name matches, however it is printed', () => {
    expect(proposedPerson('SMITH, SARAH J', household)).toEqual({ kind: 'existing', id: 'sarah' });
  });

  it('proposes a new person, named as a person writes it, when nobody matches', () => {
    expect(proposedPerson('KOWALSKI, SAMUEL', household)).toEqual({ kind: 'new', name: 'Samuel Kowalski' });
  });

  it('keeps whoever a medication already belongs to, and proposes nobody when no name was read', () => {
    expect(proposedPerson('SMITH, SARAH', household, 'tom')).toEqual({ kind: 'existing', id: 'tom' });
    expect(proposedPerson(null, household)).toEqual({ kind: 'none' });
  });

  it('turns a choice into the request fields', () => {
    expect(personFields({ kind: 'existing', id: 'tom' })).toEqual({ person_id: 'tom' });
    expect(personFields({ kind: 'new', name: ' Ann Lee ' })).toEqual({ new_person: 'Ann Lee' });
    expect(personFields({ kind: 'new', name: '  ' })).toEqual({});
    expect(personFields({ kind: 'none' })).toEqual({});
  });
});
