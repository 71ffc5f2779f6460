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

/** UTF-16 code units that the UTF-8 bytes [from, to) decode to (4-byte sequences count 2). */
export function utf16Length(data: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = data[i]!;
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}
