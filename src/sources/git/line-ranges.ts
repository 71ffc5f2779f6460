/** Sets of line numbers as sorted, disjoint, inclusive ranges: what a diff adds to a file. */

/** Lines start..end of a file, 1-based, both inclusive. */
export interface LineRange {
  start: number;
  end: number;
}

/** Appends line n to sorted ranges (lines arrive in increasing order), merging with the last range. */
export function pushLine(ranges: LineRange[], n: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last.end + 1 >= n) last.end = Math.max(last.end, n);
  else ranges.push({ start: n, end: n });
}

/** Lines present in both sets: what a merge adds relative to every parent. */
export function intersectRanges(a: readonly LineRange[], b: readonly LineRange[]): LineRange[] {
  const out: LineRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start <= end) out.push({ start, end });
    if (x.end < y.end) i++;
    else j++;
  }
  return out;
}

/** True when any line from..to (inclusive) is in the set: a multi-line secret counts if one of its lines was added. */
export function touchesRanges(ranges: readonly LineRange[], from: number, to: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (r.end < from) lo = mid + 1;
    else if (r.start > to) hi = mid - 1;
    else return true;
  }
  return false;
}
