/** Scans standard input as one named text, streamed in overlapping chunks. */
import { readSync } from "node:fs";
import type { RuleSet } from "../config/ruleset.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import { compileEngine, onlyUserRules } from "../rules/compile.js";
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

export function scanStdin(ruleSet: RuleSet, name: string, opts: DetectOptions): { findings: Finding[]; bytes: number } {
  const engine = compileEngine(ruleSet.rules, ruleSet.allowlists, ruleSet.settings, onlyUserRules);
  const findings: Finding[] = [];
  let bytes = 0;
  forEachChunk(
    (b, o, l) => {
      const n = readStdin(b, o, l);
      bytes += n;
      return n;
    },
    { path: name, source: "stdin" },
    (frag) => {
      for (const f of detectFragment(engine, frag, opts)) findings.push(f);
    },
  );
  return { findings, bytes };
}
