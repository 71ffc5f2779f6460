/** `leakstop scan --range` and `--staged` from the command line: exit codes, JSON fields, notes, errors. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tempRepos } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { leakstop } from "./cli.js";

const repo = tempRepos();

describe("scan --range", () => {
  it("exits 1 with the added secret's commit and line; 0 for a clean range", () => {
    const r = repo();
    const c1 = r.commit("one", { files: { "a.txt": "a\n" } });
    const token = crcToken("ghp_");
    const c2 = r.commit("two", { files: { "conf/app.env": `A=1\nGITHUB_TOKEN=${token}\n` } });
    const res = leakstop(["scan", r.dir, "--range", `${c1}..${c2}`, "--format", "json"]);
    assert.equal(res.code, 1, res.stderr);
    const [f, ...rest] = JSON.parse(res.stdout);
    assert.equal(rest.length, 0);
    assert.deepEqual(
      [f.path, f.startLine, f.startColumn, f.source, f.commit, f.author],
      ["conf/app.env", 2, 14, "range", c2, "Ada Lovelace"],
    );
    assert.ok(!res.stdout.includes(token), "redacted by default");
    const clean = leakstop(["scan", r.dir, "--range", `${c1}..${c1}`]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /no leaks found/);
  });

  it("a first push (zero id) prints a note on stderr", () => {
    const r = repo();
    r.commit("one", { files: { "a.env": `T=${crcToken("ghp_")}\n` } });
    const res = leakstop(["scan", r.dir, "--range", `${"0".repeat(40)}..main`]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^leakstop: note: new branch/m);
    assert.match(res.stdout, /a\.env:1:3 @[0-9a-f]{12}/);
  });

  it("bad ranges and mixed sources are one-line errors with exit 2", () => {
    const r = repo();
    r.commit("one", { files: { "a.txt": "a\n" } });
    for (const [args, message] of [
      [["--range", "HEAD..nope"], /unknown git revision|not a commit/],
      [["--range", "HEAD"], /--range wants A\.\.B/],
      [["--range", "HEAD..HEAD", "--staged"], /cannot be combined/],
      [["--staged", "--stdin"], /cannot be combined/],
    ] as const) {
      const res = leakstop(["scan", r.dir, ...args]);
      assert.equal(res.code, 2, `${args.join(" ")}: ${res.stderr}`);
      assert.match(res.stderr, message);
      assert.equal(res.stderr.trim().split("\n").length, 1);
    }
    const notRepo = leakstop(["scan", "/", "--staged"]);
    assert.equal(notRepo.code, 2);
    assert.match(notRepo.stderr, /^leakstop: not a git repository/);
  });
});

describe("scan --staged", () => {
  it("reports the staged line with source staged; --write-baseline then silences it", () => {
    const r = repo();
    r.write({ "x/k.env": `# k\nKEY=${crcToken("ghp_")}\n` });
    const res = leakstop(["scan", "--staged", "--format", "jsonl"], { cwd: r.dir });
    assert.equal(res.code, 1, res.stderr);
    const f = JSON.parse(res.stdout.trim());
    assert.deepEqual([f.path, f.startLine, f.source, f.commit], ["x/k.env", 2, "staged", undefined]);
    assert.equal(leakstop(["scan", "--staged", "--write-baseline", "b.json", "-q"], { cwd: r.dir }).code, 1);
    assert.equal(leakstop(["scan", "--staged", "--baseline", "b.json"], { cwd: r.dir }).code, 0);
  });
});
