/**
 * The small-text prefilter (plain string search) finds exactly the keywords the RE2.Set finds on
 * ASCII text, and hands over to the RE2.Set for big, non-ASCII or many texts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../../../src/rules/compile.js";
import { KeywordPrefilter, SMALL_TEXT_BUDGET } from "../../../src/rules/keyword-prefilter.js";

const ruleSet = buildRuleSet(null, [], { examples: false });

function freshEngine() {
  return compileEngine(ruleSet.rules, ruleSet.allowlists, ruleSet.settings, onlyUserRules);
}

describe("keyword prefilter", () => {
  it("string search and the RE2.Set agree on ASCII text, whatever its case", () => {
    const engine = freshEngine();
    const keywords = engine.keywords;
    const piece = fc.oneof(
      fc.constantFrom(...keywords).map((k) => k.toUpperCase()),
      fc.constantFrom(...keywords),
      fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.boolean(), (parts, asBuffer) => {
        const text = parts.join(" ");
        const small = new KeywordPrefilter(keywords, () => assert.fail("a small ASCII text needs no RE2.Set"));
        const data = asBuffer ? Buffer.from(text) : text;
        const viaSet = freshEngine().prefilter;
        // Spend the set's budget first so that it really uses the RE2.Set.
        viaSet.match("x".repeat(SMALL_TEXT_BUDGET + 1));
        assert.deepEqual(
          small.match(data).sort((a, b) => a - b),
          viaSet.match(data).sort((a, b) => a - b),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("uses the RE2.Set for non-ASCII text and once the small-text budget is spent", () => {
    let built = 0;
    const set = { match: () => [0] };
    const p = new KeywordPrefilter(["key"], () => {
      built++;
      return set;
    });
    assert.deepEqual(p.match(Buffer.from("a KEY here")), [0]);
    assert.equal(built, 0);
    assert.deepEqual(p.match(Buffer.from("ünïcode")), [0]);
    assert.equal(built, 1);
    const q = new KeywordPrefilter(["key"], () => set);
    q.match(Buffer.alloc(SMALL_TEXT_BUDGET, 97));
    assert.equal(q.compiled, false);
    q.match(Buffer.from("key"));
    assert.equal(q.compiled, true, "the budget is spent: the set takes over");
  });
});
