/** An encoded value found in a text, and the text that names it (shared by the decoded view's finders). */

/** [start, end) of the value's characters, and where the name before it starts. */
export interface EncodedValue {
  start: number;
  end: number;
  /** Where the text naming the value starts (its line's start, at most NAME_BYTES before). */
  nameStart: number;
}

/** The name kept before a value: enough for `spec.template.data.DATABASE_PASSWORD: `. */
export const NAME_BYTES = 120;

/** Start of the name before `at`: the line's start, or NAME_BYTES before (searched no further: one long line stays linear). */
export function nameStartOf(text: string | Buffer, at: number): number {
  const from = Math.max(0, at - NAME_BYTES);
  // A Latin-1 string has one character per byte: the same offsets either way (the bytes need no copy).
  const nl =
    typeof text === "string" ? text.slice(from, at).lastIndexOf("\n") : text.subarray(from, at).lastIndexOf(0x0a);
  return from + nl + 1;
}
