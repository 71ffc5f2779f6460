/**
 * Triage as a user meets it: one key in code, a test, docs and a config file; another only in a
 * test. Every format says where each sits, code and config come first, one secret is one text
 * line and one SARIF result, and --min-kind / [scan] report choose what is reported (exit 1 only
 * when something is).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crcToken } from "../helpers/secrets.js";
import { leakstop } from "./cli.js";

// biome-ignore lint/suspicious/noExplicitAny: parsed report JSON, checked field by field
type Json = Record<string, any>;

function seed(): { root: string; shared: string; testOnly: string } {
  const root = mkdtempSync(join(tmpdir(), "leakstop-triage-"));
  const shared = crcToken("ghp_");
  const testOnly = crcToken("ghp_");
  const files: Record<string, string> = {
    "docs/setup.md": `Set the token:\n\n    export GITHUB_TOKEN=${shared}\n`,
    "test/app.test.ts": `const token = "${shared}";\nconst other = "${testOnly}";\n`,
    "src/app.ts": `export const token = "${shared}";\n`,
    "config/settings.yml": `github:\n  token: ${shared}\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, shared, testOnly };
}

describe("scan: fileKind, ordering, grouping, --min-kind", () => {
  const { root } = seed();

  it("json: every finding has its kind and a shared group; code and config come first", () => {
    const r = leakstop(["scan", root, "--format", "json", "--no-progress", "--threads", "1"]);
    assert.equal(r.code, 1, r.stderr);
    const findings: Json[] = JSON.parse(r.stdout);
    assert.deepEqual(
      findings.map((f) => [f.path, f.fileKind]),
      [
        ["src/app.ts", "code"],
        ["config/settings.yml", "config"],
        ["test/app.test.ts", "test"],
        ["test/app.test.ts", "test"],
        ["docs/setup.md", "docs"],
      ],
    );
    const shared = findings.filter((f) => f.path !== "test/app.test.ts" || f.startLine === 1);
    assert.equal(new Set(shared.map((f) => f.group)).size, 1, "one secret, one group");
    const lone = findings.find((f) => f.path === "test/app.test.ts" && f.startLine === 2)!;
    assert.notEqual(lone.group, shared[0]!.group);
    assert.match(lone.group, /^[0-9a-f]{12}$/);
    const jsonl = leakstop(["scan", root, "--format", "jsonl", "--no-progress"]).stdout.trim().split("\n");
    assert.equal(JSON.parse(jsonl[0]!).group, findings[0]!.group, "stable across runs and formats");
    assert.equal(JSON.parse(jsonl[0]!).fileKind, "code");
  });

  it("text: one line per secret, its kind after the location, 'in 4 places'", () => {
    const r = leakstop(["scan", root, "--no-progress"]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 3, r.stdout);
    assert.match(lines[0]!, /^github-pat · critical · src\/app\.ts:1:\d+ · code · /);
    assert.match(
      lines[0]!,
      /in 4 places: src\/app\.ts:1:\d+ \(code\), config\/settings\.yml:2:\d+ \(config\), test\/app\.test\.ts:1:\d+ \(test\), docs\/setup\.md:3:\d+ \(docs\)$/,
    );
    assert.match(lines[1]!, /^github-pat · critical · test\/app\.test\.ts:2:\d+ · test · /);
    assert.match(lines[2]!, /^5 leaks found/);
  });

  it("sarif: one result per secret with every place; a test-only secret is a note", () => {
    const r = leakstop(["scan", root, "--format", "sarif", "--no-progress"]);
    const results: Json[] = JSON.parse(r.stdout).runs[0].results;
    assert.equal(results.length, 2);
    assert.equal(results[0]!.locations.length, 4);
    assert.equal(results[0]!.level, "error");
    assert.equal(results[0]!.properties.fileKind, "code");
    assert.equal(results[1]!.level, "note");
    assert.ok(results[0]!.rank > results[1]!.rank);
  });

  it("--min-kind config reports code and config only; exit 1 only when something is left", () => {
    const r = leakstop(["scan", root, "--format", "json", "--min-kind", "config", "--no-progress"]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).map((f: Json) => f.fileKind),
      ["code", "config"],
    );
    const testsOnly = mkdtempSync(join(tmpdir(), "leakstop-triage-"));
    mkdirSync(join(testsOnly, "test"));
    writeFileSync(join(testsOnly, "test", "a_test.go"), `var tok = "${crcToken("ghp_")}"\n`);
    const clean = leakstop(["scan", testsOnly, "--min-kind", "config", "--no-progress"]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /no leaks found/);
    assert.equal(
      leakstop(["scan", testsOnly, "--no-progress"]).code,
      1,
      "reported by default: a key in a test is a key",
    );
  });

  it("[scan] report in .leakstop.toml picks kinds; --min-kind wins; a bad kind is a one-line error", () => {
    const cfg = join(root, "kinds.toml");
    writeFileSync(cfg, '[scan]\nreport = ["test"]\n');
    const r = leakstop(["scan", root, "--config", cfg, "--format", "json", "--no-progress"]);
    assert.equal(r.code, 1, r.stderr);
    const kinds = JSON.parse(r.stdout).map((f: Json) => f.fileKind);
    assert.deepEqual(kinds, ["test", "test"]);
    const flag = leakstop(["scan", root, "--config", cfg, "--min-kind", "code", "--format", "json"]);
    assert.deepEqual(
      JSON.parse(flag.stdout).map((f: Json) => f.fileKind),
      ["code"],
    );
    const bad = leakstop(["scan", root, "--min-kind", "tests"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^leakstop: .*--min-kind must be one of code, config, test/);
    assert.equal(bad.stderr.trim().split("\n").length, 1);
  });

  it("stdin: the kind follows --stdin-name, and a test framework's import at the start says test", () => {
    const token = crcToken("ghp_");
    const named = leakstop(["scan", "--stdin", "--stdin-name", "pkg/auth_test.go", "--format", "json"], {
      input: `var tok = "${token}"\n`,
    });
    assert.equal(named.code, 1, named.stderr);
    assert.equal(JSON.parse(named.stdout)[0].fileKind, "test");
    const sniffed = leakstop(["scan", "--stdin", "--stdin-name", "check.ts", "--format", "json"], {
      input: `import { test } from "node:test";\nconst tok = "${token}";\n`,
    });
    assert.equal(JSON.parse(sniffed.stdout)[0].fileKind, "test");
  });
});
