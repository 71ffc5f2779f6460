/** Standard input as one named text, streamed in overlapping chunks. */
import { readSync } from "node:fs";
import type { Fragment } from "./fragment.js";
import { forEachChunk, utf16AsUtf8, utf16BomOf } from "./read-chunks.js";

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Reads fd 0 synchronously: EAGAIN (a non-blocking pipe with nothing yet) waits 5 ms and retries, EOF ends. */
function readStdin(buf: Buffer, offset: number, length: number): number {
  for (;;) {
    try {
      return readSync(0, buf, offset, length, null);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if (code === "EOF") return 0;
      throw err;
    }
  }
}

/**
 * Calls `visit` for each fragment of standard input (reported at path `name`), decoded as a file
 * would be: a UTF-16 byte-order mark makes it UTF-16, and a binary input is not visited at all.
 */
export function readStdinFragments(name: string, visit: (f: Fragment) => void): { bytes: number; binary: boolean } {
  let bytes = 0;
  const raw = (b: Buffer, o: number, l: number) => {
    const n = readStdin(b, o, l);
    bytes += n;
    return n;
  };
  // The first bytes decide the encoding; a pipe may hand them over in more than one read.
  let head = Buffer.alloc(4);
  let have = 0;
  for (let n = 1; have < head.length && n > 0; have += n) n = raw(head, have, head.length - have);
  head = head.subarray(0, have);
  const read = (b: Buffer, o: number, l: number) => {
    if (head.length === 0) return raw(b, o, l);
    const k = Math.min(l, head.length);
    head.copy(b, o, 0, k);
    head = head.subarray(k);
    return k;
  };
  const utf16 = utf16BomOf(head);
  const text = forEachChunk(utf16 ? utf16AsUtf8(read, utf16) : read, { path: name, source: "stdin" }, visit);
  return { bytes, binary: !text };
}
