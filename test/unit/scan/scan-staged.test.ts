/** `scan --staged`: only what the index adds to HEAD, read from the index (not the working file). Real git repos. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { scanStaged, startStagedRead } from "../../../src/scan/scan-staged.js";
import { type GitRepo, git, tempRepos, USER_GIT_ENV } from "../../helpers/git-repo.js";
import { crcToken } from "../../helpers/secrets.js";

const ruleSet = buildRuleSet(null, []);
const repo = tempRepos();

const scan = (r: GitRepo, repoPath = r.dir) =>
  scanStaged(ruleSet, { repo: repoPath, showSecrets: true, maxFileSize: 0 });
const lines = (...xs: string[]) => `${xs.join("\n")}\n`;

describe("scanStaged", () => {
  it("works in a repository with no commit yet", async () => {
    const r = repo();
    const t = crcToken("ghp_");
    r.write({ "src/a.ts": lines("// a", `export const t = "${t}";`) });
    const res = await scan(r, join(r.dir, "src"));
    assert.equal(res.findings.length, 1);
    const f = res.findings[0]!;
    assert.deepEqual([f.match, f.path, f.startLine, f.startColumn, f.source], [t, "src/a.ts", 2, 19, "staged"]);
    assert.equal(f.commit, undefined);
    assert.equal(res.root, r.dir.replace(/\/$/, ""));
  });

  it("the hook's reader (git run to the end while waiting) finds what the streaming one does, also past its size limit", async () => {
    const r = repo();
    const old = crcToken("ghp_");
    r.commit("one", { files: { "a.env": lines(`OLD=${old}`, "X=1"), "b.txt": "keep\r\n", "gone.txt": "x\n" } });
    const big = `${"filler line\n".repeat(9000)}T=${crcToken("ghp_")}\n`;
    r.write({
      "a.env": lines(`OLD=${old}`, `NEW=${crcToken("ghp_")}`, "X=1"),
      "b.txt": `keep\r\nT=${crcToken("ghp_")}\r\n`,
      "new/c.ts": lines("// c", `const t = "${crcToken("ghp_")}";`),
      "big.txt": big,
      "bin.dat": Buffer.from([0, 1, 2, 0, 3]),
      "gone.txt": null,
    });
    const run = async (opts?: { now?: boolean; nowMax?: number }) => {
      const reader = opts ? startStagedRead(r.dir, opts) : undefined;
      const res = await scanStaged(ruleSet, { repo: r.dir, showSecrets: true, maxFileSize: 0, reader });
      return { findings: res.findings.map((f) => [f.path, f.startLine, f.startColumn, f.match]), stats: res.stats };
    };
    const streamed = await run();
    assert.equal(streamed.findings.length, 4);
    for (const opts of [{ now: true }, { now: true, nowMax: 100 }]) {
      const now = await run(opts);
      assert.deepEqual(now.findings, streamed.findings, JSON.stringify(opts));
      assert.deepEqual({ ...now.stats, ms: 0 }, { ...streamed.stats, ms: 0 });
    }
  });

  it("reports only lines the index adds to HEAD", async () => {
    const r = repo();
    const old = crcToken("ghp_");
    r.commit("one", { files: { "a.env": lines(`OLD=${old}`) } });
    const fresh = crcToken("ghp_");
    r.write({ "a.env": lines(`OLD=${old}`, "X=1", `NEW=${fresh}`) });
    const res = await scan(r);
    assert.deepEqual(
      res.findings.map((f) => [f.match, f.startLine]),
      [[fresh, 3]],
    );
  });

  it("a line appended after a last line with no newline: only the new line is reported", async () => {
    const r = repo();
    const old = crcToken("ghp_");
    r.commit("one", { files: { "a.env": `OLD=${old}` } });
    const fresh = crcToken("ghp_");
    r.write({ "a.env": lines(`OLD=${old}`, `NEW=${fresh}`) });
    const res = await scan(r);
    assert.deepEqual(
      res.findings.map((f) => [f.match, f.startLine]),
      [[fresh, 2]],
    );
  });

  it("concluding a merge: what the merged branch brought is not reported, the conflict resolution is", async () => {
    const r = repo();
    r.commit("base", { files: { "f.txt": lines("a", "b", "c") } });
    r.branch("other");
    const brought = crcToken("ghp_");
    r.commit("other", { files: { "other.env": lines(`T=${brought}`), "f.txt": lines("a", "other", "c") } });
    r.checkout("main");
    r.commit("main", { files: { "f.txt": lines("a", "main", "c") } });
    assert.throws(() => r.git("merge", "-q", "other")); // a conflict: the merge waits for its commit
    r.write({ "f.txt": lines("a", "resolved", "c") });
    assert.deepEqual((await scan(r)).findings, []);
    const resolution = crcToken("ghp_");
    r.write({ "f.txt": lines("a", `resolved ${resolution}`, "c") });
    assert.deepEqual(
      (await scan(r)).findings.map((f) => [f.path, f.startLine, f.match]),
      [["f.txt", 2, resolution]],
    );
    // The hook's reader (git run to the end while waiting) reads the merge alike.
    const now = await scanStaged(ruleSet, {
      repo: r.dir,
      showSecrets: true,
      maxFileSize: 0,
      reader: startStagedRead(r.dir, { now: true }),
    });
    assert.deepEqual(
      now.findings.map((f) => [f.path, f.startLine, f.match]),
      [["f.txt", 2, resolution]],
    );
    // The hook's reader started in a subfolder (`hook run` by hand) sees the merge in progress too.
    const sub = join(r.dir, "sub");
    mkdirSync(sub);
    for (const now of [true, false]) {
      const fromSub = await scanStaged(ruleSet, {
        repo: r.dir,
        showSecrets: true,
        maxFileSize: 0,
        reader: startStagedRead(sub, { now }),
      });
      assert.deepEqual(
        fromSub.findings.map((f) => [f.path, f.startLine, f.match]),
        [["f.txt", 2, resolution]],
      );
    }
    // In a linked worktree `.git` is a file: the merge in progress is still seen.
    const wt = `${r.dir}-wt`;
    r.git("worktree", "add", "-q", "-b", "wt", wt, "main");
    try {
      spawnSync("git", ["merge", "-q", "other"], { cwd: wt, env: { ...process.env, ...USER_GIT_ENV } });
      writeFileSync(join(wt, "f.txt"), lines("a", "resolved", "c"));
      git(wt, ["add", "f.txt"]);
      assert.deepEqual((await scan(r, wt)).findings, []);
    } finally {
      rmSync(wt, { recursive: true, force: true });
    }
  });

  it("a text file that .gitattributes marks -diff is still scanned (the hook would let it through)", async () => {
    const r = repo();
    r.commit("attributes", { files: { ".gitattributes": "*.min.js -diff\n" } });
    const t = crcToken("ghp_");
    r.write({ "app.min.js": `var t="${t}";\n` });
    assert.deepEqual(
      (await scan(r)).findings.map((f) => [f.path, f.startLine, f.match]),
      [["app.min.js", 1, t]],
    );
  });

  it("lone CR line breaks (classic Mac OS) count as lines, as in a tree scan", async () => {
    const r = repo();
    r.commit("one", { files: { "old.txt": "a\rb\r" } });
    const t = crcToken("ghp_");
    r.write({ "old.txt": `a\rb\rTOKEN=${t}\r`, "new.txt": `x\ry\rz\rTOKEN=${t}` });
    const res = await scan(r);
    assert.deepEqual(res.findings.map((f) => [f.path, f.startLine, f.startColumn]).sort(), [
      ["new.txt", 4, 7],
      ["old.txt", 3, 7],
    ]);
  });

  it("a CR-only file: only what the index adds, not the secrets already committed (git sees one line)", async () => {
    const r = repo();
    const [old, fresh] = [crcToken("ghp_"), crcToken("ghp_")];
    r.commit("one", { files: { "mac.txt": `a\rT=${old}\rb\r` } });
    r.write({ "mac.txt": `a\rT=${old}\rb\rN=${fresh}\r` });
    const res = await scan(r);
    assert.deepEqual(
      res.findings.map((f) => [f.path, f.startLine, f.match]),
      [["mac.txt", 4, fresh]],
    );
  });

  it("a partially staged file (git add -p) is scanned as staged, not as it sits in the working tree", async () => {
    const r = repo();
    const body = Array.from({ length: 20 }, (_, i) => `L${i}=x`);
    r.commit("one", { files: { "p.env": lines(...body) } });
    const staged = crcToken("ghp_");
    const unstaged = crcToken("ghp_");
    const next = [...body];
    next[1] = `A=${unstaged}`;
    next[15] = `B=${staged}`;
    writeFileSync(join(r.dir, "p.env"), lines(...next));
    // Two hunks: skip the first (unstaged token), stage the second.
    const add = spawnSync("git", ["add", "-p", "p.env"], { cwd: r.dir, input: "n\ny\n", encoding: "utf8" });
    assert.equal(add.status, 0, add.stderr);
    const res = await scan(r);
    assert.deepEqual(
      res.findings.map((f) => [f.match, f.startLine]),
      [[staged, 16]],
    );
  });

  it("nothing staged, deletions only, or a wrong checksum: no findings", async () => {
    const r = repo();
    const t = crcToken("ghp_");
    r.commit("one", { files: { "a.env": lines(`T=${t}`), "b.txt": "b\n" } });
    assert.deepEqual((await scan(r)).findings, []);
    r.write({ "a.env": null });
    assert.deepEqual((await scan(r)).findings, []);
    const bad = t.slice(0, -1) + (t.endsWith("A") ? "B" : "A");
    r.write({ "b.txt": lines("b", `T=${bad}`) });
    assert.deepEqual((await scan(r)).findings, []);
  });

  it("outside a work tree (a plain folder, or a bare repository): LS_GIT_NOT_A_REPO", async () => {
    const plain = mkdtempSync(join(tmpdir(), "leakstop-plain-"));
    await assert.rejects(scanStaged(ruleSet, { repo: plain, showSecrets: false, maxFileSize: 0 }), {
      code: "LS_GIT_NOT_A_REPO",
    });
    rmSync(plain, { recursive: true });
    const r = repo();
    await assert.rejects(scan(r, join(r.dir, ".git")), { code: "LS_GIT_NOT_A_REPO" });
  });
});
