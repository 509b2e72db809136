import { describe, expect, it } from 'vitest';
import { hasControlCharacters, lineText, multilineText } from './text.schema.js';

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
