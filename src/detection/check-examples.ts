/**
 * Runs every rule's positive and negative examples through the whole engine (prefilter, regex,
 * entropy, placeholders, validators, allowlists), as `leakstop rules test` and the test suite do.
 */

import type { RuleSpec } from "../rules/rule-spec.js";
import { wholeFragment } from "../sources/fragment.js";
import type { Engine } from "./compile.js";
import { detectFragment } from "./detect.js";

export interface ExampleFailure {
  ruleId: string;
  origin: string;
  kind: "positive" | "negative";
  index: number;
  problem: string;
}

function findingsOf(engine: Engine, ruleId: string, text: string) {
  const frag = wholeFragment(Buffer.from(text, "utf8"), { path: "example.txt", source: "stdin" });
  return detectFragment(engine, frag, { showSecrets: false }).filter((f) => f.ruleId === ruleId);
}

/** Checks the examples of `rules` against an engine that holds them (and every other rule). */
export function checkExamples(engine: Engine, rules: RuleSpec[]): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  for (const rule of rules) {
    const fail = (kind: ExampleFailure["kind"], index: number, problem: string) =>
      failures.push({ ruleId: rule.id, origin: rule.origin, kind, index, problem });
    rule.examples.positives.forEach((text, i) => {
      const lower = text.toLowerCase();
      if (rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) {
        fail("positive", i, "contains none of the rule's keywords, so the prefilter would skip it");
      } else if (findingsOf(engine, rule.id, text).length === 0) {
        fail("positive", i, "gave no finding");
      }
    });
    rule.examples.negatives.forEach((text, i) => {
      const n = findingsOf(engine, rule.id, text).length;
      if (n > 0) fail("negative", i, `gave ${n} finding(s)`);
    });
  }
  return failures;
}
