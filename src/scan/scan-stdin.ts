/** Scans standard input as one named text (read and chunked by sources/stdin). */

import { compileEngine, onlyUserRules } from "../detection/compile.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import type { RuleSet } from "../rules/rule-set.js";
import { readStdinFragments } from "../sources/stdin.js";

/** `binary`: the input looked binary and was not scanned. */
export function scanStdin(
  ruleSet: RuleSet,
  name: string,
  opts: DetectOptions,
): { findings: Finding[]; bytes: number; binary: boolean } {
  const engine = compileEngine(ruleSet, onlyUserRules);
  const findings: Finding[] = [];
  const { bytes, binary } = readStdinFragments(name, (frag) => {
    for (const f of detectFragment(engine, frag, opts)) findings.push(f);
  });
  return { findings, bytes, binary };
}
