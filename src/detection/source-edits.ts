/** Rewriting a regex source by spans: what the relaxed form and the gate are, given their base source. */

/** Characters [start, end) of a source replaced by `text`. */
export type SourceEdit = [start: number, end: number, text: string];

/** `source` with each edit applied (edits in order, not overlapping). */
export function applyEdits(source: string, edits: readonly SourceEdit[]): string {
  let out = "";
  let at = 0;
  for (const [start, end, text] of edits) {
    out += source.slice(at, start) + text;
    at = end;
  }
  return out + source.slice(at);
}
