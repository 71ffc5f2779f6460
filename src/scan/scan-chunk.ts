/**
 * One chunk of a big file, scanned on its own, by any thread: the chunk is read with positioned
 * reads (see sources/read-chunks `readChunkAt`), so no thread needs what came before it. Its
 * findings carry positions relative to the chunk; the thread that merges the chunks in order
 * knows the line and column each chunk starts at and moves them there ({@link placeFindings}).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { threadId } from "node:worker_threads";
import type { Engine } from "../detection/compile.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import type { FragmentOrigin } from "../sources/fragment.js";
import { advance, type Cursor, firstColumnOf, looksBinary, readChunkAt, utf16BomOf } from "../sources/read-chunks.js";

/** Which chunk of which file: plain data, posted to a worker thread. */
export interface ChunkJob {
  /** Path for node:fs (bytes when not UTF-8: a Uint8Array once posted). */
  abs: string | Uint8Array;
  origin: FragmentOrigin;
  index: number;
  size: number;
  chunkSize: number;
  overlap: number;
}

/** What one chunk gave: findings placed as if the chunk started at line 1 ({@link LINE_OF_LATER_CHUNK} after the first chunk). */
export interface ChunkResult {
  index: number;
  findings: Finding[];
  /** The cursor after the chunk's own bytes, from a chunk that starts at {line: 1, column: 0} (the first: its BOM column). */
  end: Cursor;
  /** This chunk is the file's last (a later index read nothing of its own). */
  last: boolean;
  /** The first chunk's first bytes looked binary: the file is not text. */
  binary: boolean;
  /** The first chunk starts with a UTF-16 BOM: the file is decoded as it streams, so one thread must read it. */
  utf16: boolean;
  /** Bytes of the file this chunk owns (up to its border). */
  bytes: number;
  /** The thread that scanned it (0: the main thread), to show how the work was spread. */
  thread: number;
}

/**
 * The line a chunk other than the first says its first byte is on. Not 1, so that the engine does
 * not take the chunk's first bytes for the file's start (a generated-file header, a test import).
 */
const LINE_OF_LATER_CHUNK = 2;

function pathOf(abs: string | Uint8Array): string | Buffer {
  return typeof abs === "string" || Buffer.isBuffer(abs) ? abs : Buffer.from(abs);
}

/** Reads and scans chunk `job.index`; `scratch` holds chunkSize + overlap bytes. */
export function scanChunk(engine: Engine, job: ChunkJob, opts: DetectOptions, scratch: Buffer): ChunkResult {
  const fd = openSync(pathOf(job.abs), "r");
  try {
    const read = (b: Buffer, o: number, l: number, p: number) => readSync(fd, b, o, l, p);
    const chunk = readChunkAt(read, job.size, job.index, job.chunkSize, job.overlap, scratch);
    const none = {
      index: job.index,
      findings: [],
      end: { line: 1, column: 0 },
      binary: false,
      utf16: false,
      bytes: 0,
      thread: threadId,
    };
    if (!chunk) return { ...none, last: true };
    const { data, cut, last } = chunk;
    const first = job.index === 0;
    // The file's first bytes, read with this chunk's handle: no other open to sniff them.
    if (first && utf16BomOf(data) !== null) return { ...none, last: true, utf16: true };
    if (first && looksBinary(data)) return { ...none, last: true, binary: true };
    const firstLine = first ? 1 : LINE_OF_LATER_CHUNK;
    const firstColumn = first ? firstColumnOf(data) : 0;
    const findings = detectFragment(engine, { ...job.origin, data, firstLine, firstColumn, acceptBefore: cut }, opts);
    const end = advance({ line: 1, column: firstColumn }, data, cut);
    return { index: job.index, findings, end, last, binary: false, utf16: false, bytes: cut, thread: threadId };
  } finally {
    closeSync(fd);
  }
}

/**
 * Moves a chunk's findings to where the chunk starts in the file (`at`: the line and the UTF-16
 * column before its first byte), and returns the cursor after it.
 */
export function placeFindings(r: ChunkResult, at: Cursor, out: Finding[]): Cursor {
  const firstLine = r.index === 0 ? 1 : LINE_OF_LATER_CHUNK;
  const place = (line: number, column: number) =>
    line === firstLine ? { line: at.line, column: column + at.column } : { line: at.line + line - firstLine, column };
  for (const f of r.findings) {
    const from = place(f.startLine, f.startColumn);
    const to = place(f.endLine, f.endColumn);
    out.push({ ...f, startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column });
  }
  return r.end.line === 1
    ? { line: at.line, column: at.column + r.end.column }
    : { line: at.line + r.end.line - 1, column: r.end.column };
}
