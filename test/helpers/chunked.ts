/** A demo engine and an in-memory byte source for tests of chunked reads. */

import { compileEngine } from "../../src/detection/compile.js";
import { detectFragment } from "../../src/detection/detect.js";
import type { Finding } from "../../src/findings/finding.js";
import { forEachChunk } from "../../src/sources/read-chunks.js";
import { ruleSetFromToml } from "./engine.js";

export const demoRuleSet = ruleSetFromToml(`[[rules]]
id = "demo-token"
provider = "Demo"
description = "demo token for tests"
regex = '''\\b(dmo_[0-9A-Za-z]{24})\\b'''
keywords = ["dmo_"]
[rules.examples]
positives = ["dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"]
negatives = ["dmo_short"]
`);

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
