/** The git-repo test helper builds what other tests rely on: authors, dates, merges, renames, tags, shallow clones. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GitRepo } from "../../helpers/git-repo.js";

describe("GitRepo helper", () => {
  it("commits with author and date, renames, deletes, branches, tags and resolves a merge conflict", () => {
    const repo = GitRepo.init();
    const c1 = repo.commit("one", {
      files: { "a.txt": "base\n", "b.txt": "b\n" },
      author: { name: "Grace", email: "grace@example.com" },
      date: "2020-02-03T04:05:06Z",
    });
    assert.equal(
      repo.git("log", "-1", "--format=%an <%ae> %aI", c1).trim(),
      "Grace <grace@example.com> 2020-02-03T04:05:06+00:00",
    );
    repo.branch("feature");
    repo.commit("feature edit", { files: { "a.txt": "feature\n" } });
    repo.checkout("main");
    repo.rename("b.txt", "docs/b.md");
    repo.commit("main edit", { files: { "a.txt": "main\n" } });
    const m = repo.merge("feature", { files: { "a.txt": "resolved\n" } });
    assert.equal(repo.git("show", `${m}:a.txt`), "resolved\n");
    assert.equal(repo.git("rev-list", "--parents", "-1", m).trim().split(" ").length, 3, "a two-parent merge");
    repo.commit("delete", { files: { "docs/b.md": null } });
    repo.tag("v1", { message: "release" });
    assert.equal(repo.git("cat-file", "-t", "v1").trim(), "tag");
    assert.equal(repo.git("ls-tree", "--name-only", "HEAD").trim(), "a.txt");
    const shallow = repo.cloneShallow(1);
    assert.equal(shallow.git("rev-parse", "--is-shallow-repository").trim(), "true");
    assert.equal(shallow.git("rev-list", "--count", "HEAD").trim(), "1");
  });
});
