import { describe, expect, it } from 'vitest';
import { printable } from './terminal.text.js';

describe('text printed in a terminal', () => {
  it('shows escape sequences, control characters and bidi overrides instead of obeying them', () => {
    const name = 'Kitchen\u001b[2J\u001b]0;pwned\u0007\u0000\u009b31m tablet \u202Eevil';
    const shown = printable(name);
    expect(shown).toBe('Kitchen\\u{1b}[2J\\u{1b}]0;pwned\\u{07}\\u{00}\\u{9b}31m tablet \\u{202e}evil');
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('leaves ordinary names alone, accents and emoji included, and cannot be fooled by a typed escape', () => {
    expect(printable('Küche – Tablet 😀')).toBe('Küche – Tablet 😀');
    expect(printable('a\\u{1b}b')).toBe('a\\\\u{1b}b');
  });
});
