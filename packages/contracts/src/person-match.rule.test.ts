import { describe, expect, it } from 'vitest';
import { matchPerson, nameAgreement, personNameOf } from './person-match.rule.js';

const people = [
  { id: 'p-sarah', name: 'Sarah Smith' },
  { id: 'p-tom', name: 'Thomas Brown' },
  { id: 'p-john', name: 'John Smith' },
];

describe('matching a label’s patient to a person of the household', () => {
  it('finds the person however the label prints the name: order, case, comma, title, middle initial', () => {
    for (const printed of ['SMITH, SARAH', 'Sarah Smith', 'sarah smith', 'SARAH J. SMITH', 'Smith, Sarah J', 'MRS SARAH SMITH', 'SMITH SARAH']) {
      expect(matchPerson(printed, people)?.id, printed).toBe('p-sarah');
    }
  });

  it('finds the person when one of the two names carries a middle name the other leaves out', () => {
    expect(nameAgreement('Sarah Jane Smith', 'Sarah Smith')).toBe('likely');
    expect(matchPerson('SMITH, SARAH JANE', people)?.id).toBe('p-sarah');
  });

  it('does not take a shared surname or a shared first name for the same person', () => {
    expect(matchPerson('Jane Smith', people)).toBeNull();
    expect(matchPerson('Sarah Connor', people)).toBeNull();
    expect(nameAgreement('Smith', 'John Smith')).toBeNull();
  });

  it('prefers the same name to a likely one, and leaves the choice to a person when two are equally good', () => {
    const family = [
      { id: 'sr', name: 'John Smith' },
      { id: 'jr', name: 'John Smith Jr' },
    ];
    expect(matchPerson('SMITH, JOHN', family)?.id).toBe('sr');
    expect(matchPerson('John Smith Jr.', family)?.id).toBe('jr');
    const twins = [
      { id: 'a', name: 'Alex Kim' },
      { id: 'b', name: 'Kim Alex' },
    ];
    expect(matchPerson('ALEX KIM', twins)).toBeNull();
  });

  it('matches nobody for an empty or unread name', () => {
    expect(matchPerson(null, people)).toBeNull();
    expect(matchPerson('  ', people)).toBeNull();
    expect(matchPerson('—', people)).toBeNull();
  });

  it('writes a printed name the way a person would: given name first, capitalised', () => {
    expect(personNameOf('SMITH, SARAH J.')).toBe('Sarah J Smith');
    expect(personNameOf('MR THOMAS BROWN')).toBe('Thomas Brown');
    expect(personNameOf('José Álvarez')).toBe('Jose Alvarez');
  });
});
