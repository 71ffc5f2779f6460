import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileEngine, onlyUserRules } from "../../../src/detection/compile.js";
import { isBuildChecked } from "../../../src/rules/build-checked.js";
import { loadBuiltinDetectors } from "../../../src/rules/detector-bundle.js";
import { regexMatchesEmpty } from "../../../src/rules/regex-check.js";
import { engineFromToml } from "../../helpers/engine.js";

describe("regexes that can match the empty string", () => {
  it("are recognised wherever the empty match needs a particular position", () => {
    for (const re of [
      "(x*)",
      "a|(x*)",
      "\\b(x*)",
      "(x*)\\b",
      "\\B",
      "(?m)^(x*)$",
      "x*\\z",
      "(a)?b?",
      "[^\\n]?",
      "\\w|(x*)\\b",
    ])
      assert.equal(regexMatchesEmpty(re), true, re);
  });

  it("are not confused with regexes whose secret group may be empty", () => {
    for (const re of ["acme_(x*)", "\\b(ghp_[0-9A-Za-z]{36})\\b", "(?i)token\\s*=\\s*(\\S*)", "(?m)^x$"])
      assert.equal(regexMatchesEmpty(re), false, re);
  });

  it("make a rule file fail to load with an error naming the rule", () => {
    const toml = `[[rules]]\nid = "acme-empty"\nprovider = "Acme"\ndescription = "d"\nregex = '''(?i)(acme_[a-z]+)?'''\nkeywords = ["acme_"]\n`;
    assert.throws(
      () => engineFromToml(toml),
      (err: Error & { code?: string }) =>
        err.code === "LS_RULES_INVALID" && /rule "acme-empty": regex can match the empty string/.test(err.message),
    );
  });

  it("are not probed again in built-in rules from the build's bundle, but are in a copy of one", () => {
    const builtin = loadBuiltinDetectors({ examples: false });
    const rule = builtin.rules.find((r) => r.id === "github-pat")!;
    assert.ok(isBuildChecked(rule), "the build checked every rule of its bundle");
    const emptied = { ...rule, regex: `(?:${rule.regex})?` };
    assert.equal(isBuildChecked(emptied), false, "a copy (a config override) is not marked");
    const settings = { issuers: [] };
    const engine = compileEngine({ rules: [rule], allowlists: [], settings }, onlyUserRules);
    assert.ok(engine.rules[0]!.regex, "the bundled rule compiles lazily");
    const lazy = compileEngine({ rules: [emptied], allowlists: [], settings }, onlyUserRules);
    assert.throws(
      () => lazy.rules[0]!.regex,
      (err: Error & { code?: string }) =>
        err.code === "LS_RULES_INVALID" && /regex can match the empty string/.test(err.message),
    );
  });
});
