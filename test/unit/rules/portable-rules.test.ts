/** A rule set sent to a worker thread (structured clone) arrives as the same rules, built-in ones still lazy and build-checked. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deserialize, serialize } from "node:v8";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { isBuildChecked } from "../../../src/rules/build-checked.js";
import { lazyRecordOf } from "../../../src/rules/lazy-rule.js";
import { portableRuleSet, ruleSetFromPortable } from "../../../src/rules/portable-rules.js";
import type { RuleSpec } from "../../../src/rules/rule-spec.js";

const plain = (r: RuleSpec) => JSON.parse(JSON.stringify({ ...r, examples: { positives: [], negatives: [] } }));

describe("portable rule sets", () => {
  it("round-trip through structured cloning: same rules, lazy built-ins checked by the build", () => {
    const ruleSet = buildRuleSet(null, ["acme"], { examples: false });
    const own: RuleSpec = { ...ruleSet.rules[0]!, id: "user-rule", origin: ".leakstop.toml" };
    ruleSet.rules.push(own);
    const back = ruleSetFromPortable(deserialize(serialize(portableRuleSet(ruleSet))));
    assert.equal(back.rules.length, ruleSet.rules.length);
    assert.deepEqual(back.settings, ruleSet.settings);
    assert.deepEqual(back.allowlists, ruleSet.allowlists);
    const builtin = back.rules[0]!;
    assert.ok(lazyRecordOf(builtin), "a built-in rule arrives lazy");
    assert.ok(isBuildChecked(builtin));
    const user = back.rules.at(-1)!;
    assert.equal(lazyRecordOf(user), null);
    assert.equal(isBuildChecked(user), false, "a copied rule gets the full check");
    for (const [i, r] of back.rules.entries()) assert.deepEqual(plain(r), plain(ruleSet.rules[i]!), r.id);
  });
});
