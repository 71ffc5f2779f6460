/**
 * A built-in rule is searched with its big counted groups' upper bounds dropped and checked on the
 * match (detection/relaxed-bounds.ts): which groups qualify, and that the matches found so are
 * exactly the regex's own, one after another through a text, for every built-in rule it applies
 * to, on its examples with their values stretched past the bound and on random texts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../../../src/detection/compile.js";
import { detectFragment } from "../../../src/detection/detect.js";
import { type BufferMatch, execBuffer, newRegex, type Regex } from "../../../src/detection/regex.js";
import { execRelaxed, relaxBounds } from "../../../src/detection/relaxed-bounds.js";
import { wholeFragment } from "../../../src/sources/fragment.js";

const ruleSet = buildRuleSet(null, [], { examples: true });

function allMatches(next: () => BufferMatch | null): BufferMatch[] {
  const out: BufferMatch[] = [];
  for (let m = next(); m !== null && out.length < 1000; m = next()) out.push(m);
  return out;
}

const compiled = new Map<string, { exact: Regex; loose: Regex; own: Regex; bounds: [number, number][] }>();

/** Every match of the regex as written, and of its relaxed form with the bound checks. */
function bothWays(source: string, text: Buffer): [BufferMatch[], BufferMatch[]] {
  let c = compiled.get(source);
  if (!c) {
    const relaxed = relaxBounds(source)!;
    c = {
      exact: newRegex(source, "gd"),
      loose: newRegex(relaxed.source, "gd"),
      own: newRegex(source, "gd"),
      bounds: relaxed.bounds,
    };
    compiled.set(source, c);
  }
  const { exact, loose, own, bounds } = c;
  exact.lastIndex = 0;
  loose.lastIndex = 0;
  return [allMatches(() => execBuffer(exact, text)), allMatches(() => execRelaxed(loose, bounds, () => own, text))];
}

describe("relaxed bounds", () => {
  it("drop the upper bound of a big counted repetition that is a whole capture group, and only there", () => {
    const cases: [string, string | null, [number, number][]?][] = [
      [`(?i)key=([^\\s"']{8,200})(?:"|$)`, `(?i)key=([^\\s"']{8,})(?:"|$)`, [[1, 200]]],
      ["a(\\S{8,256}?)b", "a(\\S{8,}?)b", [[1, 256]]],
      ["(?P<v>[A-Z]{10,100})", "(?P<v>[A-Z]{10,})", [[1, 100]]],
      ["([[:alnum:]]{1,64})", "([[:alnum:]]{1,})", [[1, 64]]],
      ["([^)\\](]{8,100})x", "([^)\\](]{8,})x", [[1, 100]]],
      [
        "(a(?:b)(c))x([x]{1,99})(\\p{L}{0,40})(.{2,50})",
        "(a(?:b)(c))x([x]{1,})(\\p{L}{0,})(.{2,})",
        [
          [3, 99],
          [4, 40],
          [5, 50],
        ],
      ],
      [
        "(?:u=([a-z]{4,128}))?@([^@/]{1,256})",
        "(?:u=([a-z]{4,}))?@([^@/]{1,})",
        [
          [1, 128],
          [2, 256],
        ],
      ],
      // Too small to matter, exact counts, more than one atom, under a repetition, \Q…\E.
      ["([a-z]{8,20})", null],
      ["([a-f0-9]{64})", null],
      ["([a-f0-9]{64,64})", null],
      ["([a-z][0-9]{1,100})", null],
      ["(?:([a-z]{1,64}),)+", null],
      ["(?:([a-z]{1,64}),){2}", null],
      ["([a-z]{1,64})*", null],
      ["\\Q(\\E([a-z]{1,64})", null],
    ];
    for (const [source, relaxed, bounds] of cases) {
      const got = relaxBounds(source);
      if (relaxed === null) assert.equal(got, null, source);
      else assert.deepEqual(got, { source: relaxed, bounds }, source);
    }
  });

  const rules = ruleSet.rules.filter((r) => relaxBounds(r.regex) !== null);

  it("apply to the generic rules and the connection strings", () => {
    const ids = rules.map((r) => r.id);
    for (const id of ["generic-secret", "url-basic-auth-credentials", "pypirc-password"])
      assert.ok(ids.includes(id), id);
  });

  it("find exactly the matches of every relaxed built-in rule on its examples, their values stretched past the bound", () => {
    let stretched = 0;
    for (const rule of rules) {
      const { bounds } = relaxBounds(rule.regex)!;
      const exact = newRegex(rule.regex, "d");
      for (const example of rule.examples.positives) {
        const texts = [example];
        const m = execBuffer(exact, Buffer.from(example));
        for (const [group, max] of bounds) {
          const span = m?.indices[group];
          if (!span || span[0] === span[1]) continue;
          const bytes = Buffer.from(example);
          const value = bytes.toString("utf8", span[0], span[1]);
          const before = bytes.toString("utf8", 0, span[0]);
          const after = bytes.toString("utf8", span[1]);
          for (const n of [max - 1, max, max + 1, max + 37, 2 * max + 5]) {
            const long = value.repeat(Math.ceil(n / value.length) + 1).slice(0, n);
            texts.push(before + long + after);
            texts.push(before + long.slice(0, n - 2) + "é" + after);
            stretched++;
          }
        }
        for (const text of [...texts])
          for (const sep of ["", " ", "/", "\n", '"', "="]) texts.push(text + sep + example);
        for (const text of texts) {
          const [want, got] = bothWays(rule.regex, Buffer.from(text));
          assert.deepEqual(got, want, `${rule.id} on ${JSON.stringify(text.slice(0, 120))}`);
        }
      }
    }
    assert.ok(stretched > 100, `${stretched} stretched values`);
  });

  it("find exactly the generic rules' matches on random texts", () => {
    const generic = rules.filter((r) => r.id.startsWith("generic-") || r.id === "pypirc-password");
    const piece = fc.oneof(
      fc.constantFrom("password", "api_key", "token", "<secret>", "</secret>", 'name="db_pwd" value="', "[pypi]\n"),
      fc.constantFrom("=", ": ", ":=", '"', "'", " ", "\n", ",", "/", "é", "password = "),
      fc
        .tuple(fc.constantFrom("a", "Z9", "x-", "é", "k/"), fc.integer({ min: 1, max: 140 }))
        .map(([s, n]) => s.repeat(n)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = Buffer.from(pieces.join(""));
        for (const rule of generic) {
          const [want, got] = bothWays(rule.regex, text);
          assert.deepEqual(got, want, rule.id);
        }
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it("leave a value too long for the bound to the regex as written, which may match further on", () => {
    const source = ruleSet.rules.find((r) => r.id === "generic-secret")!.regex;
    const value = "Zq8Kx2mN4pR7tWv";
    const random = "Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz".repeat(10);
    const text = Buffer.from(
      // (A match takes the line break after it: the blank line lets the next key start a match.)
      [`password=${random.slice(0, 180)}/token=${value}`, `api_key = "${random.slice(0, 201)}"`].join("\n\n"),
    );
    const relaxed = relaxBounds(source)!;
    const loose = newRegex(relaxed.source, "gd");
    let fallbacks = 0;
    const own = newRegex(source, "gd");
    const got = allMatches(() =>
      execRelaxed(
        loose,
        relaxed.bounds,
        () => {
          fallbacks++;
          return own;
        },
        text,
      ),
    );
    // The 202-character value after `password=` is too long: the match is `/token=…` inside it.
    assert.deepEqual(
      got.map((m) => text.toString("utf8", ...(m.indices[1] ?? m.indices[2])!)),
      [value],
    );
    assert.equal(fallbacks, 2);
    assert.deepEqual(got, bothWays(source, text)[0]);
  });

  it("give a scan the same findings as the regexes as written", () => {
    const exact = compileEngine(ruleSet);
    const relaxed = compileEngine(ruleSet, onlyUserRules);
    const value = "Zq8Kx2mN4pR7tWv";
    const random = "Ab3De5Gh7Jk9Mn2Pq4St6Vw8Yz".repeat(10);
    const text = [
      `password=${random.slice(0, 180)}/token=${value}`,
      `api_key = "${random.slice(0, 200)}"`,
      `api_key = "${random.slice(0, 201)}"`,
      `db_password = "${value}"`,
      `<secret>${random.slice(0, 201)}</secret> <password>${value}</password>`,
    ].join("\n");
    const scan = (engine: typeof exact) =>
      detectFragment(engine, wholeFragment(Buffer.from(text), { path: "app.py", source: "tree" }), {
        showSecrets: true,
      });
    const want = scan(exact);
    assert.ok(want.length > 0);
    assert.deepEqual(scan(relaxed), want);
    assert.ok(relaxed.rules.some((r) => r.relaxed !== null));
  });
});
