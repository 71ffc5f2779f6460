/**
 * Runs every rule's positive and negative examples through the whole engine (prefilter, regex,
 * entropy, placeholders, validators, allowlists), as `leakstop rules test` and the test suite do.
 */

import type { RuleSpec } from "../rules/rule-spec.js";
import { wholeFragment } from "../sources/fragment.js";
import type { Engine } from "./compile.js";
import { decodedView } from "./decoded-view.js";
import { detectFragment } from "./detect.js";

export interface ExampleFailure {
  ruleId: string;
  origin: string;
  kind: "positive" | "negative";
  index: number;
  problem: string;
}

function detectExample(engine: Engine, text: string) {
  const frag = wholeFragment(Buffer.from(text, "utf8"), { path: "example.txt", source: "stdin" });
  const publicSeen = new Set<string>();
  return { findings: detectFragment(engine, frag, { showSecrets: false, publicSeen }), publicSeen };
}

function findingsOf(engine: Engine, ruleId: string, text: string) {
  return detectExample(engine, text).findings.filter((f) => f.ruleId === ruleId);
}

/**
 * A `public` rule's positive is a value it recognises, and then no rule reports anything there;
 * its negative is one it does not recognise (the same format used as a secret, which another
 * rule's positives then report).
 */
function publicProblem(engine: Engine, rule: RuleSpec, text: string, positive: boolean): string | null {
  const { findings, publicSeen } = detectExample(engine, text);
  const seen = publicSeen.has(rule.id);
  if (!positive) return seen ? "was recognised as a public value" : null;
  if (!seen) return "was not recognised as a public value";
  return findings.length > 0 ? `still gave ${findings.length} finding(s) (${findings[0]!.ruleId})` : null;
}

/** One example checked: `problem` is null when it passed. */
export type ExampleChecked = Omit<ExampleFailure, "problem"> & { problem: string | null };

/**
 * Checks the examples of `rules` against an engine that holds them (and every other rule).
 * @param onChecked called after each example, passed or failed, in order (`rules test --verbose`)
 */
export function checkExamples(
  engine: Engine,
  rules: RuleSpec[],
  onChecked?: (example: ExampleChecked) => void,
): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  for (const rule of rules) {
    const fail = (kind: ExampleFailure["kind"], index: number, problem: string) =>
      failures.push({ ruleId: rule.id, origin: rule.origin, kind, index, problem });
    const checked = (kind: ExampleFailure["kind"], index: number, before: number) => {
      if (!onChecked) return;
      const problem =
        failures.length > before
          ? failures
              .slice(before)
              .map((f) => f.problem)
              .join("; ")
          : null;
      onChecked({ ruleId: rule.id, origin: rule.origin, kind, index, problem });
    };
    rule.examples.positives.forEach((text, i) => {
      const before = failures.length;
      // The prefilter also reads the decoded view (a base64-wrapped token), so a keyword there counts.
      const lower = `${text}\n${decodedView(Buffer.from(text, "utf8"))?.data.toString("latin1") ?? ""}`.toLowerCase();
      const problem = rule.public ? publicProblem(engine, rule, text, true) : null;
      if (rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) {
        fail("positive", i, "contains none of the rule's keywords, so the prefilter would skip it");
      } else if (problem) {
        fail("positive", i, problem);
      } else if (!rule.public && findingsOf(engine, rule.id, text).length === 0) {
        fail("positive", i, "gave no finding");
      }
      checked("positive", i, before);
    });
    rule.examples.negatives.forEach((text, i) => {
      const before = failures.length;
      const problem = rule.public ? publicProblem(engine, rule, text, false) : null;
      if (problem) fail("negative", i, problem);
      const n = findingsOf(engine, rule.id, text).length;
      if (n > 0) fail("negative", i, `gave ${n} finding(s)`);
      checked("negative", i, before);
    });
  }
  return failures;
}
