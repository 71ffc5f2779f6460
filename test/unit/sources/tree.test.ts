import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { walkTree } from "../../../src/sources/tree.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "leakstop-tree-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const rels = (root: string, exclude: string[] = []) => walkTree(root, { exclude }).files.map((f) => f.rel);

describe("walkTree", () => {
  it("honours .gitignore at every level, with negation, and skips .git", () => {
    const root = tree({
      ".gitignore": "*.log\nbuild/\n",
      "a.txt": "a",
      "x.log": "x",
      "build/out.js": "b",
      "src/.gitignore": "gen/\n!keep.log\n",
      "src/keep.log": "k",
      "src/gen/g.ts": "g",
      "src/main.ts": "m",
      ".git/config": "[core]",
    });
    assert.deepEqual(rels(root), [".gitignore", "a.txt", "src/.gitignore", "src/keep.log", "src/main.ts"]);
  });

  it("applies config excludes and skips binary file types", () => {
    const root = tree({ "a.txt": "a", "fixtures/f.txt": "f", "logo.png": "png" });
    const r = walkTree(root, { exclude: ["fixtures/"] });
    assert.deepEqual(
      r.files.map((f) => f.rel),
      ["a.txt"],
    );
    assert.deepEqual(
      r.skipped.map((s) => `${s.rel}:${s.reason}`),
      ["logo.png:binary-type"],
    );
  });

  it("never follows symlinks, so nothing outside the root is read", () => {
    const outside = tree({ "secret.txt": "outside" });
    const root = tree({ "a.txt": "a" });
    symlinkSync(outside, join(root, "linked-dir"));
    symlinkSync(join(outside, "secret.txt"), join(root, "linked-file.txt"));
    assert.deepEqual(rels(root), ["a.txt"]);
  });

  it("scans a single file given as the root", () => {
    const root = tree({ "one.env": "A=1" });
    assert.deepEqual(rels(join(root, "one.env")), ["one.env"]);
  });

  it("fails with LS_PATH_NOT_FOUND for a missing path", () => {
    assert.throws(() => walkTree("/nonexistent/leakstop", { exclude: [] }), {
      code: "LS_PATH_NOT_FOUND",
    });
  });
});
