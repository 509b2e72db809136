import { z } from 'zod';

// Characters no label, name or note ever needs, and that break the parts downstream: NUL ends a
// string in SQLite's C API, other C0/C1 controls and DEL rewrite a terminal (`ops devices`), and
// the bidirectional overrides make a text read differently from what it holds.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const LINE_BREAK = /[\n\r\t]/;

const refuse = (schema: z.ZodString, pattern: RegExp, what: string) =>
  schema.refine((s) => !pattern.test(s), { message: `must not contain ${what}` });

/** One line of text as a person would type or a label would print it: no control characters, no line breaks. */
export const lineText = () => refuse(refuse(z.string(), CONTROL, 'control characters'), LINE_BREAK, 'line breaks or tabs');

/** Text that may span lines (OCR output, notes): tabs and line breaks allowed, other control characters not. */
export const multilineText = () => refuse(z.string(), CONTROL, 'control characters');

/** True when `s` holds a character that `multilineText` refuses. */
export const hasControlCharacters = (s: string): boolean => CONTROL.test(s);
