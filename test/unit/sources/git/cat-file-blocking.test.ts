/** The blocking cat-file reader: the same objects as the streaming one, across many requests, and git's failures as errors (never a hang). */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BlockingCatFile, openCatFile } from "../../../../src/sources/git/cat-file-blocking.js";
import { GitRepo } from "../../../helpers/git-repo.js";
import { objectCollector } from "../../../helpers/object-collector.js";

describe("BlockingCatFile", () => {
  const repo = GitRepo.init();
  const big = Buffer.alloc(3 * 1024 * 1024 + 17, "xyz\n");
  const files: Record<string, string | Buffer> = { "big.txt": big };
  for (let i = 0; i < 40; i++) files[`f${i}.txt`] = `file ${i}\n`.repeat(i + 1);
  repo.commit("files", { files });
  const bigId = repo.blob("HEAD", "big.txt");
  const ids = Array.from({ length: 40 }, (_, i) => repo.blob("HEAD", `f${i}.txt`));

  it("streams requested objects in order, more than one part's worth, a big one among them, and says which are missing", async () => {
    const cat = BlockingCatFile.open(repo.dir);
    assert.ok(cat, "a FIFO can be made here");
    try {
      // 1,300 requests: written in parts, each part's answers read before the next is written.
      const oids = Array.from({ length: 1300 }, (_, k) =>
        k === 700 ? bigId : k === 701 ? "0".repeat(40) : ids[k % 40]!,
      );
      const c = objectCollector();
      await cat.read(oids, c.visitor);
      assert.equal(c.objects.length, oids.length);
      c.objects.forEach((o, k) => {
        if (k === 700) assert.ok(o.data.equals(big));
        else if (k === 701) assert.deepEqual([o.h.type, o.h.size], ["missing", 0]);
        else assert.equal(o.data.toString(), `file ${k % 40}\n`.repeat((k % 40) + 1));
      });
      // The same process serves the next request.
      const d = objectCollector();
      await cat.read([ids[3]!], d.visitor);
      assert.equal(d.objects[0]!.data.toString(), "file 3\n".repeat(4));
    } finally {
      await cat.close();
    }
    await assert.rejects(cat.read([ids[0]!], objectCollector().visitor), { code: "LS_GIT_FAILED" });
  });

  it("reports git's failure when git exits, instead of waiting for output that never comes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-not-repo-"));
    try {
      const cat = openCatFile(dir, { env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
      await assert.rejects(cat.read([ids[0]!], objectCollector().visitor), { code: "LS_GIT_NOT_A_REPO" });
      await cat.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
