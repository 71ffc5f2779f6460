/**
 * The build stores in each built-in rule's record what the engine works out from its regex
 * (detection/search-hints.ts): the relaxed form, the gate and whether the regex is its value
 * composed. Stored hints must give exactly what working them out gives, and only ever for the regex
 * they came from: a wrong gate would skip texts holding a secret.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../../../src/detection/compile.js";
import { detectFragment } from "../../../src/detection/detect.js";
import { gateSource } from "../../../src/detection/gate-regex.js";
import { relaxBounds } from "../../../src/detection/relaxed-bounds.js";
import { composesValue, searchHintsOf, storedHints } from "../../../src/detection/search-hints.js";
import { buildHintsOf, fullRule } from "../../../src/rules/lazy-rule.js";
import type { RuleSpec } from "../../../src/rules/rule-spec.js";
import { wholeFragment } from "../../../src/sources/fragment.js";

const ruleSet = buildRuleSet(null, [], { examples: false });

/** A plain copy of a rule: what a config override or a user's rule is, with no build hints. */
const copyOf = (rule: RuleSpec): RuleSpec => ({ ...rule });

describe("build hints", () => {
  it("are stored for every built-in rule and equal what the engine works out from the rule", () => {
    let relaxed = 0;
    let gated = 0;
    let composed = 0;
    for (const rule of ruleSet.rules) {
      const hints = storedHints(rule);
      assert.ok(hints, `${rule.id}: no hints in the bundle`);
      assert.deepEqual(hints, searchHintsOf(copyOf(rule)), rule.id);
      if (hints.relax !== 0) relaxed++;
      if (hints.gate !== 0) gated++;
      if (hints.value === 1) composed++;
      assert.equal(hints.value === 1, composesValue(copyOf(rule)), rule.id);
    }
    // Each kind of hint is in use (a build that stored 0 everywhere would pass the loop above only if the engine agreed).
    assert.ok(relaxed > 20 && gated > 300 && composed > 50, `${relaxed} relaxed, ${gated} gated, ${composed} composed`);
  });

  it("give the engine the same search regex and gate as a copy of the rule without hints", () => {
    // Every relaxed rule and every tenth other one (compiling ~1,400 gates would take seconds).
    const some = ruleSet.rules.filter((r, i) => storedHints(r)?.relax !== 0 || i % 10 === 0);
    const hinted = compileEngine({ ...ruleSet, rules: some }, onlyUserRules);
    const plain = compileEngine({ ...ruleSet, rules: some.map(copyOf) }, onlyUserRules);
    hinted.rules.forEach((rule, i) => {
      const other = plain.rules[i]!;
      assert.equal(storedHints(other.spec), null, "a copy carries no hints");
      assert.equal(rule.searchSource, relaxBounds(rule.spec.regex)?.source ?? rule.spec.regex, rule.spec.id);
      assert.deepEqual(rule.relaxed, other.relaxed, rule.spec.id);
      assert.equal(rule.gate?.source ?? null, other.gate?.source ?? null, rule.spec.id);
      // No gate for the entropy catch-all composed around any value (detection/search-hints.ts: gateOf).
      const catchAll = rule.spec.kind === "entropy" && composesValue(copyOf(rule.spec));
      const gated = !catchAll && gateSource(rule.searchSource) !== null;
      assert.equal(rule.gate !== null, gated, rule.spec.id);
    });
  });

  it("are dropped once the rule's regex is another (an assignment, a copy with another regex)", () => {
    const fresh = buildRuleSet(null, [], { examples: false }).rules.find((r) => r.id === "netrc-password")!;
    assert.ok(buildHintsOf(fresh), "hinted as read from the bundle");
    const regex = "machine[ \\t]{1,40}(\\S{8,16})";
    assert.equal(buildHintsOf({ ...fresh, regex }), undefined);
    fresh.regex = regex;
    assert.equal(buildHintsOf(fresh), undefined);
    assert.equal(buildHintsOf(fullRule(fresh)), undefined);
    // The engine then works the gate out from the new regex: `[ \t]{1,40}` becomes `[ \t]+`.
    const engine = compileEngine({ ...ruleSet, rules: [fresh] }, onlyUserRules);
    assert.equal(engine.rules[0]!.gate?.source, "machine[ \\t]+(\\S{8,16})");
    const found = detectFragment(
      engine,
      wholeFragment(Buffer.from("machine  Qz8rT2vLx9Kp\n"), { path: ".netrc", source: "tree" }),
      { showSecrets: true },
    );
    assert.deepEqual(
      found.map((f) => f.match),
      ["Qz8rT2vLx9Kp"],
    );
  });
});
