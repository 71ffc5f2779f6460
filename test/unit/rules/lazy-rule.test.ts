/**
 * Built-in rules from the detector bundle are parsed on first use (rules/lazy-rule.ts): building
 * the engine parses none, and to every reader a lazy rule is the plain rule it stands for.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileEngine, onlyUserRules, rulesOfKeywords } from "../../../src/detection/compile.js";
import { detectFragment } from "../../../src/detection/detect.js";
import { loadBuiltinDetectors } from "../../../src/rules/detector-bundle.js";
import { fullRule, lazyRule, ruleHead, textRecords } from "../../../src/rules/lazy-rule.js";
import type { RuleSpec } from "../../../src/rules/rule-spec.js";
import { wholeFragment } from "../../../src/sources/fragment.js";

const PLAIN = {
  id: "acme-token",
  provider: "Acme",
  description: "an Acme token",
  regex: "\\b(acme_[a-z0-9]{20})\\b",
  kind: "provider",
  keywords: ["acme_"],
  severity: "high",
  tags: [],
  references: [],
  allowlists: [],
  origin: "detectors/acme.toml",
};

function lazy(): { rule: RuleSpec; parsed: RuleSpec[] } {
  const text = `xx${JSON.stringify(PLAIN)}yy`;
  const parsed: RuleSpec[] = [];
  const examples = { positives: [], negatives: [] };
  const entry = { id: PLAIN.id, keywords: PLAIN.keywords, origin: PLAIN.origin, examples };
  const rule = lazyRule(entry, textRecords(text), 2, text.length - 2, false, (r) => parsed.push(r));
  return { rule, parsed };
}

describe("lazy built-in rules", () => {
  it("read their index entry without parsing, anything else parses them once", () => {
    const { rule, parsed } = lazy();
    assert.equal(rule.id, "acme-token");
    assert.deepEqual(rule.keywords, ["acme_"]);
    assert.equal(rule.validator, undefined);
    assert.equal(ruleHead(rule).origin, "detectors/acme.toml");
    assert.equal(parsed.length, 0, "nothing parsed yet");
    assert.equal(rule.regex, PLAIN.regex);
    assert.equal(rule.description, "an Acme token");
    assert.equal(parsed.length, 1, "parsed once");
    assert.equal(fullRule(rule), parsed[0]);
    assert.equal(ruleHead(rule), rule, "once parsed, the head is the rule itself");
  });

  it("spread, list their keys, serialise and compare as the plain rule", () => {
    const expected = { ...PLAIN, examples: { positives: [], negatives: [] } };
    assert.deepEqual({ ...lazy().rule }, expected);
    assert.deepEqual(Object.keys(lazy().rule), Object.keys(expected), "same keys in the same order");
    assert.equal(JSON.stringify(lazy().rule), JSON.stringify(expected));
    assert.ok("regex" in lazy().rule);
    assert.deepEqual(lazy().rule, expected);
    const { rule } = lazy();
    rule.regex = "other";
    assert.equal(fullRule(rule).regex, "other", "assignments reach the parsed rule");
  });

  it("the engine over every built-in rule parses only those a text selects", () => {
    const builtin = loadBuiltinDetectors({ examples: false });
    const engine = compileEngine({ ...builtin, settings: { issuers: [] } }, onlyUserRules);
    // An unparsed lazy rule's head is its index entry; a parsed one's is the rule itself.
    const parsedNow = () => builtin.rules.filter((r) => ruleHead(r) === r).length;
    assert.equal(parsedNow(), 0, "building the engine parses no rule");
    const hits = engine.prefilter.match(Buffer.from("const url = 'https://hooks.slack.com/services/x'"));
    const picked = rulesOfKeywords(engine, hits);
    assert.ok(picked.length > 0 && picked.length < 50);
    for (const r of picked) assert.ok(r.regex);
    assert.ok(parsedNow() <= picked.length, `${parsedNow()} parsed for ${picked.length} selected`);
  });

  it("a detection over the generic rules' keywords parses only the rules it selects", () => {
    // The keyword families (detection/keyword-families.ts) are worked out over every rule on first
    // use: that must read keywords only, not parse each rule (~25 M instructions of a hook run).
    const builtin = loadBuiltinDetectors({ examples: false });
    const engine = compileEngine({ ...builtin, settings: { issuers: [] } }, onlyUserRules);
    const text = 'const retries = 3;\nexport const api_token = "x";\nconst password = getPassword();\n';
    const data = Buffer.from(text.repeat(4));
    const picked = rulesOfKeywords(engine, engine.prefilter.match(data));
    detectFragment(engine, wholeFragment(data, { path: "app.ts", source: "tree" }), { showSecrets: false });
    const parsed = builtin.rules.filter((r) => ruleHead(r) === r).length;
    assert.ok(picked.length > 1 && picked.length < 50, `${picked.length} rules selected`);
    assert.ok(parsed <= picked.length + 5, `${parsed} rules parsed for ${picked.length} selected`);
  });
});
