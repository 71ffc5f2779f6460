/**
 * A family's RE2.Set pass (rules sharing their keywords) must only drop rules that match nowhere
 * in the text: over texts holding some of the generic rules' own examples, it keeps exactly the
 * rules whose own regex matches somewhere, and leaves rules outside the family alone.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dropFamilyMisses } from "../../../src/detection/keyword-families.js";
import { execBuffer } from "../../../src/detection/regex.js";
import { builtinEngine } from "../../helpers/engine.js";

const FILLER = "var e=t.token||n.secret,r=o.password?a:i;function s(t){return t.apiKey}\n";

describe("keyword families", () => {
  it("keeps exactly the family members whose regex matches somewhere", () => {
    const engine = builtinEngine();
    const ids = ["generic-secret", "generic-secret-note", "generic-secret-xml-element"];
    const family = engine.rules.filter((r) => [...ids, "pypirc-password"].includes(r.spec.id));
    assert.equal(family.length, 4);
    const outsider = engine.rules.find((r) => r.spec.id === "url-basic-auth-credentials")!;
    const rules = [...family, outsider].sort((a, b) => a.index - b.index);
    const examples = family.flatMap((r) => r.spec.examples.positives.slice(0, 1));
    for (let n = 0; n <= examples.length; n++) {
      const data = Buffer.from(FILLER.repeat(40) + examples.slice(0, n).join(`\n${FILLER}`));
      const expected = rules.filter((r) => {
        // Outside every family: another family's rule, and a context rule (the generic detector's composed regex).
        if (r === outsider || r.spec.context !== undefined) return true;
        r.regex.lastIndex = 0;
        return execBuffer(r.regex, data) !== null;
      });
      assert.deepEqual(
        dropFamilyMisses(engine, rules, data).map((r) => r.spec.id),
        expected.map((r) => r.spec.id),
        `with ${n} examples`,
      );
    }
  });

  it("leaves a lone rule alone", () => {
    const engine = builtinEngine();
    const one = engine.rules.filter((r) => r.spec.id === "generic-secret-note");
    assert.deepEqual(dropFamilyMisses(engine, one, Buffer.from(FILLER)), one);
  });
});
