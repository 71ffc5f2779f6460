/**
 * Cheaper regexes with the same matches. RE2 expands a counted repetition into a copy of its
 * atom per count, and a negated class such as `[^\s"'<>]` is a dozen instructions in UTF-8: the
 * generic rules' `([^\s"'…]{8,200})` values were ~11 M of the ~13 M instructions of compiling
 * each, again for its reverse program when it matches, and again in every RE2.Set holding it
 * (a pre-commit hook compiles those). Where such a repetition is a whole capture group, its
 * upper bound is dropped (`{8,200}` becomes `{8,}`) and checked on the match instead: the group
 * may hold at most that many characters.
 *
 * Why the matches are the same: the relaxed regex R' matches everything R matches and more. RE2
 * reports, at the leftmost position where any match starts, the first match in priority order
 * (Perl's leftmost-first). R's ways to match are exactly R''s ways that repeat the atom at most
 * `max` times, in the same priority order (one more repetition comes before stopping, or after it
 * for a lazy one, in both). So when R''s match repeats the atom at most `max` times it is R's
 * match too; the group's character count is that number, as long as no repetition encloses the
 * group (which would report only its last round) — such groups are left as they are. When the
 * group is too long, R itself (compiled then, once) answers from the same starting offset.
 */

import { type BufferMatch, execBuffer, type Regex } from "./regex.js";
import { applyEdits, type SourceEdit } from "./source-edits.js";

/** A group's number and the most characters it may hold. */
export type GroupBound = [group: number, max: number];

export interface RelaxedRegex {
  /** The source with those groups' upper bounds dropped. */
  source: string;
  bounds: GroupBound[];
}

/** Upper bounds from this size up are worth dropping (a small one costs little to expand). */
const MIN_BOUND = 32;

/** A single-character atom: `.`, a class escape, or a bracketed class (with POSIX classes inside). */
function atomEnd(src: string, i: number): number {
  const ch = src[i];
  if (ch === ".") return i + 1;
  if (ch === "\\") {
    const e = src[i + 1];
    if (e !== undefined && "sSdDwW".includes(e)) return i + 2;
    if (e === "p" || e === "P") {
      if (src[i + 2] === "{") {
        const close = src.indexOf("}", i + 3);
        return close === -1 ? -1 : close + 1;
      }
      return /[A-Za-z]/.test(src[i + 2] ?? "") ? i + 3 : -1;
    }
    return -1;
  }
  if (ch !== "[") return -1;
  let j = i + 1;
  if (src[j] === "^") j++;
  if (src[j] === "]") j++;
  while (j < src.length) {
    const c = src[j];
    if (c === "\\") j += 2;
    else if (c === "[" && src[j + 1] === ":") {
      const close = src.indexOf(":]", j + 2);
      if (close === -1) return -1;
      j = close + 2;
    } else if (c === "]") return j + 1;
    else j++;
  }
  return -1;
}

/** The greatest repetition count of a quantifier at `i` (1 when none), and where it ends. */
function quantifierAt(src: string, i: number): { max: number; end: number } {
  const ch = src[i];
  let max = 1;
  let end = i;
  if (ch === "*" || ch === "+") {
    max = Number.POSITIVE_INFINITY;
    end = i + 1;
  } else if (ch === "?") end = i + 1;
  else if (ch === "{") {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
    if (m) {
      max = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
      end = i + m[0].length;
    }
  }
  if (end > i && src[end] === "?") end++;
  return { max, end };
}

/**
 * How to relax an RE2 pattern: its edits (each `{m,n}` to `{m,}`) and the bounds to check, or null
 * when no group qualifies (or the pattern holds something this reader does not follow, such as
 * `\Q…\E`). The build works this out once per built-in rule (detection/search-hints.ts).
 */
export function relaxEdits(source: string): { edits: SourceEdit[]; bounds: GroupBound[] } | null {
  if (source.includes("\\Q")) return null;
  interface Open {
    /** Capture group number, 0 for a non-capturing group. */
    group: number;
    /** Index after the group's opening. */
    body: number;
    /** Bounded-group candidates found inside it: [group, start of "{", end of quantifier, max]. */
    inner: [number, number, number, number][];
  }
  const stack: Open[] = [{ group: 0, body: 0, inner: [] }];
  const edits: [number, number, number, number][] = [];
  let groups = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === "\\") {
      i += 2;
    } else if (ch === "[") {
      const end = atomEnd(source, i);
      if (end === -1) return null;
      i = end;
    } else if (ch === "(") {
      if (source[i + 1] !== "?") {
        stack.push({ group: ++groups, body: i + 1, inner: [] });
        i++;
      } else if (source.startsWith("(?P<", i) || /^\(\?<[A-Za-z]/.test(source.slice(i, i + 4))) {
        const close = source.indexOf(">", i);
        if (close === -1) return null;
        stack.push({ group: ++groups, body: close + 1, inner: [] });
        i = close + 1;
      } else {
        const m = /^\(\?[A-Za-z-]*([:)])/.exec(source.slice(i));
        if (!m) return null;
        i += m[0].length;
        if (m[1] === ":") stack.push({ group: 0, body: i, inner: [] });
      }
    } else if (ch === ")") {
      const open = stack.pop();
      if (!open || stack.length === 0) return null;
      const parent = stack[stack.length - 1]!;
      const { max, end } = quantifierAt(source, i + 1);
      if (open.group > 0) {
        // The whole group one atom with a large counted repetition?
        const atom = atomEnd(source, open.body);
        if (atom !== -1 && source[atom] === "{") {
          const m = /^\{(\d+),(\d+)\}\??$/.exec(source.slice(atom, i));
          if (m && Number(m[2]) >= MIN_BOUND && Number(m[2]) > Number(m[1])) {
            open.inner.push([open.group, atom, i, Number(m[2])]);
          }
        }
      }
      // Inside a repetition a group reports its last round only: nothing in it can be checked.
      if (max <= 1) parent.inner.push(...open.inner);
      i = end;
    } else {
      i++;
    }
  }
  if (stack.length !== 1) return null;
  edits.push(...stack[0]!.inner);
  if (edits.length === 0) return null;
  edits.sort((a, b) => a[1] - b[1]);
  return {
    edits: edits.map(([, brace, end]): SourceEdit => {
      const m = /^\{(\d+),(\d+)\}(\??)$/.exec(source.slice(brace, end))!;
      return [brace, end, `{${m[1]},}${m[3]}`];
    }),
    bounds: edits.map(([group, , , max]) => [group, max]),
  };
}

/**
 * The relaxed form of an RE2 pattern, or null when no group qualifies (or the pattern holds
 * something this reader does not follow, such as `\Q…\E`).
 */
export function relaxBounds(source: string): RelaxedRegex | null {
  const found = relaxEdits(source);
  return found && { source: applyEdits(source, found.edits), bounds: found.bounds };
}

/** Characters in UTF-8 bytes [start, end) (what a regex atom counts); past `max`, just more than it. */
function charsExceed(data: Buffer, start: number, end: number, max: number): boolean {
  if (end - start <= max) return false;
  let chars = 0;
  for (let i = start; i < end; i++) if ((data[i]! & 0xc0) !== 0x80 && ++chars > max) return true;
  return false;
}

/** Whether a match of the relaxed regex holds a group longer than R allows (then R must answer). */
function exceedsBounds(
  bounds: readonly GroupBound[],
  data: Buffer,
  indices: readonly ([number, number] | undefined)[],
): boolean {
  for (const [group, max] of bounds) {
    const span = indices[group];
    if (span && charsExceed(data, span[0], span[1], max)) return true;
  }
  return false;
}

/**
 * The next match in `data` from `relaxed.lastIndex`, as the regex as written finds it: `relaxed`
 * (global, with indices) is the relaxed form, `exact()` the regex as written (compiled when first
 * needed), and `relaxed.lastIndex` is left after the match, as exec leaves it.
 */
export function execRelaxed(
  relaxed: Regex,
  bounds: readonly GroupBound[],
  exact: () => Regex,
  data: Buffer,
): BufferMatch | null {
  const at = relaxed.lastIndex;
  const m = execBuffer(relaxed, data);
  if (m === null || !exceedsBounds(bounds, data, m.indices)) return m;
  const re = exact();
  re.lastIndex = at;
  const own = execBuffer(re, data);
  relaxed.lastIndex = own === null ? 0 : re.lastIndex;
  return own;
}
