import { describe, expect, it } from 'vitest';
import { cleanText, escapeControlCharacters, hasControlCharacters, lineText, multilineText } from './text.schema.js';

describe('text fields', () => {
  it('keep what labels print, accents and symbols included', () => {
    for (const s of ['Amlodipine 10 mg', 'Crème Émolliente 0.1%', 'Take ½ tablet — with food', 'µg', '']) {
      expect(lineText().safeParse(s).success).toBe(true);
    }
  });

  it('refuse NUL, escape sequences, DEL and bidirectional overrides, naming the problem', () => {
    for (const s of ['a\u0000b', '\u001b[2Jname', 'x\u007f', 'evil\u202Etxt.exe', 'a\u0085b']) {
      const result = lineText().safeParse(s);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/control characters/);
      expect(hasControlCharacters(s)).toBe(true);
    }
  });

  it('allow line breaks only where text may span lines', () => {
    expect(lineText().safeParse('TAKE 1 TABLET\nDAILY').success).toBe(false);
    expect(multilineText().safeParse('TAKE 1 TABLET\nDAILY\tWITH FOOD\r\n').success).toBe(true);
    expect(multilineText().safeParse('TAKE\u0000').success).toBe(false);
  });
});

describe('text a producer cleans, and text shown to an operator', () => {
  it('refuses half a surrogate pair, keeps a whole one', () => {
    expect(lineText().safeParse('a\ud800b').success).toBe(false);
    expect(lineText().safeParse('pill 💊').success).toBe(true);
  });

  it('cleanText leaves text that passes as it is and makes any other text pass', () => {
    expect(cleanText('Amlodipine 10 mg')).toBe('Amlodipine 10 mg');
    expect(cleanText('a\u0000b\u001b[2J\r\n\tc\ud800')).toBe('ab[2J c');
    expect(cleanText('TAKE 1\nDAILY\f', true)).toBe('TAKE 1\nDAILY');
    for (const s of ['x\u0000\n\u202Ey', '\u0085\t\t', '\udc00']) {
      expect(lineText().safeParse(cleanText(s)).success).toBe(true);
      expect(multilineText().safeParse(cleanText(s, true)).success).toBe(true);
    }
  });

  it('escapeControlCharacters shows what a terminal would have obeyed', () => {
    expect(escapeControlCharacters('Kitchen\u001b[2J\u0000\n')).toBe('Kitchen\\u001b[2J\\u0000\\u000a');
    expect(escapeControlCharacters('Crème ½')).toBe('Crème ½');
  });
});
