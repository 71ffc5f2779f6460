/**
 * The keyword locator tells a hit's keyword from where the match ended (RE2's test(), no match
 * object), and searches only for the keywords the prefilter saw. It must place every keyword
 * exactly where reading each match (exec) of an alternation of every keyword places it: the
 * same keywords, credited at the same offsets, on any mix of keywords, their prefixes and
 * overlaps, in any case, among ASCII, non-ASCII and invalid UTF-8 bytes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../../../src/detection/compile.js";
import { keywordLocator } from "../../../src/detection/keyword-locator.js";
import { execBuffer } from "../../../src/detection/regex.js";
import { keywordPositions } from "../../../src/detection/windows.js";

const engine = compileEngine(buildRuleSet(null, [], { examples: false }), onlyUserRules);
const keywords = engine.keywords;

/** Every match read whole, as the locator did before it used test(). */
function byExec(data: Buffer): Map<number, number[]> {
  const { regex, credits } = keywordLocator(keywords);
  const out = new Map<number, number[]>();
  regex.lastIndex = 0;
  for (let m = execBuffer(regex, data); m !== null; m = execBuffer(regex, data)) {
    for (const [k, at] of credits(data.toString("latin1", m.index, m.index + m.length).toLowerCase())) {
      out.set(k, [...(out.get(k) ?? []), m.index + at]);
    }
  }
  return out;
}

const sorted = (m: Map<number, number[]> | null) => (m ? [...m].sort((a, b) => a[0] - b[0]) : m);

describe("keyword locator", () => {
  it("places each keyword where reading every match places it", () => {
    const keyword = fc.constantFrom(...keywords);
    const piece = fc.oneof(
      keyword,
      keyword.map((k) => k.toUpperCase()),
      // Cut short or with one letter in another case: prefixes and overlaps of other keywords.
      fc.tuple(keyword, fc.nat()).map(([k, i]) => k.slice(0, 1 + (i % k.length))),
      fc.tuple(keyword, fc.nat()).map(([k, i]) => k.slice(i % k.length)),
      fc.tuple(keyword, fc.nat()).map(([k, i]) => {
        const at = i % k.length;
        return k.slice(0, at) + k.charAt(at).toUpperCase() + k.slice(at + 1);
      }),
      fc.string({ maxLength: 4 }),
      fc.constantFrom("é", "İ", "ß", "\u{1f511}", "_", "-", " ", "=", "\n"),
    );
    const invalid = fc.uint8Array({ minLength: 1, maxLength: 3 }).map((b) => Buffer.from(b.map((x) => x | 0x80)));
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, piece, invalid), { maxLength: 24 }), (parts) => {
        const data = Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
        assert.deepEqual(sorted(keywordPositions(engine, data, engine.prefilter.match(data))), sorted(byExec(data)));
      }),
      { numRuns: 1000 },
    );
  });

  it("places keywords next to a Kelvin sign or a long s (which RE2 reads as k and s) as before", () => {
    const data = Buffer.from("\u212aey=1 api_\u212aey=2 to\u017fken token secret_key \u017fecret");
    assert.deepEqual(sorted(keywordPositions(engine, data, engine.prefilter.match(data))), sorted(byExec(data)));
  });
});
