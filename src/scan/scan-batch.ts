/** Scans a batch of tree files with one engine: shared by worker threads and the in-process path. */
import type { Engine } from "../rules/compile.js";
import type { BatchRequest, BatchResult } from "./messages.js";
import { type FileScanOptions, scanFile } from "./scan-file.js";

export function scanBatch(engine: Engine, req: BatchRequest, opts: FileScanOptions): BatchResult {
  const out: BatchResult = { id: req.id, findings: [], skipped: [], bytes: 0, files: 0 };
  for (const file of req.files) {
    const r = scanFile(engine, file, { path: file.rel, source: "tree" }, opts);
    if (r.skipped) out.skipped.push({ rel: file.rel, reason: r.skipped });
    else {
      out.files++;
      out.bytes += r.bytes;
      for (const f of r.findings) out.findings.push(f);
    }
  }
  return out;
}
