/**
 * loose-objects: the hook reads the blobs `git add` wrote from .git/objects instead of starting
 * `git cat-file`. It must give exactly git's bytes, and give up (so that git answers) on anything
 * it cannot read whole: a packed object, a missing one, another type, a damaged file, the budget.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CatFileBatch } from "../../../../src/sources/git/cat-file.js";
import { visitLooseBlobs } from "../../../../src/sources/git/loose-objects.js";
import { GitRepo } from "../../../helpers/git-repo.js";
import { objectCollector } from "../../../helpers/object-collector.js";

async function viaGit(dir: string, oids: string[]) {
  const c = objectCollector();
  const cat = CatFileBatch.open(dir);
  try {
    await cat.read(oids, c.visitor);
  } finally {
    await cat.close();
  }
  return c.objects.map((o) => [o.h.oid, o.h.type, o.h.size, o.data.toString("latin1")]);
}

function viaLoose(dir: string, oids: string[], max = 1 << 20) {
  const c = objectCollector();
  const ok = visitLooseBlobs(join(dir, ".git", "objects"), oids, max, c.visitor);
  return { ok, objects: c.objects.map((o) => [o.h.oid, o.h.type, o.h.size, o.data.toString("latin1")]) };
}

describe("visitLooseBlobs", () => {
  const repo = GitRepo.init();
  const files = {
    "a.ts": 'export const api_token = "x";\n',
    "empty.txt": "",
    "bin.dat": Buffer.from([0, 1, 2, 255, 0, 10]),
    "crlf.txt": "a\r\nb\r\n",
  };
  repo.write(files);
  const oids = Object.keys(files).map((f) => repo.git("rev-parse", `:${f}`).trim());

  it("gives git's bytes for staged (loose) blobs, in request order, a repeated one too", async () => {
    const asked = [...oids, oids[0]!];
    const loose = viaLoose(repo.dir, asked);
    assert.equal(loose.ok, true);
    assert.deepEqual(loose.objects, await viaGit(repo.dir, asked));
  });

  it("gives up, visiting nothing, on a missing object, a tree, a bad id or over the budget", () => {
    const tree = repo.git("write-tree").trim();
    for (const asked of [[oids[0]!, "0".repeat(40)], [tree], ["../../config"], [oids[0]!.toUpperCase()]]) {
      const r = viaLoose(repo.dir, asked);
      assert.deepEqual(r, { ok: false, objects: [] }, asked.join(","));
    }
    assert.equal(viaLoose(repo.dir, [oids[0]!], 10).ok, false);
    assert.equal(viaLoose(repo.dir, [oids[0]!], 30).ok, true);
  });

  it("gives up on a damaged loose file and on packed objects", () => {
    const other = GitRepo.init();
    other.write({ "x.txt": "hello\n", "y.txt": "world\n" });
    const x = other.git("rev-parse", ":x.txt").trim();
    const y = other.git("rev-parse", ":y.txt").trim();
    const objects = join(other.dir, ".git", "objects");
    writeFileSync(join(objects, y.slice(0, 2), y.slice(2)), "not zlib");
    assert.equal(viaLoose(other.dir, [x, y]).ok, false);
    assert.equal(viaLoose(other.dir, [x]).ok, true);
    const packed = GitRepo.init();
    packed.commit("one", { files: { "x.txt": "hello\n" } });
    packed.git("gc", "-q", "--prune=now");
    assert.equal(viaLoose(packed.dir, [x]).ok, false);
  });
});
