/** cat-file: objects streamed from real git, in order, whole however the output is sliced. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BatchParser, CatFileBatch, listObjects, type ObjectHeader } from "../../../../src/sources/git/cat-file.js";
import { GitRepo } from "../../../helpers/git-repo.js";
import { objectCollector } from "../../../helpers/object-collector.js";

describe("BatchParser", () => {
  it("parses objects split at every possible byte", () => {
    const out = Buffer.from("aaaa blob 5\nhello\nbbbb missing\ncccc blob 0\n\ndddd blob 3\na\nb\n", "latin1");
    for (let cut = 0; cut <= out.length; cut++) {
      const c = objectCollector();
      const p = new BatchParser(c.visitor);
      p.push(out.subarray(0, cut));
      p.push(out.subarray(cut));
      assert.equal(p.count, 4);
      assert.deepEqual(
        c.objects.map((o) => [o.h.oid, o.h.type, o.h.size, o.data.toString()]),
        [
          ["aaaa", "blob", 5, "hello"],
          ["bbbb", "missing", 0, ""],
          ["cccc", "blob", 0, ""],
          ["dddd", "blob", 3, "a\nb"],
        ],
      );
    }
  });
});

describe("CatFileBatch", () => {
  const repo = GitRepo.init();
  const big = Buffer.alloc(3 * 1024 * 1024 + 17, "xyz\n");
  repo.commit("files", { files: { "small.txt": "token\n", "big.txt": big, "bin.dat": Buffer.from([0, 1, 2, 0]) } });
  const small = repo.blob("HEAD", "small.txt");
  const bigId = repo.blob("HEAD", "big.txt");
  const bin = repo.blob("HEAD", "bin.dat");

  it("streams requested objects in order, a big one in slices, and says which are missing", async () => {
    const cat = CatFileBatch.open(repo.dir);
    try {
      const c = objectCollector();
      let slices = 0;
      const counting = {
        ...c.visitor,
        data: (b: Buffer) => {
          slices++;
          c.visitor.data(b);
        },
      };
      await cat.read([bigId, small, "0".repeat(40), bin], counting);
      assert.deepEqual(
        c.objects.map((o) => [o.h.oid, o.h.type, o.h.size]),
        [
          [bigId, "blob", big.length],
          [small, "blob", 6],
          ["0".repeat(40), "missing", 0],
          [bin, "blob", 4],
        ],
      );
      assert.ok(c.objects[0]!.data.equals(big));
      assert.ok(slices > 3, "a 3 MB blob arrives in several slices, never required whole");
      assert.equal(c.objects[1]!.data.toString(), "token\n");
      // The same process serves the next request.
      const d = objectCollector();
      await cat.read([small], d.visitor);
      assert.equal(d.objects[0]!.data.toString(), "token\n");
    } finally {
      await cat.close();
    }
  });

  it("rejects after the process is gone", async () => {
    const cat = CatFileBatch.open(repo.dir);
    await cat.close();
    await assert.rejects(cat.read([small], objectCollector().visitor), { code: "LS_GIT_FAILED" });
  });
});

describe("listObjects", () => {
  it("lists every object with its type and size", async () => {
    const repo = GitRepo.init();
    repo.commit("one", { files: { "a.txt": "alpha\n", "d/b.txt": "beta!\n" } });
    const seen: ObjectHeader[] = [];
    await listObjects(repo.dir, (h) => seen.push(h));
    const types = seen.map((h) => h.type).sort();
    assert.deepEqual(types, ["blob", "blob", "commit", "tree", "tree"]);
    assert.ok(seen.some((h) => h.oid === repo.blob("HEAD", "a.txt") && h.size === 6));
  });
});
