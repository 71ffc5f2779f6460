/** A demo engine and an in-memory byte source for tests of chunked reads. */

import { compileEngine } from "../../src/detection/compile.js";
import { detectFragment } from "../../src/detection/detect.js";
import type { Finding } from "../../src/findings/finding.js";
import { forEachChunk } from "../../src/sources/read-chunks.js";
import { DEMO_TOKEN_RULE, ruleSetFromToml } from "./engine.js";

export const demoRuleSet = ruleSetFromToml(DEMO_TOKEN_RULE);

export const demoEngine = compileEngine(demoRuleSet);

/** A byte source over an in-memory buffer, shaped like fs.readSync; maxRead caps one read. */
export function readerOf(data: Buffer, maxRead = Number.POSITIVE_INFINITY) {
  return (buf: Buffer, off: number, len: number, pos: number) => {
    const n = Math.min(len, data.length - pos, maxRead);
    if (n <= 0) return 0;
    data.copy(buf, off, pos, pos + n);
    return n;
  };
}

/** Findings of the demo engine over `data` read in chunks, as the scanner reads big files. */
export function scanChunked(data: Buffer, chunk: number, overlap: number, path = "big.txt"): Finding[] {
  const out: Finding[] = [];
  forEachChunk(
    readerOf(data),
    { path, source: "tree" },
    (frag) => out.push(...detectFragment(demoEngine, frag, { showSecrets: true })),
    chunk,
    overlap,
  );
  return out;
}
