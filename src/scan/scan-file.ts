/** One working-tree file → findings (read by sources/tree-reader, detected here). */

import type { Engine } from "../detection/compile.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import type { FragmentOrigin } from "../sources/fragment.js";
import type { ReadOptions, SkipReason } from "../sources/source.js";
import type { TreeFile } from "../sources/tree.js";
import { readTreeFile } from "../sources/tree-reader.js";

export interface FileScanOptions extends DetectOptions, ReadOptions {}

export interface FileResult {
  findings: Finding[];
  /** Bytes read (0 when skipped). */
  bytes: number;
  /** Set when the file was not scanned. */
  skipped?: SkipReason;
}

export function scanFile(engine: Engine, file: TreeFile, origin: FragmentOrigin, opts: FileScanOptions): FileResult {
  const findings: Finding[] = [];
  const r = readTreeFile(file, origin, opts, (frag) => {
    for (const f of detectFragment(engine, frag, opts)) findings.push(f);
  });
  return r.skipped ? { findings: [], bytes: 0, skipped: r.skipped } : { findings, bytes: r.bytes };
}
