import { describe, expect, it } from 'vitest';
import { cleanPrescriberName } from './prescriber.parser.js';

describe('cleanPrescriberName', () => {
  it('gives "Given Surname" from every printed form', () => {
    expect(cleanPrescriberName('SMITH, SARAH MD', 'last-first')).toBe('Sarah Smith');
    expect(cleanPrescriberName('Dr. Margot Russo')).toBe('Margot Russo');
  });
  it('drops a title whose D was read as O or 0: "Or." and "0r." are no name words', () => {
    expect(cleanPrescriberName('Or. Margot Russo')).toBe('Margot Russo');
    expect(cleanPrescriberName('0r. Margot Russo')).toBe('Margot Russo');
    // Without the point it may be a name, and is kept.
    expect(cleanPrescriberName('Oren Margolis')).toBe('Oren Margolis');
  });
});

describe('a credential in brackets', () => {
  it('is dropped like one printed bare', () => {
    expect(cleanPrescriberName('Clarke, Amara (MD)', 'last-first')).toBe('Amara Clarke');
    expect(cleanPrescriberName('Amara Clarke (NP)')).toBe('Amara Clarke');
  });
});
