/**
 * The parts of a big blob worth scanning for a change: its added lines plus CONTEXT bytes on each
 * side, as fragments with their true first line and column. Any match that touches an added line
 * lies inside (keyword windows reach 1 KiB before and 32 KiB after a keyword), so the findings are
 * those of a whole-blob scan while a one-line edit of a 5 MB bundle costs ~130 KB of regex work,
 * not 5 MB, commit after commit.
 */
import { utf16Length } from "../detection/position.js";
import type { Fragment, FragmentOrigin } from "../sources/fragment.js";
import type { LineRange } from "../sources/git/line-ranges.js";

/** Bytes kept before and after the added lines. */
export const CONTEXT = 64 * 1024;
/** Below this size a blob is scanned whole: cutting it would save little. */
export const REGION_MIN_BLOB = 256 * 1024;

/** Byte offset of the start of each wanted line (1-based line numbers, ascending), one pass over the data. */
function lineStarts(data: Buffer, lines: number[]): Map<number, number> {
  const out = new Map<number, number>();
  let line = 1;
  let at = 0;
  for (const want of lines) {
    while (line < want) {
      const nl = data.indexOf(10, at);
      if (nl === -1) return out;
      at = nl + 1;
      line++;
    }
    out.set(want, at);
  }
  return out;
}

/** Moves an offset back to the start of a UTF-8 character. */
function charStart(data: Buffer, at: number): number {
  let i = at;
  while (i > 0 && i < data.length && (data[i]! & 0xc0) === 0x80) i--;
  return i;
}

function countNewlines(data: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = data.indexOf(10, from); i !== -1 && i < to; i = data.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Fragments covering the added lines with CONTEXT around them, merged where they overlap.
 * `firstColumn` is the column before data[0] of a whole text (-1 after a UTF-8 BOM).
 */
export function addedRegions(
  data: Buffer,
  added: readonly LineRange[],
  origin: FragmentOrigin,
  firstColumn: number,
): Fragment[] {
  const wanted = [...new Set(added.flatMap((r) => [r.start, r.end + 1]))].sort((a, b) => a - b);
  const starts = lineStarts(data, wanted);
  const spans: { from: number; to: number; line: number }[] = [];
  for (const r of added) {
    const lineStart = starts.get(r.start);
    if (lineStart === undefined) continue; // past the end: nothing there
    const afterEnd = starts.get(r.end + 1) ?? data.length;
    const from = charStart(data, Math.max(0, lineStart - CONTEXT));
    const to = charStart(data, Math.min(data.length, afterEnd + CONTEXT));
    const line = r.start - countNewlines(data, from, lineStart);
    const last = spans[spans.length - 1];
    if (last && from <= last.to) last.to = Math.max(last.to, to);
    else spans.push({ from, to, line });
  }
  return spans.map(({ from, to, line }) => {
    const lineBegin = from === 0 ? 0 : data.lastIndexOf(10, from - 1) + 1;
    const column = (lineBegin === 0 ? firstColumn : 0) + (from > lineBegin ? utf16Length(data, lineBegin, from) : 0);
    return { ...origin, data: data.subarray(from, to), firstLine: line, firstColumn: column, acceptBefore: to - from };
  });
}
