import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { packedObjects, storedWithin } from "../../../../src/sources/git/pack-count.js";
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

describe("storedWithin", () => {
  /** git's own count of every object and of their kilobytes on disk, packed and loose. */
  function stored(repo: GitRepo): { objects: number; kib: number } {
    const out = repo.git("count-objects", "-v");
    const n = (key: string) => Number(out.match(new RegExp(`^${key}: (\\d+)$`, "m"))?.[1]);
    return { objects: n("count") + n("in-pack"), kib: n("size") + n("size-pack") };
  }

  it("counts packed and loose objects and their bytes, and stops at either limit", () => {
    const repo = GitRepo.init();
    repo.commit("one", { files: { "a.txt": "a\n", "b/c.txt": "c\n" } });
    repo.git("repack", "-a", "-d", "-q");
    repo.commit("two", { files: { "a.txt": "a2\n", "big.txt": randomBytes(30_000).toString("base64") } }); // loose
    const gitDir = join(repo.dir, ".git");
    const { objects, kib } = stored(repo);
    assert.ok(objects > 8 && kib > 0);
    const big = { objects: 1_000_000, bytes: 1 << 30 };
    assert.equal(storedWithin(gitDir, big), true);
    assert.equal(storedWithin(repo.dir, big), true, "a work tree's top reads as its .git");
    assert.equal(storedWithin(gitDir, { objects, bytes: big.bytes }), true);
    assert.equal(storedWithin(gitDir, { objects: objects - 1, bytes: big.bytes }), false, "one object too many");
    assert.equal(storedWithin(gitDir, { objects: big.objects, bytes: 1024 }), false, "too many bytes");
  });

  it("a store with alternates, or none at all, is never within", () => {
    const repo = GitRepo.init();
    repo.commit("one", { files: { "a.txt": "a\n" } });
    const gitDir = join(repo.dir, ".git");
    writeFileSync(join(gitDir, "objects", "info", "alternates"), "/elsewhere/objects\n");
    assert.equal(storedWithin(gitDir, { objects: 1e6, bytes: 1e9 }), false);
    assert.equal(storedWithin(join(repo.dir, "no-such-dir"), { objects: 1e6, bytes: 1e9 }), false);
  });
});
