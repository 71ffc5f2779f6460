/**
 * A built-in rule that spells its own "name = value" prelude instead of saying `context` is refused
 * when loaded, naming the rule; `structural = "why"` opts a structural format out.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { builtinDetectorsDir, loadDetectorDir, loadDetectorFiles } from "../../../src/rules/load-detectors.js";
import { handWrittenPrelude } from "../../../src/rules/prelude-check.js";

function ruleFile(fields: string): string {
  const dir = mkdtempSync(join(tmpdir(), "leakstop-prelude-"));
  const file = join(dir, "acme.toml");
  writeFileSync(
    file,
    `[[rules]]
id = "acme-api-key"
provider = "Acme"
description = "acme key for tests"
${fields}
keywords = ["acme"]
[rules.examples]
positives = ['ACME_API_KEY = "8f3a9c1e7b2d4f6a0c5e9b1d3f7a2c4e"']
negatives = ['ACME_API_KEY = "8f3a9c1e"']
`,
  );
  return file;
}

const PRELUDE_REGEX = `regex = '''(?i)acme[_.-]?api[_.-]?key\\s{0,5}[:=]\\s{0,5}["']?([a-f0-9]{32})\\b'''`;

describe("hand-written assignment preludes", () => {
  it("refuses a built-in rule whose regex spells one, in one line naming the rule and what to do", () => {
    const err = (() => {
      try {
        loadDetectorFiles([ruleFile(PRELUDE_REGEX)], true);
      } catch (e) {
        return e as Error;
      }
      assert.fail("expected the rule to be refused");
    })();
    assert.match(err.message, /acme\.toml:1:1: rule "acme-api-key": the regex spells its own assignment prelude/);
    assert.match(err.message, /\\s\{0,5\}\[:=\]\\s\{0,5\}/);
    assert.match(err.message, /"context" and "value"/);
    assert.doesNotMatch(err.message, /\n/);
  });

  it("loads the same rule written as context and value", () => {
    const set = loadDetectorFiles(
      [ruleFile(`context = '''acme[_.-]?api[_.-]?key'''\nvalue = '''([a-f0-9]{32})\\b'''`)],
      true,
    );
    assert.equal(set.rules[0]?.id, "acme-api-key");
  });

  it("loads it with a structural reason, and refuses a structural context rule", () => {
    const why = `structural = "a field of the acme connection string"`;
    assert.equal(loadDetectorFiles([ruleFile(`${PRELUDE_REGEX}\n${why}`)], true).rules.length, 1);
    assert.throws(
      () => loadDetectorFiles([ruleFile(`context = '''acme'''\nvalue = '''([a-f0-9]{32})'''\n${why}`)], true),
      /"structural" is for a regex rule/,
    );
  });

  it("leaves user rules (config files, gitleaks imports) alone", () => {
    assert.equal(loadDetectorFiles([ruleFile(PRELUDE_REGEX)], false).rules.length, 1);
  });

  it("recognises the spellings of a prelude, and not a flag, a URL or a group's colon", () => {
    for (const re of [
      String.raw`key["']?\s{0,5}(?:=|:|=>|:=)\s{0,5}(x)`,
      String.raw`key[ \t]*=[ \t]*(x)`,
      String.raw`key["']?[ \t]*[:=,][ \t]*(x)`,
      String.raw`key[ \t]{0,16}(?::=|=>|=|:|<-)[ \t]{0,3}(x)`,
      String.raw`client-key-data:\s{0,3}(x)`,
      // no blanks: the name, the operator and the value's group glued together
      "(?i)api_key=([0-9a-f]{32})",
      `apikey[:=]["']?([A-Za-z0-9]{40})`,
    ]) {
      assert.ok(handWrittenPrelude(re), re);
    }
    for (const re of [
      String.raw`--token(?:[ \t]+|=)(x)`,
      String.raw`https?://([^:@\s]+):([^@\s]+)@`,
      String.raw`(?i:\bsshpass)[ \t]+-p[ \t]*(x)`,
      String.raw`(?:[A-Za-z-]{2,30}: ?[^\r\n]*)`,
      String.raw`\b(ghp_[0-9A-Za-z]{36})\b`,
      String.raw`\b(AKIA[0-9A-Z]{16})(?:[^0-9A-Z]|$)`,
      String.raw`(?i:sv=\d{4}-\d{2}-\d{2})&`,
    ]) {
      assert.equal(handWrittenPrelude(re), undefined, re);
    }
  });

  it("no built-in rule spells a prelude without saying why (the folder loads)", () => {
    const set = loadDetectorDir(builtinDetectorsDir());
    const structural = set.rules.filter((r) => r.context === undefined && handWrittenPrelude(r.regex));
    assert.ok(structural.length > 0 && structural.length < 30, `${structural.length} structural rules`);
  });
});
