/**
 * A rule's gate: a much cheaper regex that matches wherever the rule's own does, asked first on a
 * text so that the rule's regex compiles only for texts where it may match. RE2 expands a counted
 * repetition into one copy of its atom per count, and the composed context rules hold dozens of
 * them (`[\w.-]{0,20}?`, `[ \t]{0,16}`, `.{0,300}?`): compiling the ~100 rules git/git's files
 * select was ~20 % of each scanning thread's instructions, and most of those rules then match
 * nothing. The gate drops each large upper bound and caps the lower one: `X{m,n}` with n > CAP
 * reads `X{min(m, CAP),}`.
 *
 * Why no match is lost: every count in [m, n] is at least min(m, CAP), so every string the rule's
 * regex matches, the gate matches too, with the same assertions (`\b`, `^`, `\z`) at the same
 * places; where the gate matches nowhere in a text, the rule's regex does not either. Where the
 * gate does match, the rule's regex runs as before: the gate only ever skips work. Nor can the gate
 * match the empty string where the rule cannot: a lower bound above CAP becomes CAP, not 0.
 */

import { applyEdits, type SourceEdit } from "./source-edits.js";

/** Counted repetitions up to this size stay as written: cheap to expand, and they keep the gate selective. */
const CAP = 16;

/** Where the escape at `i` ends (`\p{Greek}`, `\x{263a}` and `\Q…\E` included). */
function escapeEnd(src: string, i: number): number {
  const e = src[i + 1];
  if ((e === "p" || e === "P" || e === "x") && src[i + 2] === "{") {
    const close = src.indexOf("}", i + 3);
    return close === -1 ? src.length : close + 1;
  }
  if (e === "Q") {
    const close = src.indexOf("\\E", i + 2);
    return close === -1 ? src.length : close + 2;
  }
  return i + 2;
}

/** Where the bracketed class opening at `i` ends (POSIX classes and escapes inside it). */
function classEnd(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === "^") j++;
  if (src[j] === "]") j++;
  while (j < src.length) {
    const c = src[j];
    if (c === "\\") j = escapeEnd(src, j);
    else if (c === "[" && src[j + 1] === ":") {
      const close = src.indexOf(":]", j + 2);
      j = close === -1 ? j + 1 : close + 2;
    } else if (c === "]") return j + 1;
    else j++;
  }
  return src.length;
}

/**
 * The edits that make an RE2 regex `source` its gate, or null when no repetition in it is large
 * enough to relax (the regex is then its own gate: asking it twice would gain nothing). The build
 * works this out once per built-in rule (detection/search-hints.ts).
 */
export function gateEdits(source: string): SourceEdit[] | null {
  const edits: SourceEdit[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let end = i + 1;
    if (c === "\\") end = escapeEnd(source, i);
    else if (c === "[") end = classEnd(source, i);
    else if (c === "{") {
      // In a regex RE2 accepts, `{m}`, `{m,}` and `{m,n}` outside a class are always repetitions.
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(source.slice(i, i + 16));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
        // `{m,}` with a small m is already as cheap as it gets.
        if (max > CAP && (max !== Number.POSITIVE_INFINITY || min > CAP)) {
          const low = Math.min(min, CAP);
          edits.push([i, i + m[0].length, low === 0 ? "*" : low === 1 ? "+" : `{${low},}`]);
          i += m[0].length;
          continue;
        }
      }
    }
    i = end;
  }
  return edits.length > 0 ? edits : null;
}

/** The gate's source for an RE2 regex `source`, or null when it is its own gate (see {@link gateEdits}). */
export function gateSource(source: string): string | null {
  const edits = gateEdits(source);
  return edits && applyEdits(source, edits);
}
