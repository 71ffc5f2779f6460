/** Standard input as one named text, streamed in overlapping chunks. */
import { readSync } from "node:fs";
import type { Fragment } from "./fragment.js";
import { forEachChunk } from "./read-chunks.js";

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

/** Calls `visit` for each fragment of standard input (reported at path `name`); returns the bytes read. */
export function readStdinFragments(name: string, visit: (f: Fragment) => void): number {
  let bytes = 0;
  forEachChunk(
    (b, o, l) => {
      const n = readStdin(b, o, l);
      bytes += n;
      return n;
    },
    { path: name, source: "stdin" },
    visit,
  );
  return bytes;
}
