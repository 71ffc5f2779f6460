/**
 * Reads a file (or any byte stream) as overlapping chunks, so a multi-GB file is never held whole
 * and a secret that straddles a chunk border is still seen whole by the next chunk.
 */
import { utf16Length } from "../detection/position.js";
import type { Fragment, FragmentOrigin } from "../sources/fragment.js";

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

/** Where the next chunk starts: its line number and the UTF-16 column already on that line. */
interface Cursor {
  line: number;
  column: number;
}

function advance(cur: Cursor, data: Buffer, upTo: number): Cursor {
  let line = cur.line;
  let last = -1;
  for (let i = data.indexOf(10); i !== -1 && i < upTo; i = data.indexOf(10, i + 1)) {
    line++;
    last = i;
  }
  const column = last === -1 ? cur.column + utf16Length(data, 0, upTo) : utf16Length(data, last + 1, upTo);
  return { line, column };
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
  for (;;) {
    let filled = carried;
    while (filled < buf.length) {
      const n = read(buf, filled, buf.length - filled, position);
      if (n === 0) break;
      filled += n;
      position += n;
    }
    const data = buf.subarray(0, filled);
    if (cur.line === 1 && cur.column === 0 && carried === 0 && looksBinary(data)) return false;
    const last = filled < buf.length;
    const acceptBefore = last ? filled : chunkSize;
    if (filled > 0) visit({ ...origin, data, firstLine: cur.line, firstColumn: cur.column, acceptBefore });
    if (last) return true;
    cur = advance(cur, data, chunkSize);
    buf.copy(buf, 0, chunkSize, filled);
    carried = filled - chunkSize;
  }
}
