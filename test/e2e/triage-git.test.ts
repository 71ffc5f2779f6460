/**
 * Triage on git sources, as a user meets it: findings of --history, --range and --staged say the
 * kind of file the secret sits in, the pre-commit hook blocks only on the kinds asked for
 * (--min-kind, LEAKSTOP_MIN_KIND, [hook] minKind), and so does the Action (input min-kind).
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tempRepos } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { cloneOf } from "../unit/action/git-fixture.js";
import { runAction } from "./action.js";
import { leakstop } from "./cli.js";

// biome-ignore lint/suspicious/noExplicitAny: parsed report JSON, checked field by field
type Json = Record<string, any>;

const repo = tempRepos();

/** One key in code, a test, docs and config, as a commit adds them. */
function keyFiles(token: string): Record<string, string> {
  return {
    "src/app.ts": `export const token = "${token}";\n`,
    "test/app.test.ts": `const token = "${token}";\n`,
    "docs/setup.md": `export GITHUB_TOKEN=${token}\n`,
    "config/settings.yml": `github:\n  token: ${token}\n`,
  };
}

const EXPECTED = [
  ["src/app.ts", "code"],
  ["config/settings.yml", "config"],
  ["test/app.test.ts", "test"],
  ["docs/setup.md", "docs"],
];

const kinds = (stdout: string) => (JSON.parse(stdout) as Json[]).map((f) => [f.path, f.fileKind]);

describe("git sources carry each finding's file kind", () => {
  it("--history, --range and --staged", () => {
    const r = repo();
    const base = r.commit("start", { files: { "README.md": "# shop\n" } });
    const head = r.commit("add the key everywhere", { files: keyFiles(crcToken("ghp_")) });

    const history = leakstop(["scan", r.dir, "--history", "--format", "json", "--no-progress"]);
    assert.equal(history.code, 1, history.stderr);
    assert.deepEqual(kinds(history.stdout), EXPECTED);

    const range = leakstop(["scan", r.dir, "--range", `${base}..${head}`, "--format", "json", "--no-progress"]);
    assert.equal(range.code, 1, range.stderr);
    assert.deepEqual(kinds(range.stdout), EXPECTED);

    r.write(keyFiles(crcToken("ghp_")));
    const staged = leakstop(["scan", r.dir, "--staged", "--format", "json", "--no-progress"]);
    assert.equal(staged.code, 1, staged.stderr);
    assert.deepEqual(kinds(staged.stdout), EXPECTED);
  });
});

describe("hook run: --min-kind, LEAKSTOP_MIN_KIND, [hook] minKind", () => {
  it("blocks on every kind by default, only on the kinds asked for otherwise", () => {
    const r = repo();
    r.commit("start", { files: { "README.md": "# shop\n" } });
    r.write({ "test/app.test.ts": `const token = "${crcToken("ghp_")}";\n` });
    const hook = (args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
      leakstop(["hook", "run", ...args], { cwd: r.dir, env });

    assert.equal(hook().code, 1, "a key in a test is still a key");
    assert.equal(hook(["--min-kind", "config"]).code, 0);
    assert.equal(hook([], { LEAKSTOP_MIN_KIND: "config" }).code, 0);
    writeFileSync(join(r.dir, ".leakstop.toml"), '[hook]\nminKind = "config"\n');
    assert.equal(hook().code, 0, "[hook] minKind");
    assert.equal(hook(["--min-kind", "test"]).code, 1, "the flag wins over the config file");

    r.write({ "src/app.ts": `export const token = "${crcToken("ghp_")}";\n` });
    const blocked = hook();
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /src\/app\.ts/);
    assert.doesNotMatch(blocked.stderr, /test\/app\.test\.ts/, "only the kinds asked for are listed");
  });

  it("a bad kind is a one-line error, from the flag or the config file", () => {
    const r = repo();
    r.commit("start", { files: { "README.md": "# shop\n" } });
    const bad = leakstop(["hook", "run", "--min-kind", "tests"], { cwd: r.dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^leakstop: .*--min-kind must be one of code, config, test/);
    assert.equal(bad.stderr.trim().split("\n").length, 1);
    writeFileSync(join(r.dir, ".leakstop.toml"), '[hook]\nminKind = "everything"\n');
    const cfg = leakstop(["hook", "run"], { cwd: r.dir });
    assert.equal(cfg.code, 2);
    assert.match(cfg.stderr, /hook\.minKind must be one of code, config/);
    assert.equal(cfg.stderr.trim().split("\n").length, 1);
  });
});

describe("action: input min-kind", () => {
  const origin = repo();
  const start = origin.commit("start", { files: { "README.md": "# shop\n" } });
  const testOnly = origin.commit("a key in a test", {
    files: { "test/app.test.ts": `const token = "${crcToken("ghp_")}";\n` },
  });
  const checkout = cloneOf(origin);
  const push = { ref: "refs/heads/main", before: start, after: testOnly, repository: { default_branch: "main" } };

  it("reports and fails on every kind by default, only on the kinds asked for with min-kind", () => {
    const all = runAction(checkout, "push", push);
    assert.equal(all.code, 1, all.stdout);
    assert.equal(all.outputs.findings, "1");
    const config = runAction(checkout, "push", push, { "INPUT_MIN-KIND": "config" });
    assert.equal(config.code, 0, config.stdout);
    assert.equal(config.outputs.findings, "0");
  });

  it("a bad kind fails the step with one line naming the input", () => {
    const bad = runAction(checkout, "push", push, { "INPUT_MIN-KIND": "tests" });
    assert.equal(bad.code, 2);
    assert.match(bad.stdout + bad.stderr, /input min-kind must be one of code, config, test/);
  });
});
