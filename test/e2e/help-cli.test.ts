/**
 * What a user reads agrees with what exists: every flag in a README usage line is in that command's
 * --help, and `rules test --verbose` does what its help says.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ACME_TOKEN, ruleToml } from "../helpers/rule-toml.js";
import { leakstop, oneLineError } from "./cli.js";

const README = fileURLToPath(new URL("../../../README.md", import.meta.url));

/** The `leakstop CMD [SUB] …` lines of the README's code blocks (continuation lines joined). */
function usageLines(): { command: string[]; flags: string[] }[] {
  const out: { command: string[]; flags: string[] }[] = [];
  const blocks = readFileSync(README, "utf8")
    .split("```")
    .filter((_, i) => i % 2 === 1);
  for (const block of blocks) {
    const lines = block.split("\n");
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!;
      const m = /^leakstop ([a-z-]+)(?: ([a-z-]+))?\b/.exec(line);
      if (!m) continue;
      while (/^\s{8,}\[/.test(lines[i + 1] ?? "")) line += lines[++i];
      const usage = line.split(/\s#\s/)[0]!; // a trailing comment is prose
      const sub = m[2] && ["failed", "dead-letters"].includes(m[2]) ? [m[2]] : [];
      out.push({ command: [m[1]!, ...sub], flags: [...new Set(usage.match(/--[a-z][a-z-]*/g) ?? [])] });
    }
  }
  return out;
}

describe("README usage lines and --help", () => {
  it("every flag a README usage line shows is in that command's --help", () => {
    const help = new Map<string, string>();
    const lines = usageLines();
    assert.ok(lines.length > 20, `${lines.length} usage lines`);
    const missing: string[] = [];
    for (const { command, flags } of lines) {
      const key = command.join(" ");
      if (!help.has(key)) {
        const r = leakstop([...command, "--help"]);
        assert.equal(r.code, 0, `${key} --help: ${r.stderr}`);
        help.set(key, r.stdout);
      }
      for (const flag of flags) {
        if (!new RegExp(`${flag}\\b`).test(help.get(key)!)) missing.push(`leakstop ${key}: ${flag}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it("every flag a command's --help names is in the README too", () => {
    const readme = readFileSync(README, "utf8");
    const missing: string[] = [];
    for (const command of [
      "scan",
      "hook",
      "org-scan",
      "rules",
      "keys",
      "audit",
      "server",
      "worker",
      "report",
      "demo",
    ]) {
      const r = leakstop([command, "--help"]);
      assert.equal(r.code, 0, `${command} --help: ${r.stderr}`);
      for (const flag of new Set(r.stdout.match(/--[a-z][a-z-]*/g) ?? [])) {
        if (flag !== "--help" && !new RegExp(`${flag}\\b`).test(readme)) missing.push(`leakstop ${command}: ${flag}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe("leakstop rules test --verbose", () => {
  const rule = (positives: string[]) => ruleToml("acme-token", "\\b(acme_[0-9a-f]{32})\\b", positives);
  const token = ACME_TOKEN;

  it("lists each example checked, passed or failed, without its text", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-rtv-"));
    writeFileSync(join(dir, "mine.toml"), rule([`t = ${token}`, "no key word"]));
    const r = leakstop(["rules", "test", "mine.toml", "--verbose"], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n"), [
      "ok   mine.toml: acme-token: positive example #1",
      "FAIL mine.toml: acme-token: positive example #2 contains none of the rule's keywords, so the prefilter would skip it",
      "ok   mine.toml: acme-token: negative example #1",
      "FAILED: 1 rules, 3 examples, 1 failure(s)",
    ]);
    assert.ok(!r.stdout.includes(token), "no example's text");
    // without it, only the failure and the summary
    const quiet = leakstop(["rules", "test", "mine.toml"], { cwd: dir });
    assert.equal(quiet.code, 1, quiet.stderr);
    assert.equal(quiet.stdout.trim().split("\n").length, 2, quiet.stdout);
    writeFileSync(join(dir, "mine.toml"), rule([`t = ${token}`]));
    const ok = leakstop(["rules", "test", "-v", "mine.toml"], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^ok {3}mine\.toml: acme-token: positive example #1$/m);
  });

  it("refuses flags of the other subcommand, in one line", () => {
    oneLineError(leakstop(["rules", "test", "--format", "json"]), /rules test: --format is for rules list/);
    oneLineError(leakstop(["rules", "list", "--verbose"]), /rules list: --verbose is for rules test/);
  });
});
