/**
 * Reads a file (or any byte stream) as overlapping chunks, so a multi-GB file is never held whole
 * and a secret that straddles a chunk border is still seen whole by the next chunk.
 */
import { countLineBreaks, utf16Length } from "../lib/text-offsets.js";
import type { Fragment, FragmentOrigin } from "./fragment.js";

/** Bytes handed to the regexes at once. Bounded memory: about 2 × (CHUNK + OVERLAP) per worker. */
export const CHUNK_SIZE = 8 * 1024 * 1024;
/** Longer than any secret we detect (a 16k-bit RSA PEM is ~13 KB). */
export const OVERLAP = 64 * 1024;
/** How much of a file's start is checked for NUL bytes to call it binary. */
export const BINARY_SNIFF = 8000;

export function looksBinary(data: Buffer): boolean {
  const end = Math.min(data.length, BINARY_SNIFF);
  return data.subarray(0, end).includes(0);
}

/** A UTF-8 byte-order mark: not part of the text, so it takes no column. */
function hasUtf8Bom(data: Buffer): boolean {
  return data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
}

/** The column before data[0] of a text's first line: -1 cancels a byte-order mark's one UTF-16 unit. */
export function firstColumnOf(data: Buffer): number {
  return hasUtf8Bom(data) ? -1 : 0;
}

/** The UTF-16 byte-order mark a file starts with, if any ("le" for FF FE, "be" for FE FF). */
export function utf16BomOf(head: Buffer): "le" | "be" | null {
  if (head.length < 2) return null;
  if (head[0] === 0xff && head[1] === 0xfe) return head.length >= 4 && head[2] === 0 && head[3] === 0 ? null : "le";
  if (head[0] === 0xfe && head[1] === 0xff) return "be";
  return null;
}

/** A whole UTF-16 text (BOM included) as UTF-8, without the BOM. */
export function decodeUtf16(data: Buffer, endian: "le" | "be"): Buffer {
  return Buffer.from(new TextDecoder(endian === "le" ? "utf-16le" : "utf-16be").decode(data), "utf8");
}

type ReadFn = (buf: Buffer, offset: number, length: number, position: number) => number;

/**
 * Wraps a byte source holding UTF-16 text (with its BOM) into one that yields the same text as
 * UTF-8, decoded as it streams: a UTF-16 file (PowerShell scripts, .reg exports, some Windows
 * config files) is then scanned like any other text, with the same lines and UTF-16 columns.
 */
export function utf16AsUtf8(read: ReadFn, endian: "le" | "be"): ReadFn {
  const decoder = new TextDecoder(endian === "le" ? "utf-16le" : "utf-16be");
  const raw = Buffer.allocUnsafe(1024 * 1024);
  let pending: Buffer = Buffer.alloc(0);
  let rawPosition = 0;
  let eof = false;
  return (buf, offset, length) => {
    const parts: Buffer[] = [pending];
    let have = pending.length;
    while (have < length && !eof) {
      const n = read(raw, 0, raw.length, rawPosition);
      rawPosition += n;
      const text = n === 0 ? decoder.decode() : decoder.decode(raw.subarray(0, n), { stream: true });
      if (n === 0) eof = true;
      const bytes = Buffer.from(text, "utf8");
      parts.push(bytes);
      have += bytes.length;
    }
    const all = parts.length === 1 ? pending : Buffer.concat(parts, have);
    const k = Math.min(length, all.length);
    all.copy(buf, offset, 0, k);
    pending = all.subarray(k);
    return k;
  };
}

/** Where the next chunk starts: its line number and the UTF-16 column already on that line. */
export interface Cursor {
  line: number;
  column: number;
}

/** The cursor after data[0, upTo), given the cursor at data[0]. */
export function advance(cur: Cursor, data: Buffer, upTo: number): Cursor {
  const { count, last } = countLineBreaks(data, upTo);
  const line = cur.line + count;
  const column = last === -1 ? cur.column + utf16Length(data, 0, upTo) : utf16Length(data, last + 1, upTo);
  return { line, column };
}

/**
 * Where chunk `index` ends (relative to `data`, which starts at byte `base` of the text): at the
 * nominal border (index + 1) × chunkSize, moved back to the start of a UTF-8 sequence, never into
 * one, so columns on both sides stay exact. The borders depend only on the text, not on how it
 * was read, so chunks read one after the other and chunks read apart (by several threads, see
 * {@link readChunkAt}) are the same chunks.
 */
export function chunkCut(data: Buffer, base: number, index: number, chunkSize: number): number {
  const nominal = (index + 1) * chunkSize - base;
  let cut = nominal;
  while (cut > nominal - 3 && (data[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

/**
 * Reads chunk `index` on its own (positioned reads only): the same bytes, `acceptBefore` and
 * border as {@link forEachChunk} gives that chunk, without reading what comes before it. Returns
 * the chunk's first byte (`base`), its bytes and where it ends (`cut`; its length when it is the
 * last), or null past the end of the text. `scratch` must hold chunkSize + overlap bytes.
 */
export function readChunkAt(
  read: ReadFn,
  size: number,
  index: number,
  chunkSize: number,
  overlap: number,
  scratch: Buffer,
): { base: number; data: Buffer; cut: number; last: boolean } | null {
  let base = 0;
  if (index > 0) {
    // The previous chunk's border: up to 3 bytes before the nominal one.
    const nominal = index * chunkSize;
    const from = nominal - 3;
    const head = scratch.subarray(0, 4);
    let got = 0;
    while (got < 4) {
      const n = read(head, got, 4 - got, from + got);
      if (n === 0) break;
      got += n;
    }
    base = from + chunkCut(head.subarray(0, got), from, index - 1, chunkSize);
  }
  if (base >= size) return null;
  const want = Math.min(chunkSize + overlap, size - base);
  let filled = 0;
  while (filled < want) {
    const n = read(scratch, filled, want - filled, base + filled);
    if (n === 0) break;
    filled += n;
  }
  const data = scratch.subarray(0, filled);
  // As forEachChunk decides: a chunk that fills the buffer is not the last (one of only overlap may follow).
  const last = filled < chunkSize + overlap;
  return { base, data, cut: last ? filled : chunkCut(data, base, index, chunkSize), last };
}

/**
 * Calls `visit` for each chunk of the byte source `read` (like fs.readSync on an fd). Returns
 * false without visiting anything when the first bytes look binary.
 */
export function forEachChunk(
  read: (buf: Buffer, offset: number, length: number, position: number) => number,
  origin: FragmentOrigin,
  visit: (f: Fragment) => void,
  chunkSize = CHUNK_SIZE,
  overlap = OVERLAP,
  scratch?: Buffer,
): boolean {
  const buf = scratch && scratch.length >= chunkSize + overlap ? scratch : Buffer.allocUnsafe(chunkSize + overlap);
  let position = 0;
  let carried = 0; // bytes of overlap already at the start of buf
  let cur: Cursor = { line: 1, column: 0 };
  let first = true;
  let base = 0; // where buf[0] is in the text
  for (let index = 0; ; index++) {
    let filled = carried;
    while (filled < buf.length) {
      const n = read(buf, filled, buf.length - filled, position);
      if (n === 0) break;
      filled += n;
      position += n;
    }
    const data = buf.subarray(0, filled);
    if (first) {
      if (looksBinary(data)) return false;
      cur = { line: 1, column: firstColumnOf(data) };
      first = false;
    }
    const last = filled < buf.length;
    const cut = last ? filled : chunkCut(data, base, index, chunkSize);
    if (filled > 0) visit({ ...origin, data, firstLine: cur.line, firstColumn: cur.column, acceptBefore: cut });
    if (last) return true;
    cur = advance(cur, data, cut);
    buf.copy(buf, 0, cut, filled);
    carried = filled - cut;
    base += cut;
  }
}

/**
 * The push-driven twin of `forEachChunk`, for bytes that arrive rather than are read (a blob
 * streamed by `git cat-file`): the same chunks, overlap, cuts and positions. `end()` returns
 * false when the text looked binary (nothing was visited).
 */
export class ChunkFeeder {
  private readonly buf: Buffer;
  private filled = 0;
  private cur: Cursor = { line: 1, column: 0 };
  private first = true;
  private binary = false;
  private base = 0;
  private index = 0;

  constructor(
    private readonly origin: FragmentOrigin,
    private readonly visit: (f: Fragment) => void,
    private readonly chunkSize = CHUNK_SIZE,
    overlap = OVERLAP,
    scratch?: Buffer,
  ) {
    this.buf = scratch && scratch.length >= chunkSize + overlap ? scratch : Buffer.allocUnsafe(chunkSize + overlap);
  }

  push(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length && !this.binary) {
      const n = Math.min(bytes.length - at, this.buf.length - this.filled);
      bytes.copy(this.buf, this.filled, at, at + n);
      this.filled += n;
      at += n;
      if (this.filled === this.buf.length) this.flush(false);
    }
  }

  end(): boolean {
    if (!this.binary) this.flush(true);
    return !this.binary;
  }

  private flush(last: boolean): void {
    const data = this.buf.subarray(0, this.filled);
    if (this.first) {
      if (looksBinary(data)) {
        this.binary = true;
        return;
      }
      this.cur = { line: 1, column: firstColumnOf(data) };
      this.first = false;
    }
    const cut = last ? this.filled : chunkCut(data, this.base, this.index, this.chunkSize);
    if (this.filled > 0)
      this.visit({ ...this.origin, data, firstLine: this.cur.line, firstColumn: this.cur.column, acceptBefore: cut });
    if (last) return;
    this.cur = advance(this.cur, data, cut);
    this.buf.copy(this.buf, 0, cut, this.filled);
    this.filled -= cut;
    this.base += cut;
    this.index++;
  }
}
