/**
 * Every way the prefilter searches (a JS search over the bytes for small texts, a case-sensitive
 * RE2.Set over the lower-cased bytes past that, a case-insensitive RE2.Set once the lower-casing
 * budget is spent) finds exactly the keywords a case-insensitive
 * RE2.Set finds, on ASCII, non-ASCII and invalid UTF-8 text alike; texts with the two non-ASCII
 * letters RE2 folds onto ASCII, and non-ASCII keywords, go to the case-insensitive set itself.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../../../src/detection/compile.js";
import { KeywordPrefilter, LOWER_CASE_BUDGET, SMALL_TEXT_BUDGET } from "../../../src/detection/keyword-prefilter.js";
import { escapeLiteral, newRegexSet } from "../../../src/detection/regex.js";

const ruleSet = buildRuleSet(null, [], { examples: false });

function freshEngine() {
  return compileEngine(ruleSet, onlyUserRules);
}

describe("keyword prefilter", () => {
  it("the JS search, the lower-cased set, the case-insensitive set past the budget and a case-insensitive RE2.Set agree, whatever the case and the bytes around", () => {
    const engine = freshEngine();
    const keywords = engine.keywords;
    const caseless = newRegexSet(keywords.map(escapeLiteral), "i");
    const viaSet = freshEngine().prefilter;
    // Spend the set's budget first so that it really uses the RE2.Set.
    viaSet.match(Buffer.alloc(SMALL_TEXT_BUDGET + 1, 120));
    assert.ok(viaSet.compiled);
    const viaFold = freshEngine().prefilter;
    viaFold.match(Buffer.alloc(LOWER_CASE_BUDGET, 120));
    const ascii = fc.string({
      unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)),
      maxLength: 12,
    });
    const piece = fc.oneof(
      fc.constantFrom(...keywords).map((k) => k.toUpperCase()),
      fc.constantFrom(...keywords),
      // A keyword with one letter in another case, cut short, or glued to its neighbours.
      fc.tuple(fc.constantFrom(...keywords), fc.nat()).map(([k, i]) => {
        const at = i % k.length;
        return k.slice(0, at) + k.charAt(at).toUpperCase() + k.slice(at + 1);
      }),
      fc.constantFrom(...keywords).map((k) => k.slice(0, -1)),
      ascii,
      fc.string({ maxLength: 6 }),
      fc.constantFrom("é", "ü", "\u212a", "\u017f", "İ", "ı", "ß", "\u{1f511}"),
    );
    const invalid = fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b.map((x) => x | 0x80)));
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, invalid), { maxLength: 8 }), fc.boolean(), (parts, asBuffer) => {
        const bytes = Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
        const utf8 = parts.every((p) => typeof p === "string");
        const data = asBuffer || !utf8 ? bytes : bytes.toString("utf8");
        const folds = bytes.includes("\u212a") || bytes.includes("\u017f");
        const small = new KeywordPrefilter(keywords, (kind) => {
          assert.ok(folds && kind === "fold", "only K and ſ need an RE2.Set, the case-insensitive one");
          return viaSet;
        });
        const expected = caseless.match(data).sort((a, b) => a - b);
        assert.deepEqual(
          small.match(data).sort((a, b) => a - b),
          expected,
        );
        assert.deepEqual(
          viaSet.match(data).sort((a, b) => a - b),
          expected,
        );
        assert.deepEqual(
          viaFold.match(data).sort((a, b) => a - b),
          expected,
        );
      }),
      { numRuns: 500 },
    );
  });

  it("uses the RE2.Set for K and ſ, for non-ASCII keywords and once the small-text budget is spent", () => {
    let built = 0;
    const set = { match: () => [0] };
    const p = new KeywordPrefilter(["key"], (kind) => {
      assert.equal(kind, "fold");
      built++;
      return set;
    });
    assert.deepEqual(p.match(Buffer.from("a KEY here")), [0]);
    assert.deepEqual(p.match(Buffer.from("ünïcode kéy")), []);
    assert.equal(built, 0, "other non-ASCII text is searched in JS");
    assert.deepEqual(p.match(Buffer.from("\u212aey")), [0]);
    assert.equal(built, 1);
    const kinds: string[] = [];
    const other = new KeywordPrefilter(["clé"], (kind) => {
      kinds.push(kind);
      return set;
    });
    other.match("une clé");
    assert.equal(other.compiled, true, "a non-ASCII keyword needs the RE2.Set");
    const q = new KeywordPrefilter(["key"], (kind) => {
      kinds.push(kind);
      return set;
    });
    q.match(Buffer.alloc(SMALL_TEXT_BUDGET, 97));
    assert.equal(q.compiled, false);
    q.match(Buffer.from("key"));
    assert.equal(q.compiled, true, "the budget is spent: the set takes over");
    q.match(Buffer.alloc(LOWER_CASE_BUDGET, 97));
    q.match(Buffer.from("key"));
    assert.deepEqual(
      kinds,
      ["fold", "lower", "fold"],
      "the case-sensitive set over lower-cased text, unless a keyword is not ASCII or the lower-casing budget is spent",
    );
  });

  it("read in bulk (a tree scan), it compiles only the case-insensitive set, and finds the same keywords", () => {
    const kinds: string[] = [];
    const keywords = ["key", "token"];
    const build = (kind: string) => newRegexSet(keywords.map(escapeLiteral), kind === "fold" ? "i" : "");
    const bulk = new KeywordPrefilter(keywords, (kind) => {
      kinds.push(kind);
      return build(kind);
    });
    bulk.readInBulk();
    const plain = new KeywordPrefilter(keywords, build);
    for (const text of [
      "x",
      "A TOKEN here",
      "x".repeat(SMALL_TEXT_BUDGET + 10) + "Key",
      "nothing at all".repeat(400),
    ]) {
      assert.deepEqual(bulk.match(Buffer.from(text)), plain.match(Buffer.from(text)), text.slice(0, 20));
    }
    assert.deepEqual(kinds, ["fold"], "no lower-cased copy, no case-sensitive set");
  });
});
