/** The tree scan's big files (see split-file): found by size among a few files, each spread over the threads. */

import type { Engine } from "../detection/compile.js";
import type { DetectOptions } from "../detection/detect.js";
import type { PortableRuleSet } from "../rules/portable-rules.js";
import type { ReadOptions } from "../sources/source.js";
import type { TreeFile } from "../sources/tree.js";
import type { BatchResult } from "./messages.js";
import { ChunkScanners, SPLIT_MIN, sizeOf } from "./split-file.js";

/**
 * Scans the files of at least SPLIT_MIN bytes over `threads` threads (this one included), giving
 * each file's result to `collect` as a one-file batch. Returns the files it scanned, or null when
 * there were none (or one thread only). A UTF-16 file is decoded as it streams, so it cannot be read
 * from the middle: its first chunk says so (scan/scan-chunk.ts), and it is left to the one-thread
 * reader of the other files.
 */
export async function scanBigFiles(
  files: TreeFile[],
  threads: number,
  /** The rule set for the worker threads, made only when a file is big enough to need them. */
  ruleSet: () => PortableRuleSet,
  engine: Engine,
  opts: DetectOptions & ReadOptions,
  collect: (r: BatchResult) => void,
): Promise<Set<TreeFile> | null> {
  if (threads < 2) return null;
  const big: { file: TreeFile; size: number }[] = [];
  for (const file of files) {
    const size = sizeOf(file);
    if (size < SPLIT_MIN || (opts.maxFileSize > 0 && size > opts.maxFileSize)) continue;
    big.push({ file, size });
  }
  if (big.length === 0) return null;
  const scanners = new ChunkScanners(threads, { ruleSet: ruleSet(), detect: opts }, engine);
  const scanned = new Set<TreeFile>();
  try {
    for (const [id, { file, size }] of big.entries()) {
      const r = await scanners.scanFile(file, size, { path: file.rel, source: "tree" }, opts);
      if (r.utf16) continue;
      scanned.add(file);
      const skipped = r.skipped ? [{ rel: file.rel, reason: r.skipped }] : [];
      collect({
        id,
        findings: r.findings,
        itemOf: r.findings.map(() => 0),
        skipped,
        bytes: r.bytes,
        files: r.skipped ? 0 : 1,
      });
    }
  } finally {
    await scanners.close();
  }
  return scanned;
}
