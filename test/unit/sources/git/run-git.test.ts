/** run-git: real git, failures mapped to one-line errors with stable codes. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { openRepo, runGit, runGitSync, spawnGit } from "../../../../src/sources/git/run-git.js";
import { GitRepo } from "../../../helpers/git-repo.js";

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: string; message: string };
    assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
    return e.code;
  }
  return "no error";
}

describe("runGit", () => {
  const repo = GitRepo.init();
  const c1 = repo.commit("first", { files: { "a.txt": "hello\n" } });

  it("returns stdout of a git command", async () => {
    assert.equal((await runGit(repo.dir, ["rev-parse", "HEAD"])).trim(), c1);
    assert.equal(runGitSync(repo.dir, ["rev-parse", "HEAD"]).trim(), c1);
  });

  it("passes input on stdin", async () => {
    const out = await runGit(repo.dir, ["cat-file", "--batch-check"], { input: `${c1}\n` });
    assert.match(out, new RegExp(`^${c1} commit \\d+`));
  });

  it("maps an unknown revision to LS_GIT_BAD_REVISION", async () => {
    assert.equal(await codeOf(runGit(repo.dir, ["rev-list", "nope..main"])), "LS_GIT_BAD_REVISION");
    assert.equal(await codeOf(runGit(repo.dir, ["log", "no-such-branch"])), "LS_GIT_BAD_REVISION");
    assert.throws(() => runGitSync(repo.dir, ["rev-parse", "--verify", "nope^{commit}"]), { code: "LS_GIT_FAILED" });
  });

  it("maps a folder outside any repository to LS_GIT_NOT_A_REPO", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-nogit-"));
    assert.equal(
      await codeOf(runGit(dir, ["rev-parse", "HEAD"], { env: { GIT_CEILING_DIRECTORIES: tmpdir() } })),
      "LS_GIT_NOT_A_REPO",
    );
  });

  it("maps a missing folder to LS_PATH_NOT_FOUND and a missing git to LS_GIT_NOT_INSTALLED", async () => {
    assert.equal(await codeOf(runGit("/no/such/dir", ["status"])), "LS_PATH_NOT_FOUND");
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      assert.equal(await codeOf(runGit(repo.dir, ["status"])), "LS_GIT_NOT_INSTALLED");
    } finally {
      process.env.PATH = saved;
    }
  });

  it("maps a broken repository (a tree object gone) to LS_GIT_FAILED", async () => {
    const broken = GitRepo.init();
    broken.commit("x", { files: { "a.txt": "a" } });
    const tree = broken.git("rev-parse", "HEAD^{tree}").trim();
    rmSync(join(broken.dir, ".git", "objects", tree.slice(0, 2)), { recursive: true });
    await assert.rejects(runGit(broken.dir, ["rev-list", "--objects", "--all"]), (err: Error & { code: string }) => {
      assert.equal(err.code, "LS_GIT_FAILED");
      assert.match(err.message, new RegExp(`^git rev-list failed in .*: bad tree object ${tree}$`));
      return true;
    });
  });

  it("streams a process and reports its failure through done", async () => {
    const ok = spawnGit(repo.dir, ["log", "--format=%H"]);
    let out = "";
    ok.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    ok.stdin.end();
    await ok.done;
    assert.equal(out.trim(), c1);
    const bad = spawnGit(repo.dir, ["log", "nope"]);
    bad.stdout.resume();
    bad.stdin.end();
    assert.equal(await codeOf(bad.done), "LS_GIT_BAD_REVISION");
  });

  it("passes settings to that process only, and names the command (not a setting) when it fails", async () => {
    const set = spawnGit(repo.dir, ["config", "--get", "core.deltaBaseCacheLimit"], {
      config: { "core.deltaBaseCacheLimit": "16m" },
    });
    let out = "";
    set.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    set.stdin.end();
    await set.done;
    assert.equal(out.trim(), "16m");
    assert.equal(runGitSync(repo.dir, ["config", "--get", "core.deltaBaseCacheLimit"], { okCodes: [1] }), "");
    const bad = spawnGit(repo.dir, ["frobnicate"], { config: { "core.deltaBaseCacheLimit": "16m" } });
    bad.stdout.resume();
    bad.stdin.end();
    await assert.rejects(bad.done, (err: Error) => err.message.startsWith("git frobnicate failed"));
  });
});

describe("openRepo", () => {
  it("describes a work tree, its .git folder, a bare clone and a shallow clone", async () => {
    const repo = GitRepo.init();
    repo.commit("one", { files: { "a.txt": "1" } });
    repo.commit("two", { files: { "a.txt": "2" } });
    const tree = await openRepo(repo.dir);
    assert.equal(tree.gitDir, join(repo.dir, ".git"));
    assert.equal(tree.workTree, repo.dir);
    assert.equal(tree.shallow, false);
    assert.equal((await openRepo(join(repo.dir, ".git"))).workTree, null);
    const bare = repo.cloneBare();
    assert.deepEqual(await openRepo(bare), { gitDir: bare, workTree: null, shallow: false });
    assert.equal((await openRepo(repo.cloneShallow(1).dir)).shallow, true);
  });

  it("refuses a plain folder and a missing path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-nogit-"));
    process.env.GIT_CEILING_DIRECTORIES = tmpdir();
    try {
      assert.equal(await codeOf(openRepo(dir)), "LS_GIT_NOT_A_REPO");
    } finally {
      delete process.env.GIT_CEILING_DIRECTORIES;
    }
    assert.equal(await codeOf(openRepo(join(dir, "missing"))), "LS_PATH_NOT_FOUND");
  });
});
