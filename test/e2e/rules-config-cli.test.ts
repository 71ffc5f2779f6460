/**
 * Rule and config mistakes a user can make, through the built CLI: each fails with exit 2 and one
 * `leakstop: ` line saying what and where, or (for someone else's gitleaks file) is named under
 * --verbose. Also the gitleaks file's own `useDefault = false` and classic Mac line endings.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ruleToml } from "../helpers/rule-toml.js";
import { crcToken } from "../helpers/secrets.js";
import { leakstop, oneLineError } from "./cli.js";

function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `leakstop-${tag}-`));
}

const EMPTY = /rule "acme-empty": regex can match the empty string/;

describe("a rule whose regex can match the empty string", () => {
  it("is refused in .leakstop.toml", () => {
    const dir = tempDir("empty-cfg");
    writeFileSync(join(dir, ".leakstop.toml"), ruleToml("acme-empty", "(x*)"));
    writeFileSync(join(dir, "a.txt"), "acme_ here\n");
    oneLineError(leakstop(["scan", dir]), EMPTY);
  });

  it("is refused in a detector file, by rules test too", () => {
    const dir = tempDir("empty-rules");
    writeFileSync(join(dir, "mine.toml"), ruleToml("acme-empty", "(?i)(acme_[a-z0-9]*)?"));
    oneLineError(leakstop(["rules", "test", "mine.toml"], { cwd: dir }), EMPTY);
  });

  it("in a gitleaks file is left out and named under --verbose; the file's other rules run", () => {
    const dir = tempDir("empty-gl");
    writeFileSync(
      join(dir, "gitleaks.toml"),
      `[[rules]]\nid = "loose"\nregex = '''[a-z]*'''\n\n[[rules]]\nid = "acme"\nregex = '''(acme_[0-9a-f]{32})'''\nkeywords = ["acme_"]\n`,
    );
    writeFileSync(join(dir, ".leakstop.toml"), `[extend]\ngitleaks = "gitleaks.toml"\n`);
    writeFileSync(join(dir, "a.txt"), "t = acme_8f3a9c1e7b2d4f6a0c5e9b1d3f7a2c4e\n");
    const r = leakstop(["scan", dir, "--verbose", "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /skipped gitleaks rule loose \(its regex can match the empty string\)/);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { ruleId: string }[]).map((f) => f.ruleId),
      ["acme"],
    );
  });
});

describe("gitleaks files", () => {
  it("honour their own [extend] useDefault = false and list path-only rules with --verbose", () => {
    const dir = tempDir("gl-default");
    writeFileSync(
      join(dir, "gitleaks.toml"),
      `[extend]\nuseDefault = false\n\n[[rules]]\nid = "pem-files"\npath = '''\\.pem$'''\n\n[[rules]]\nid = "acme"\nregex = '''(acme_[0-9a-f]{32})'''\nkeywords = ["acme_"]\n`,
    );
    writeFileSync(join(dir, ".leakstop.toml"), `[extend]\ngitleaks = "gitleaks.toml"\n`);
    writeFileSync(join(dir, "a.txt"), `acme_8f3a9c1e7b2d4f6a0c5e9b1d3f7a2c4e\nT=${crcToken("ghp_")}\n`);
    const r = leakstop(["scan", dir, "--verbose", "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /skipped gitleaks rule pem-files \(path-only rule\)/);
    // The built-in github-pat rule is not loaded: only the file's own rule reports.
    assert.deepEqual(
      (JSON.parse(r.stdout) as { ruleId: string }[]).map((f) => f.ruleId),
      ["acme"],
    );
  });
});

describe("config mistakes", () => {
  it("a rule id given twice in one config is an error naming both tables", () => {
    const dir = tempDir("dup");
    writeFileSync(
      join(dir, ".leakstop.toml"),
      `[[rules]]\nid = "github-pat"\nseverity = "low"\n\n[[rules]]\nid = "github-pat"\nseverity = "high"\n`,
    );
    oneLineError(
      leakstop(["scan", dir]),
      /\.leakstop\.toml:5:1: rule "github-pat" is defined twice \(\[\[rules\]\] #1 and #2\)/,
    );
  });

  it("a TOML syntax error names the line and column, in the config and in a detector file", () => {
    const dir = tempDir("toml");
    writeFileSync(join(dir, ".leakstop.toml"), `[scan]\nthreads = 2\nexclude = ["a",\n`);
    oneLineError(leakstop(["scan", dir]), /\.leakstop\.toml:\d+:\d+: invalid TOML: /);
    writeFileSync(join(dir, "mine.toml"), `[[rules]]\nid = "x"\nregex = '''abc\n`);
    oneLineError(
      leakstop(["rules", "test", "mine.toml"], { cwd: dir }),
      /^leakstop: mine\.toml:3:9: invalid TOML: unfinished string/,
    );
  });

  it("a config with several problems reports every one, each on its own line at its line and column", () => {
    const dir = tempDir("many");
    writeFileSync(
      join(dir, ".leakstop.toml"),
      [
        "[scan]",
        "threads = 0",
        'excldue = ["x"]',
        'maxFileSize = "lots"',
        "",
        "[[rules]]",
        'id = "acme-one"',
        'regex = "("',
        'keyowrds = ["x"]',
        "",
        "[[rules]]",
        'id = "acme-two"',
        'severity = "huge"',
        "",
        "[allowlist]",
        'regexes = ["[z"]',
        "",
      ].join("\n"),
    );
    const r = leakstop(["scan", dir]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split("\n");
    const at = (line: number, what: RegExp) =>
      assert.ok(
        lines.some((l) => l.includes(`.leakstop.toml:${line}:1: `) && what.test(l)),
        `line ${line} ${what}: ${r.stderr}`,
      );
    at(2, /scan\.threads must be a whole number/);
    at(3, /\[scan\]: unknown key "excldue"/);
    at(4, /scan\.maxFileSize must be a size/);
    at(8, /rule "acme-one": regex does not compile in RE2/);
    at(9, /rule "acme-one": unknown key "keyowrds"/);
    at(13, /rule "acme-two": "severity" must be one of/);
    at(16, /allowlist: regex does not compile in RE2/);
    // what the merge with the built-in rules finds, in the same run
    at(6, /rule "acme-one": missing "provider"/);
    at(6, /rule "acme-one": missing "description"/);
    at(12, /rule "acme-two": no rule "acme-two" to override/);
    assert.equal(lines.length, 10, r.stderr);
    for (const line of lines) assert.match(line, /^leakstop: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });

  it("problems found against the built-in rules are all reported too, at their lines", () => {
    const dir = tempDir("merge");
    writeFileSync(
      join(dir, ".leakstop.toml"),
      'disabledRules = ["no-such-rule"]\n\n[[rules]]\nid = "acme-new"\nregex = "acme_[a-z]{8}"\n',
    );
    const r = leakstop(["scan", dir]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split("\n");
    assert.ok(
      lines.some((l) => /\.leakstop\.toml:3:1: rule "acme-new": missing "provider"/.test(l)),
      r.stderr,
    );
    assert.ok(
      lines.some((l) => /\.leakstop\.toml:3:1: rule "acme-new": missing "description"/.test(l)),
      r.stderr,
    );
    assert.ok(
      lines.some((l) => /\.leakstop\.toml:1:18: disabledRules names unknown rule "no-such-rule"/.test(l)),
      r.stderr,
    );
    assert.equal(lines.length, 3, r.stderr);
  });

  it("the file's own problems and those only the built-in rules show come in one run", () => {
    const dir = tempDir("one-round");
    writeFileSync(
      join(dir, ".leakstop.toml"),
      [
        'disabledRules = ["no-such-rule"]',
        "rules = [",
        '  { id = "github-pat", validator = "nope" },',
        '  { id = "github-oauth-token", secretGroup = 3 },',
        '  { id = "gihtub-pat", severity = "low" },',
        '  { id = "acme-new", regex = "(", keywords = ["acme"] },',
        "]",
        "[scan]",
        "threds = 2",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "a.txt"), "nothing\n");
    const r = leakstop(["scan", dir]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr
      .trim()
      .split("\n")
      .map((l) => l.replace(/^leakstop: .*\.leakstop\.toml:/, ""));
    // the file's own problems first, then what the merge with the built-in rules finds
    assert.deepEqual(lines, [
      '9:1: [scan]: unknown key "threds"',
      '6:22: rule "acme-new": regex does not compile in RE2: missing ): (',
      '3:24: rule "github-pat": unknown validator "nope"',
      '4:32: rule "github-oauth-token": secretGroup 3 but the regex has 1 capture group(s)',
      '5:5: rule "gihtub-pat": no rule "gihtub-pat" to override (see leakstop rules list); a new rule needs "provider", "description" and "regex"',
      '6:3: rule "acme-new": missing "provider"',
      '6:3: rule "acme-new": missing "description"',
      '1:18: disabledRules names unknown rule "no-such-rule"',
    ]);
  });

  it("an invalid LEAKSTOP_ISSUER is refused like the same value in the config file", () => {
    const dir = tempDir("issuer");
    oneLineError(
      leakstop(["scan", dir], { env: { LEAKSTOP_ISSUER: "lsk,Bad_One" } }),
      /LEAKSTOP_ISSUER: issuer "Bad_One" must be 2-10 lowercase letters or digits/,
    );
    writeFileSync(join(dir, ".leakstop.toml"), `issuers = ["Bad_One"]\n`);
    oneLineError(leakstop(["scan", dir]), /issuer "Bad_One" must be 2-10 lowercase letters or digits/);
  });
});

describe("leakstop rules test", () => {
  it("calls a positive example without a keyword a positive example", () => {
    const dir = tempDir("rt-kw");
    writeFileSync(join(dir, "mine.toml"), ruleToml("acme-token", "\\b(acme_[0-9a-f]{32})\\b", ["no key word here"]));
    const r = leakstop(["rules", "test", "mine.toml"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^FAIL mine\.toml: acme-token: positive example #1 contains none of the rule's keywords/m);
  });

  it("reports a regex RE2 cannot compile as a bad regex, not as failing examples", () => {
    const dir = tempDir("rt-re");
    writeFileSync(join(dir, "mine.toml"), ruleToml("acme-token", "(?<=x)acme_[0-9a-f]{32}"));
    oneLineError(
      leakstop(["rules", "test", "mine.toml"], { cwd: dir }),
      /^leakstop: mine\.toml: rule "acme-token": regex does not compile in RE2: /,
    );
  });
});

describe("a detector file's problems", () => {
  it("name their line and column, each on its own line", () => {
    const dir = tempDir("rt-pos");
    const text = ruleToml("acme-token", "acme_[0-9a-f]{32}").replace(
      'severity = "high"',
      'severity = "huge"\nkeyowrds = ["acme_"]',
    );
    writeFileSync(join(dir, "mine.toml"), text);
    const r = leakstop(["rules", "test", "mine.toml"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual(r.stderr.trim().split("\n").sort(), [
      'leakstop: mine.toml:7:1: rule "acme-token": "severity" must be one of critical, high, medium, low',
      'leakstop: mine.toml:8:1: rule "acme-token": unknown key "keyowrds"',
    ]);
  });
});

describe("classic Mac line endings", () => {
  it("count as line breaks for positions, and CRLF as one", () => {
    const dir = tempDir("cr");
    const token = crcToken("ghp_");
    writeFileSync(join(dir, "mac.txt"), `one\rtwo\rT=${token}\r`);
    writeFileSync(join(dir, "win.txt"), `one\r\ntwo\r\nT=${token}\r\n`);
    const r = leakstop(["scan", dir, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    const found = (JSON.parse(r.stdout) as { path: string; startLine: number; startColumn: number }[])
      .map((f) => `${f.path}:${f.startLine}:${f.startColumn}`)
      .sort();
    assert.deepEqual(found, ["mac.txt:3:3", "win.txt:3:3"]);
  });
});
