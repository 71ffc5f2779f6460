/**
 * Every built-in rule's positive and negative examples through the whole engine, plus the rule
 * linter: facts a rule file must hold that RE2 and the schema do not check by themselves.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../src/config/ruleset.js";
import { checkExamples } from "../../src/detection/check-examples.js";
import { compileEngine } from "../../src/detection/compile.js";

const ruleSet = buildRuleSet(null, []);
const engine = compileEngine(ruleSet);
const GENERIC_WORDS = new Set(["key", "token", "secret", "api", "password", "auth", "pass", "id"]);

describe("built-in detectors", () => {
  it("cover at least 120 providers", () => {
    const providers = new Set(ruleSet.rules.map((r) => r.provider));
    assert.ok(providers.size >= 120, `only ${providers.size} providers`);
  });

  for (const rule of ruleSet.rules) {
    it(`${rule.id}: examples pass through the whole engine`, () => {
      const failures = checkExamples(engine, [rule]);
      assert.deepEqual(
        failures.map((f) => `${f.kind} #${f.index + 1} ${f.problem}`),
        [],
      );
    });
    it(`${rule.id}: is documented and prefiltered by distinctive keywords`, () => {
      assert.ok(rule.description.length >= 20, "description says too little");
      assert.ok(rule.references.length > 0 || rule.kind !== "provider", "no references to the format's documentation");
      if (rule.kind === "provider") {
        for (const k of rule.keywords) assert.ok(!GENERIC_WORDS.has(k), `keyword "${k}" is too common to prefilter`);
      }
      assert.ok(rule.examples.positives.length >= 1 && rule.examples.negatives.length >= 1);
    });
  }
});
