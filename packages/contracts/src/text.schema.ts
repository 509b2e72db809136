import { z } from 'zod';

// Characters no label, name or note ever needs, and that break the parts downstream: NUL ends a
// string in SQLite's C API, other C0/C1 controls and DEL rewrite a terminal (`ops devices`), and
// the bidirectional overrides make a text read differently from what it holds.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');
/** Half of a UTF-16 pair without the other half: not text, and turned into U+FFFD by whatever stores it. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const LONE_SURROGATE_ALL = /[\uD800-\uDFFF]/gu;
const LINE_BREAK = /[\n\r\t]/;
const LINE_BREAK_ALL = /[\n\r\t]+/g;

const refuse = (schema: z.ZodString, pattern: RegExp, what: string) =>
  schema.refine((s) => !pattern.test(s), { message: `must not contain ${what}` });

const text = () => refuse(refuse(z.string(), CONTROL, 'control characters'), LONE_SURROGATE, 'unpaired surrogates');

/** One line of text as a person would type or a label would print it: no control characters, no line breaks. */
export const lineText = () => refuse(text(), LINE_BREAK, 'line breaks or tabs');

/** Text that may span lines (OCR output, notes): tabs and line breaks allowed, other control characters not. */
export const multilineText = () => text();

/** True when `s` holds a character that `multilineText` refuses. */
export const hasControlCharacters = (s: string): boolean => CONTROL.test(s) || LONE_SURROGATE.test(s);

/**
 * `s` with every character `multilineText` refuses taken out, and, for one line, each run of
 * line breaks and tabs made one space: what a producer (the OCR worker) does to text it read
 * before it publishes it, so its own events always pass their schema.
 */
export function cleanText(s: string, multiline = false): string {
  const kept = s.replace(CONTROL_ALL, '').replace(LONE_SURROGATE_ALL, '');
  return multiline ? kept : kept.replace(LINE_BREAK_ALL, ' ');
}

/** `s` safe to print on a terminal or in a log line: control characters shown as `\uXXXX` escapes. */
export function escapeControlCharacters(s: string): string {
  return s.replace(new RegExp(`${CONTROL.source}|[\\n\\r\\t]`, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(LONE_SURROGATE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
