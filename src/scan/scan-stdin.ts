/** Scans standard input as one named text (read and chunked by sources/stdin). */

import { type DetectOptions, detectFragment } from "../detection/detect.js";
import type { Finding } from "../findings/finding.js";
import { compileEngine, onlyUserRules } from "../rules/compile.js";
import type { RuleSet } from "../rules/rule-set.js";
import { readStdinFragments } from "../sources/stdin.js";

export function scanStdin(ruleSet: RuleSet, name: string, opts: DetectOptions): { findings: Finding[]; bytes: number } {
  const engine = compileEngine(ruleSet.rules, ruleSet.allowlists, ruleSet.settings, onlyUserRules);
  const findings: Finding[] = [];
  const bytes = readStdinFragments(name, (frag) => {
    for (const f of detectFragment(engine, frag, opts)) findings.push(f);
  });
  return { findings, bytes };
}
