/**
 * Exact keywords (`exactKeywords`, the literals one of which every match holds, in their case) may
 * only stop a rule where its regex matches nowhere: over every built-in rule that has them and texts
 * made of all rules' examples, as written and with their case flipped, "none occurs" always means
 * "no match". And a literal the regex does not spell is refused when the rule is loaded.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exactKeywordsOccur } from "../../../src/detection/compile.js";
import { execBuffer } from "../../../src/detection/regex.js";
import { builtinEngine, detect, engineFromToml, ruleSetFromToml } from "../../helpers/engine.js";

const RULE = `[[rules]]
id = "x-token"
provider = "X"
description = "x token for tests"
regex = '''\\b(XT_[a-z0-9]{20})\\b'''
keywords = ["xt_"]
exactKeywords = ["XT_"]
[rules.examples]
positives = ["XT_k3v9q2x7m4p8z1r6t5w0"]
negatives = ["xt_k3v9q2x7m4p8z1r6t5w0"]
`;

const flipCase = (s: string) =>
  s.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));

describe("exact keywords", () => {
  it("stop a built-in rule only where its regex matches nowhere", () => {
    const engine = builtinEngine();
    const exact = engine.rules.filter((r) => r.exactKeywords !== null);
    assert.ok(exact.length >= 15, `${exact.length} rules with exact keywords`);
    const examples = engine.rules.flatMap((r) => [...r.spec.examples.positives, ...r.spec.examples.negatives]);
    let stopped = 0;
    for (const rule of exact) {
      const own = [...rule.spec.examples.positives, ...rule.spec.examples.negatives];
      const texts = [...own, ...own.map(flipCase), ...own.map((t) => t.toLowerCase()), examples.join("\n")];
      for (const text of texts) {
        const data = Buffer.from(text);
        if (exactKeywordsOccur(rule, data)) continue;
        stopped++;
        rule.regex.lastIndex = 0;
        assert.equal(execBuffer(rule.regex, data), null, `${rule.spec.id} on ${JSON.stringify(text.slice(0, 80))}`);
      }
    }
    assert.ok(stopped > 100, `stopped ${stopped} runs`);
  });

  it("let a rule run where one occurs as written, not where it occurs in another case", () => {
    const engine = engineFromToml(RULE);
    assert.equal(detect(engine, "id = XT_k3v9q2x7m4p8z1r6t5w0").length, 1);
    assert.equal(detect(engine, "id = xt_k3v9q2x7m4p8z1r6t5w0 Xt_k3v9q2x7m4p8z1r6t5w0").length, 0);
  });

  it("are refused when the regex does not spell them, or when empty", () => {
    assert.throws(() => ruleSetFromToml(RULE.replace('exactKeywords = ["XT_"]', 'exactKeywords = ["XT-"]')), {
      message: /x-token": exact keyword "XT-" is not written in the regex/,
    });
    assert.throws(() => ruleSetFromToml(RULE.replace('exactKeywords = ["XT_"]', "exactKeywords = []")), {
      message: /exactKeywords must be a non-empty list/,
    });
  });
});
