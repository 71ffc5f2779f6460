import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { packedObjects } from "../../../../src/sources/git/pack-count.js";
import { GitRepo } from "../../../helpers/git-repo.js";

/** git's own count of packed objects. */
function inPack(repo: GitRepo): number {
  const line = repo.git("count-objects", "-v").match(/^in-pack: (\d+)$/m);
  return Number(line?.[1]);
}

describe("packedObjects", () => {
  it("counts the objects of every pack (index v2 and v1), not loose ones; 0 without packs or a folder", () => {
    const repo = GitRepo.init();
    repo.commit("one", { files: { "a.txt": "a\n", "b/c.txt": "c\n" } });
    const gitDir = join(repo.dir, ".git");
    assert.equal(packedObjects(gitDir), 0, "loose objects only");
    repo.git("repack", "-a", "-d", "-q");
    repo.commit("two", { files: { "a.txt": "a2\n" } });
    repo.git("repack", "-q"); // a second pack, of the new objects
    assert.equal(packedObjects(gitDir), inPack(repo));
    assert.ok(inPack(repo) > 5);
    repo.git("-c", "pack.indexVersion=1", "repack", "-a", "-d", "-q");
    assert.equal(packedObjects(gitDir), inPack(repo));
    assert.equal(packedObjects(join(repo.dir, "no-such-dir")), 0);
  });

  it("a linked work tree's git dir counts its common dir's packs", () => {
    const repo = GitRepo.init();
    repo.commit("one", { files: { "a.txt": "a\n" } });
    repo.git("repack", "-a", "-d", "-q");
    repo.git("worktree", "add", "-q", join(repo.dir, "wt"), "-b", "other");
    const wtGitDir = repo.git("-C", join(repo.dir, "wt"), "rev-parse", "--absolute-git-dir").trim();
    assert.notEqual(wtGitDir, join(repo.dir, ".git"));
    assert.equal(packedObjects(wtGitDir), inPack(repo));
  });
});
