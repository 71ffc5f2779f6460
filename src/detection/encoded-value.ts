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
export function nameStartOf(text: string, at: number): number {
  const from = Math.max(0, at - NAME_BYTES);
  return from + text.slice(from, at).lastIndexOf("\n") + 1;
}
