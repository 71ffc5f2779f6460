/** One file → findings: small files in one read, large ones in overlapping chunks. */
import { readFileSync } from "node:fs";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import type { Engine } from "../rules/compile.js";
import { type FragmentOrigin, wholeFragment } from "../sources/fragment.js";
import type { TreeFile } from "../sources/tree.js";
import { CHUNK_SIZE, forEachFileChunk, looksBinary } from "./read-chunks.js";

export interface FileResult {
  findings: Finding[];
  /** Set when the file was not scanned. */
  skipped?: "binary" | "unreadable";
}

export function scanFile(engine: Engine, file: TreeFile, origin: FragmentOrigin, opts: DetectOptions): FileResult {
  try {
    if (file.size <= CHUNK_SIZE) {
      const data = readFileSync(file.abs);
      if (looksBinary(data)) return { findings: [], skipped: "binary" };
      return { findings: detectFragment(engine, wholeFragment(data, origin), opts) };
    }
    const findings: Finding[] = [];
    const text = forEachFileChunk(file.abs, origin, (f) => {
      for (const x of detectFragment(engine, f, opts)) findings.push(x);
    });
    return text ? { findings } : { findings: [], skipped: "binary" };
  } catch {
    return { findings: [], skipped: "unreadable" };
  }
}
