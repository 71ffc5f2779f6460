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

/** Removes line n when it is the last line of the ranges (the one pushLine added last). */
export function popLine(ranges: LineRange[], n: number): void {
  const last = ranges[ranges.length - 1];
  if (!last || last.end !== n) return;
  if (last.start === n) ranges.pop();
  else last.end = n - 1;
}

/** Appends lines start..end (inclusive, after every line already in `ranges`), merging with the last range. */
export function pushLines(ranges: LineRange[], start: number, end: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last.end + 1 >= start) last.end = Math.max(last.end, end);
  else ranges.push({ start, end });
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

/**
 * Translates line ranges counted as git counts them (at `\n` only) into the engine's lines, which
 * also end at a lone `\r` (classic Mac OS): without this, a secret after a lone `\r` sits on a
 * later line than git says was added, and is dropped. Fed the text in order, chunk by chunk.
 */
export class GitLineMap {
  /** Git lines whose first engine line is wanted (each range's start and end + 1), ascending. */
  private readonly wanted: number[];
  private next = 0;
  private readonly startOf = new Map<number, number>();
  private gitLine = 1;
  private engineLine = 1;
  private pendingCr = false;

  constructor(private readonly ranges: readonly LineRange[]) {
    this.wanted = [...new Set(ranges.flatMap((r) => [r.start, r.end + 1]))].sort((a, b) => a - b);
    this.settle();
  }

  /** Takes the next bytes of the text. */
  feed(data: Buffer): void {
    let lf = data.indexOf(10);
    let cr = data.indexOf(13);
    if (data.length === 0) return;
    if (this.pendingCr) {
      // a `\r` that ended the previous chunk: one break with a `\n` right after it, else a break of its own
      this.pendingCr = false;
      if (data[0] !== 10) this.engineLine++;
    }
    while (lf !== -1 || cr !== -1) {
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr + 1 === data.length) this.pendingCr = true;
        else if (data[cr + 1] !== 10) this.engineLine++;
        cr = data.indexOf(13, cr + 1);
      } else {
        this.engineLine++;
        this.gitLine++;
        this.settle();
        lf = data.indexOf(10, lf + 1);
      }
    }
  }

  /** The ranges in engine lines (call after the whole text was fed). */
  engineRanges(): LineRange[] {
    // the text's last git line runs to its end: no engine line lies past it
    const end = (gitLine: number) => (this.startOf.get(gitLine + 1) ?? Number.MAX_SAFE_INTEGER) - 1;
    const out: LineRange[] = [];
    for (const r of this.ranges) {
      const start = this.startOf.get(r.start);
      if (start === undefined) continue; // past the end of the text
      const last = out[out.length - 1];
      const range = { start, end: Math.max(start, end(r.end)) };
      if (last && last.end + 1 >= range.start) last.end = Math.max(last.end, range.end);
      else out.push(range);
    }
    return out;
  }

  /** Records the engine line where the current git line starts, if it is wanted. */
  private settle(): void {
    while (this.next < this.wanted.length && this.wanted[this.next]! <= this.gitLine) {
      if (this.wanted[this.next] === this.gitLine) this.startOf.set(this.gitLine, this.engineLine);
      this.next++;
    }
  }
}

/** Whether `data` holds a `\r` not followed by `\n` (a line break git does not count). */
export function hasLoneCr(data: Buffer): boolean {
  for (let cr = data.indexOf(13); cr !== -1; cr = data.indexOf(13, cr + 1)) if (data[cr + 1] !== 10) return true;
  return false;
}
