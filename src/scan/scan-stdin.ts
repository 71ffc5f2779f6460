/** Scans standard input as one named text (read and chunked by sources/stdin). */

import { compileEngine, onlyUserRules } from "../detection/compile.js";
import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import type { RuleSet } from "../rules/rule-set.js";
import { readStdinFragments } from "../sources/stdin.js";

export function scanStdin(ruleSet: RuleSet, name: string, opts: DetectOptions): { findings: Finding[]; bytes: number } {
  const engine = compileEngine(ruleSet, onlyUserRules);
  const findings: Finding[] = [];
  const bytes = readStdinFragments(name, (frag) => {
    for (const f of detectFragment(engine, frag, opts)) findings.push(f);
  });
  return { findings, bytes };
}
