/**
 * The RE2.Set pass over the rules that would read a whole big text must only skip rules that
 * match nowhere in it: for sets of built-in rules over big texts holding some of their examples,
 * it keeps exactly the rules whose own regex matches somewhere.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectFragment } from "../../../src/detection/detect.js";
import { dropFamilyMisses } from "../../../src/detection/keyword-families.js";
import { execBuffer } from "../../../src/detection/regex.js";
import { RULE_SET_MIN_TEXT, rulesThatMatch, wholeTextRulesThatMatch } from "../../../src/detection/rules-that-match.js";
import { newWorkMeter } from "../../../src/detection/work-meter.js";
import { wholeFragment } from "../../../src/sources/fragment.js";
import { builtinEngine } from "../../helpers/engine.js";
import { prng } from "../../helpers/prng.js";
import { crcToken } from "../../helpers/secrets.js";

const FILLER = "const total = items.reduce((a, b) => a + b.count, 0); // token and password handled elsewhere\n";

describe("rules that match", () => {
  it("keeps exactly the rules whose regex matches somewhere in a big text", () => {
    const engine = builtinEngine();
    const rand = prng(5);
    for (let round = 0; round < 12; round++) {
      // Some forty rules: several sets, as in a minified bundle where many keywords are everywhere.
      const rules = engine.rules.filter(() => rand() < 0.07);
      const examples = rules.filter(() => rand() < 0.5).flatMap((r) => r.spec.examples.positives.slice(0, 1));
      const data = Buffer.from(
        FILLER.repeat(Math.ceil(RULE_SET_MIN_TEXT / FILLER.length) + 1) + examples.join(`\n${FILLER}`),
      );
      const expected = rules.filter((r) => {
        r.regex.lastIndex = 0;
        return execBuffer(r.regex, data) !== null;
      });
      assert.ok(expected.length > 0 && expected.length < rules.length, `round ${round}: a test that tells`);
      assert.deepEqual(
        rulesThatMatch(engine, rules, data).map((r) => r.spec.id),
        expected.map((r) => r.spec.id),
      );
    }
  });

  it("gives the same rules with one set over a few of them as through the keyword families' sets", () => {
    const engine = builtinEngine();
    const rand = prng(9);
    // The generic rules share their keywords (one family); a big source file's chunk has them with a few others.
    const generic = engine.rules.filter((r) => r.spec.id.startsWith("generic-secret"));
    for (let round = 0; round < 8; round++) {
      const others = engine.rules.filter((r) => !generic.includes(r) && rand() < 0.012).slice(0, 16 - generic.length);
      const rules = [...generic, ...others].sort((a, b) => a.index - b.index);
      const examples = rules.filter(() => rand() < 0.4).flatMap((r) => r.spec.examples.positives.slice(0, 1));
      const data = Buffer.from(
        FILLER.repeat(Math.ceil(RULE_SET_MIN_TEXT / FILLER.length) + 1) + examples.join(`\n${FILLER}`),
      );
      const expected = rules.filter((r) => {
        r.regex.lastIndex = 0;
        return execBuffer(r.regex, data) !== null;
      });
      assert.ok(rules.length <= 16 && expected.length < rules.length, `round ${round}: a test that tells`);
      const ids = (list: { spec: { id: string } }[]) => list.map((r) => r.spec.id);
      assert.deepEqual(ids(wholeTextRulesThatMatch(engine, rules, data)), ids(expected));
      assert.deepEqual(
        ids(rulesThatMatch(engine, dropFamilyMisses(engine, rules, data), data)),
        ids(expected),
        "the two ways agree",
      );
    }
  });

  it("skips the whole-text passes of rules that match nowhere, and still finds the key", () => {
    const engine = builtinEngine();
    // "token" and "password" everywhere: every rule with those keywords reads the whole text.
    const key = crcToken("ghp_");
    const text = (size: number) => {
      const filler = FILLER.repeat(Math.ceil(size / FILLER.length)).slice(0, size);
      return Buffer.from(`${filler}const GITHUB_TOKEN = "${key}";\n`);
    };
    const perByte = (data: Buffer) => {
      const meter = newWorkMeter();
      const frag = wholeFragment(data, { path: "gen.ts", source: "tree" });
      const found = detectFragment(engine, frag, { showSecrets: true, meter });
      assert.deepEqual(
        found.map((f) => [f.ruleId, f.match]),
        [["github-pat", key]],
      );
      return meter.regexBytes / data.length;
    };
    const below = perByte(text(RULE_SET_MIN_TEXT - 4096));
    const above = perByte(text(RULE_SET_MIN_TEXT));
    // Below the threshold the keyword families' sets (detection/keyword-families.ts) already skip the
    // generic rules that match nowhere; past it the per-combination sets must not read more.
    assert.ok(
      above <= below,
      `regexes read ${above.toFixed(2)}× the text past the threshold, ${below.toFixed(2)}× below it`,
    );
  });
});
