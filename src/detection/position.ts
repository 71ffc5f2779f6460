/**
 * Byte offsets → 1-based line and UTF-16 column (SARIF's default column unit), computed only
 * for matches: the newline index of a text is built on first use.
 */
export class PositionMap {
  private newlines: number[] | null = null;

  /**
   * @param data the text
   * @param firstLine line number of data[0]
   * @param firstColumn UTF-16 units already on data[0]'s line before it (chunked files)
   */
  constructor(
    private readonly data: Buffer,
    private readonly firstLine = 1,
    private readonly firstColumn = 0,
  ) {}

  private index(): number[] {
    if (!this.newlines) {
      const nl: number[] = [];
      for (let i = this.data.indexOf(10); i !== -1; i = this.data.indexOf(10, i + 1)) nl.push(i);
      this.newlines = nl;
    }
    return this.newlines;
  }

  /** Number of newlines strictly before `offset`. */
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
    return { line: this.firstLine + before, column: carried + utf16Length(this.data, lineStart, offset) + 1 };
  }

  /** The text of the line holding `offset` (for inline allow and line allowlists), capped in length. */
  lineText(offset: number, cap = 4096): string {
    const before = this.linesBefore(offset);
    const start = Math.max(before === 0 ? 0 : this.index()[before - 1]! + 1, offset - cap);
    let end = this.data.indexOf(10, offset);
    if (end === -1) end = this.data.length;
    return this.data.toString("utf8", start, Math.min(end, offset + cap));
  }
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
