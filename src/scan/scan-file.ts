/** One file → findings: small files in one read, large ones in overlapping chunks. */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import { isLeakstopError } from "../lib/errors.js";
import type { Engine } from "../rules/compile.js";
import { type FragmentOrigin, wholeFragment } from "../sources/fragment.js";
import type { TreeFile } from "../sources/tree.js";
import {
  CHUNK_SIZE,
  decodeUtf16,
  firstColumnOf,
  forEachChunk,
  looksBinary,
  OVERLAP,
  utf16AsUtf8,
  utf16BomOf,
} from "./read-chunks.js";

export interface FileScanOptions extends DetectOptions {
  /** Bytes; 0 = no cap. */
  maxFileSize: number;
}

export interface FileResult {
  findings: Finding[];
  /** Bytes read (0 when skipped). */
  bytes: number;
  /** Set when the file was not scanned. */
  skipped?: "binary" | "unreadable" | "too-large";
}

/**
 * One read buffer per thread, reused file after file: a scan of 20,000 files otherwise leaves
 * hundreds of MB of dead buffers for the garbage collector, which shows in peak RSS.
 * Safe because nothing keeps a reference to a file's bytes: findings copy what they need.
 */
let scratch: Buffer | null = null;

function scratchOf(size: number): Buffer {
  if (!scratch || scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, 1024 * 1024));
  return scratch;
}

function readWhole(fd: number, size: number): Buffer {
  const data = scratchOf(size).subarray(0, size);
  let filled = 0;
  while (filled < size) {
    const n = readSync(fd, data, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return data.subarray(0, filled);
}

/** The file's size comes from fstat on the open descriptor: one syscall fewer than a stat per file in the walk. */
export function scanFile(engine: Engine, file: TreeFile, origin: FragmentOrigin, opts: FileScanOptions): FileResult {
  let fd: number;
  try {
    fd = openSync(file.abs, "r");
  } catch {
    return { findings: [], bytes: 0, skipped: "unreadable" };
  }
  try {
    const size = fstatSync(fd).size;
    if (opts.maxFileSize > 0 && size > opts.maxFileSize) return { findings: [], bytes: 0, skipped: "too-large" };
    if (size <= CHUNK_SIZE) {
      let data = readWhole(fd, size);
      const bytes = data.length;
      const utf16 = utf16BomOf(data);
      if (utf16) data = decodeUtf16(data, utf16);
      if (looksBinary(data)) return { findings: [], bytes: 0, skipped: "binary" };
      const frag = { ...wholeFragment(data, origin), firstColumn: firstColumnOf(data) };
      return { findings: detectFragment(engine, frag, opts), bytes };
    }
    const rawRead = (b: Buffer, o: number, l: number, p: number) => readSync(fd, b, o, l, p);
    const head = Buffer.alloc(4);
    const utf16 = utf16BomOf(head.subarray(0, rawRead(head, 0, 4, 0)));
    const findings: Finding[] = [];
    const text = forEachChunk(
      utf16 ? utf16AsUtf8(rawRead, utf16) : rawRead,
      origin,
      (f) => {
        for (const x of detectFragment(engine, f, opts)) findings.push(x);
      },
      CHUNK_SIZE,
      OVERLAP,
      scratchOf(CHUNK_SIZE + OVERLAP),
    );
    return text ? { findings, bytes: size } : { findings: [], bytes: 0, skipped: "binary" };
  } catch (err) {
    // A rule that cannot compile is the user's error to see, not a file to skip.
    if (isLeakstopError(err)) throw err;
    return { findings: [], bytes: 0, skipped: "unreadable" };
  } finally {
    closeSync(fd);
  }
}
