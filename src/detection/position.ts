/**
 * Byte offsets → 1-based line and UTF-16 column (SARIF's default column unit), computed only
 * for matches: the line-break index of a text is built on first use. A line ends at `\n`, at
 * `\r\n` (one break) or at a lone `\r` (classic Mac OS).
 */
import { lineBreaks, utf16Length } from "../lib/text-offsets.js";

export { lineBreaks, utf16Length };
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

  /**
   * Where the line holding `offset` starts; `offset` itself when that is more than `cap` bytes before it
   * (a minified bundle's line: what stands that far back says nothing about the text at `offset`).
   */
  lineStart(offset: number, cap = 4096): number {
    const before = this.linesBefore(offset);
    const start = before === 0 ? 0 : this.index()[before - 1]! + 1;
    return offset - start > cap ? offset : start;
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
