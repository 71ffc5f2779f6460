/**
 * A rule's gate (detection/gate-regex.ts) must match wherever the rule's search regex does, or the
 * scan would skip a text holding a secret. Checked on how sources are rewritten, on every built-in
 * rule's examples (stretched around the repetitions it relaxes), on random texts for the rules with
 * the most relaxed repetitions, and on the engine: a rule whose gate matches nowhere is not compiled.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../../../src/detection/compile.js";
import { detectFragment } from "../../../src/detection/detect.js";
import { gateSource } from "../../../src/detection/gate-regex.js";
import { newRegex } from "../../../src/detection/regex.js";
import { relaxBounds } from "../../../src/detection/relaxed-bounds.js";
import { wholeFragment } from "../../../src/sources/fragment.js";

const ruleSet = buildRuleSet(null, [], { examples: true });
/** The source a built-in rule is searched with (detection/compile.ts). */
const searchSourceOf = (regex: string) => relaxBounds(regex)?.source ?? regex;

describe("gateSource", () => {
  it("drops upper bounds above 16 and caps lower bounds at 16, outside classes and escapes only", () => {
    const cases: [string, string | null][] = [
      ["a[\\w.-]{0,20}?b", "a[\\w.-]*?b"],
      ["x{1,253}y", "x+y"],
      ["(?s:.{0,300}?)", "(?s:.*?)"],
      ["[A-Z2-7]{40}", "[A-Z2-7]{16,}"],
      ["[a-z]{20,}", "[a-z]{16,}"],
      ["(?:ab){2,40}c", "(?:ab){2,}c"],
      ["p{17}q{3,9}", "p{16,}q{3,9}"],
      // Small, open-ended from a small count, literal braces, inside classes, escapes, \Q…\E.
      ["[ \\t]{0,16}=\\s{0,5}", null],
      ["[a-z]{8,}", null],
      ["a\\{0,99}", null],
      ["[{0,99}]x", null],
      ["\\p{Greek}{2}\\x{263a}", null],
      ["\\Qa{0,99}\\E", null],
      ["[[:alpha:]{]{0,3}", null],
    ];
    for (const [source, gate] of cases) assert.equal(gateSource(source), gate, source);
  });

  const gated = ruleSet.rules
    .map((r) => ({ rule: r, search: searchSourceOf(r.regex) }))
    .map((r) => ({ ...r, gate: gateSource(r.search) }))
    .filter((r): r is typeof r & { gate: string } => r.gate !== null);

  it("applies to most built-in rules, among them the composed context rules", () => {
    assert.ok(gated.length > ruleSet.rules.length / 2, `${gated.length} of ${ruleSet.rules.length}`);
    for (const id of ["aws-secret-access-key", "netrc-password", "azure-sas-token", "dropbox-short-lived-token"])
      assert.ok(
        gated.some((g) => g.rule.id === id),
        id,
      );
  });

  it("matches wherever the rule's search regex matches, on every built-in rule's examples", () => {
    let checked = 0;
    for (const { rule, search, gate } of gated) {
      const re = newRegex(search, "");
      const g = newRegex(gate, "");
      assert.equal(g.test(""), re.test(""), `${rule.id}: the gate matches the empty string`);
      for (const example of [...rule.examples.positives, ...rule.examples.negatives]) {
        for (const text of [example, `x ${example}\n`, example.slice(1), example.slice(0, -1)]) {
          if (re.test(text)) {
            checked++;
            assert.ok(g.test(text), `${rule.id} on ${JSON.stringify(text.slice(0, 120))}`);
          }
        }
      }
    }
    assert.ok(checked > 500, `${checked} matching texts`);
  });

  it("matches wherever the rule's search regex matches, on random texts near its repetitions' bounds", () => {
    const ids = ["netrc-password", "azure-sas-token", "aws-secret-access-key", "dropbox-short-lived-token"];
    const some = gated.filter((g) => ids.includes(g.rule.id));
    const piece = fc.oneof(
      fc.constantFrom("machine ", "login ", "password ", "sig=", "sv=2020-01-01&", ".blob.core.windows.net/", "sl."),
      fc.constantFrom("aws_secret_access_key", "AKIAABCDEFGHIJKLMNOP", "secret", " = ", ": ", '"', "\n", "&"),
      fc
        .tuple(fc.constantFrom("a", "Z9", "x-", "é", "k/", " ", "ab="), fc.integer({ min: 1, max: 300 }))
        .map(([s, n]) => s.repeat(n)),
    );
    const compiled = some.map((g) => ({ id: g.rule.id, re: newRegex(g.search, ""), gate: newRegex(g.gate, "") }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const text = Buffer.from(pieces.join(""));
        for (const c of compiled) if (c.re.test(text.toString())) assert.ok(c.gate.test(text.toString()), c.id);
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});

describe("the engine's gates", () => {
  it("leave a rule uncompiled on texts where its gate matches nowhere, and find what it finds once it does", () => {
    const engine = compileEngine(buildRuleSet(null, [], { examples: false }), onlyUserRules);
    const netrc = engine.rules.find((r) => r.spec.id === "netrc-password")!;
    const scan = (text: string) =>
      detectFragment(engine, wholeFragment(Buffer.from(text), { path: ".netrc", source: "tree" }), {
        showSecrets: true,
      });
    assert.deepEqual(scan("machine example.com\n# no password here\n"), []);
    assert.notEqual(netrc.gate, null, "gated: its regex is not compiled yet");
    const found = scan("machine example.com login bob password Qz8rT2vLx9Kp\n");
    assert.deepEqual(
      found.map((f) => [f.ruleId, f.match]),
      [["netrc-password", "Qz8rT2vLx9Kp"]],
    );
    assert.equal(netrc.gate, null, "compiled once its gate matched: the regex now runs alone");
  });
});
