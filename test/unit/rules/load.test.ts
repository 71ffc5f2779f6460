import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { compileEngine } from "../../../src/detection/compile.js";
import { countGroups } from "../../../src/rules/count-groups.js";
import { loadDetectorFiles } from "../../../src/rules/load-detectors.js";

function ruleFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "leakstop-rules-"));
  const file = join(dir, "x.toml");
  writeFileSync(file, body);
  return file;
}

const GOOD = `[[rules]]
id = "x-token"
provider = "X"
description = "x token for tests"
regex = '''(x_[a-z0-9]{20})'''
keywords = ["x_"]
[rules.examples]
positives = ["x_abcdefghij0123456789"]
negatives = ["x_short"]
`;

function loadError(body: string): { code: string; message: string } {
  try {
    loadDetectorFiles([ruleFile(body)], true);
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail("expected the rule file to be rejected");
}

describe("detector loading", () => {
  it("loads a good file", () => {
    const set = loadDetectorFiles([ruleFile(GOOD)], true);
    assert.equal(set.rules[0]?.id, "x-token");
    assert.equal(set.rules[0]?.severity, "high");
  });

  it("rejects an unknown key, naming file and rule id", () => {
    const err = loadError(GOOD.replace("keywords", "keyowrds"));
    assert.equal(err.code, "LS_RULES_INVALID");
    assert.match(err.message, /x\.toml:\d+:1: rule "x-token": unknown key "keyowrds"/);
  });

  it("rejects a regex RE2 cannot compile", () => {
    const set = loadDetectorFiles([ruleFile(GOOD.replace("(x_[a-z0-9]{20})", "(?=x)(x_[a-z0-9]{20})"))], true);
    assert.throws(
      () => compileEngine({ rules: set.rules, allowlists: [], settings: { issuers: [] } }),
      /x-token.*does not compile in RE2/,
    );
  });

  it("rejects a secretGroup the regex does not have", () => {
    const set = loadDetectorFiles(
      [ruleFile(GOOD.replace('keywords = ["x_"]', 'keywords = ["x_"]\nsecretGroup = 2'))],
      true,
    );
    assert.throws(
      () => compileEngine({ rules: set.rules, allowlists: [], settings: { issuers: [] } }),
      /secretGroup 2 but the regex has 1/,
    );
  });

  it("requires examples of built-in rules", () => {
    const err = loadError(GOOD.replace('negatives = ["x_short"]', ""));
    assert.match(err.message, /needs at least one negative example/);
  });

  it("reports bad TOML in one line naming the file, line and column", () => {
    const err = loadError("[[rules]\nid=");
    assert.equal(err.code, "LS_RULES_INVALID");
    assert.match(err.message, /x\.toml:1:\d+: invalid TOML/);
    assert.ok(!err.message.includes("\n"));
  });

  it("rejects duplicate ids across files", () => {
    const err = loadError(`${GOOD}\n${GOOD}`);
    assert.match(err.message, /rule id "x-token" is also defined/);
  });

  it("counts capture groups like RE2 does", () => {
    assert.equal(countGroups("a(b)(?:c)(?P<n>d)[(]\\(e"), 2);
    assert.equal(countGroups("(?i)x"), 0);
  });

  describe("context rules (context + value + the shared forms)", () => {
    const CONTEXT = GOOD.replace(
      "regex = '''(x_[a-z0-9]{20})'''",
      "context = '''x[_.-]?token'''\nvalue = '''(x_[a-z0-9]{20})'''",
    );
    it("composes the regex and the secret groups from context and value", () => {
      const rule = loadDetectorFiles([ruleFile(CONTEXT)], true).rules[0]!;
      assert.equal(rule.kind, "provider");
      assert.deepEqual(rule.secretGroups, [1, 2]);
      assert.ok(rule.regex.includes("x[_.-]?token"));
    });
    const cases: [string, string, RegExp][] = [
      [
        "regex and context together",
        CONTEXT.replace("context =", "regex = '''x'''\ncontext ="),
        /"regex" or "context"/,
      ],
      ["context without value", CONTEXT.replace(/^value = .*$/m, ""), /"context" and "value" go together/],
      ["a capture group in the context", CONTEXT.replace("x[_.-]?token", "(x)[_.-]?token"), /must not capture/],
      ["an unknown piece", CONTEXT.replace("x[_.-]?token", "x{sectoin}token"), /unknown piece \{sectoin\}/],
      [
        "an unknown kind",
        CONTEXT.replace('provider = "X"', 'provider = "X"\nkind = "special"'),
        /"kind" must be one of/,
      ],
      [
        "a built-in rule steered by a tag",
        GOOD.replace('provider = "X"', 'provider = "X"\ntags = ["generic"]'),
        /say kind = "generic"/,
      ],
    ];
    for (const [what, body, message] of cases) {
      it(`rejects ${what}`, () => {
        const err = loadError(body);
        assert.equal(err.code, "LS_RULES_INVALID");
        assert.match(err.message, message);
      });
    }
  });
});
