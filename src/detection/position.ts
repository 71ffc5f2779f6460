/**
 * Byte offsets → 1-based line and UTF-16 column (SARIF's default column unit), computed only
 * for matches: the line-break index of a text is built on first use. A line ends at `\n`, at
 * `\r\n` (one break) or at a lone `\r` (classic Mac OS).
 */
export class PositionMap {
  private breaks: number[] | null = null;
  /** The last offset located, when it starts a character: the next one on its line counts from there. */
  private cursor = { offset: -1, line: -1, units: 0 };

  /**
   * @param data the text
   * @param firstLine line number of data[0]
   * @param firstColumn UTF-16 units already on data[0]'s line before it (chunked files)
   * @param meter counts the bytes decoded to find columns (scaling tests)
   */
  constructor(
    private readonly data: Buffer,
    private readonly firstLine = 1,
    private readonly firstColumn = 0,
    private readonly meter?: { positionBytes: number },
  ) {}

  private index(): number[] {
    this.breaks ??= lineBreaks(this.data);
    return this.breaks;
  }

  /** Number of line breaks strictly before `offset`. */
  private linesBefore(offset: number): number {
    const nl = this.index();
    let lo = 0;
    let hi = nl.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nl[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** 1-based line and 1-based UTF-16 column of a byte offset. */
  locate(offset: number): { line: number; column: number } {
    const before = this.linesBefore(offset);
    const lineStart = before === 0 ? 0 : this.index()[before - 1]! + 1;
    const carried = before === 0 ? this.firstColumn : 0;
    // Many findings on one long line (a minified bundle) would each decode it from its start.
    const c = this.cursor;
    const from = c.line === before && c.offset <= offset ? c.offset : lineStart;
    const units = (from === lineStart ? 0 : c.units) + utf16Length(this.data, from, offset);
    if (this.meter) this.meter.positionBytes += offset - from;
    // Decoding may restart only where a character starts (not on a continuation byte).
    const b = this.data[offset];
    if (b === undefined || b < 0x80 || b >= 0xc0) this.cursor = { offset, line: before, units };
    return { line: this.firstLine + before, column: carried + units + 1 };
  }

  /** Whether a line break lies inside [start, end). */
  spansLines(start: number, end: number): boolean {
    return this.linesBefore(end) > this.linesBefore(start);
  }

  /** The text of the line holding `offset` (for inline allow and line allowlists), capped in length. */
  lineText(offset: number, cap = 4096): string {
    const before = this.linesBefore(offset);
    const nl = this.index();
    const start = Math.max(before === 0 ? 0 : nl[before - 1]! + 1, offset - cap);
    const end = Math.min(before < nl.length ? nl[before]! : this.data.length, offset + cap);
    return this.data.toString("utf8", start, end);
  }
}

/**
 * Offsets of the line breaks in `data` before `upTo`: every `\n`, and every `\r` not followed by
 * `\n` (a `\r\n` is one break, at its `\n`). A `\r` just before `upTo` looks past it.
 */
export function lineBreaks(data: Buffer, upTo = data.length): number[] {
  const out: number[] = [];
  for (let i = data.indexOf(10); i !== -1 && i < upTo; i = data.indexOf(10, i + 1)) out.push(i);
  let cr = data.indexOf(13);
  if (cr === -1 || cr >= upTo) return out;
  const lone: number[] = [];
  for (; cr !== -1 && cr < upTo; cr = data.indexOf(13, cr + 1)) if (data[cr + 1] !== 10) lone.push(cr);
  if (lone.length === 0) return out;
  return mergeSorted(out, lone);
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/**
 * UTF-16 code units that the UTF-8 bytes [from, to) decode to, exactly as Node's (WHATWG) decoder
 * decodes them: a 4-byte sequence is 2 units, and every ill-formed subsequence (a stray
 * continuation byte, a truncated sequence, an overlong form, 0xF5–0xFF) is 1 unit, its U+FFFD.
 */
export function utf16Length(data: Buffer, from: number, to: number): number {
  let n = 0;
  let need = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = from; i < to; i++) {
    const b = data[i]!;
    if (need === 0) {
      if (b < 0x80) n++;
      else if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        else if (b === 0xed) upper = 0x9f;
        need = 2;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        else if (b === 0xf4) upper = 0x8f;
        need = 3;
      } else n++;
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is one U+FFFD; this byte starts afresh.
      n++;
      need = 0;
      seen = 0;
      lower = 0x80;
      upper = 0xbf;
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    if (++seen === need) {
      n += need === 3 ? 2 : 1;
      need = 0;
      seen = 0;
    }
  }
  return need > 0 ? n + 1 : n;
}
