/**
 * The pre-commit hook names its repository without `git rev-parse` only where git would say the
 * same (the top of a plain work tree), and leaves every other case to git.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { repoAtWorkTreeTop } from "../../../src/hook/hook-repo.js";
import { openRepo } from "../../../src/sources/git/run-git.js";
import { tempRepos } from "../../helpers/git-repo.js";

const repo = tempRepos();
const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe("repoAtWorkTreeTop", () => {
  it("at the top of a work tree: what git rev-parse says", async () => {
    const r = repo();
    const top = realpathSync(r.dir);
    assert.deepEqual(repoAtWorkTreeTop(top, {}), await openRepo(top));
  });

  it("a shallow clone is shallow", async () => {
    const r = repo();
    r.write({ "a.txt": "a\n" });
    r.commit("one");
    r.write({ "a.txt": "b\n" });
    r.commit("two");
    const clone = r.cloneShallow(1);
    made.push(clone.dir);
    const top = realpathSync(clone.dir);
    const known = repoAtWorkTreeTop(top, {});
    assert.equal(known?.shallow, true);
    assert.deepEqual(known, await openRepo(top));
  });

  it("asks git from a subfolder, outside a repository, or when the environment names another repository", () => {
    const r = repo();
    mkdirSync(join(r.dir, "sub"));
    assert.equal(repoAtWorkTreeTop(join(r.dir, "sub"), {}), null);
    const outside = mkdtempSync(join(tmpdir(), "leakstop-nogit-"));
    made.push(outside);
    assert.equal(repoAtWorkTreeTop(outside, {}), null);
    assert.equal(repoAtWorkTreeTop(r.dir, { GIT_DIR: join(r.dir, ".git") }), null);
    assert.equal(repoAtWorkTreeTop(r.dir, { GIT_WORK_TREE: r.dir }), null);
  });

  it("asks git when the config moves the work tree, makes the repository bare or includes another file", () => {
    for (const [key, value] of [
      ["core.worktree", "/elsewhere"],
      ["core.bare", "true"],
      ["include.path", "more.config"],
    ] as const) {
      const r = repo();
      assert.notEqual(repoAtWorkTreeTop(r.dir, {}), null);
      r.git("config", key, value);
      assert.equal(repoAtWorkTreeTop(r.dir, {}), null, key);
    }
  });

  it("asks git in a linked worktree (.git is a file)", () => {
    const r = repo();
    r.write({ "a.txt": "a\n" });
    r.commit("one");
    const wt = join(mkdtempSync(join(tmpdir(), "leakstop-wt-")), "wt");
    made.push(join(wt, ".."));
    r.git("worktree", "add", "-q", wt);
    assert.equal(repoAtWorkTreeTop(wt, {}), null);
  });
});
