/**
 * Text from the outside world (a device's name, typed on a tablet) made safe to print in a
 * terminal: control characters (C0, DEL, C1: escape sequences that move the cursor,
 * clear the screen or retitle the window) and the Unicode bidi overrides that reorder
 * what is shown are printed as `\u{…}` escapes instead of being obeyed. A backslash is
 * doubled so an escape cannot be faked.
 */
export function printable(text: string): string {
  return text.replace(/[\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === '\\' ? '\\\\' : `\\u{${c.codePointAt(0)!.toString(16).padStart(2, '0')}}`,
  );
}
