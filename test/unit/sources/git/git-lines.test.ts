/** forEachGitLine hands over the same lines as gitLines (long lines cut at MAX_LINE), and git's failures. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forEachGitLine, gitLines, MAX_LINE } from "../../../../src/sources/git/git-lines.js";
import { tempRepos } from "../../../helpers/git-repo.js";

const repo = tempRepos();

describe("forEachGitLine", () => {
  it("gives gitLines' lines: split across chunks, a line longer than MAX_LINE cut, no final newline", async () => {
    const r = repo();
    const long = "x".repeat(MAX_LINE + 300_000);
    const text = ["first", "", long, "é ü ☃", "y".repeat(70_000), "last without newline"].join("\n");
    r.commit("c", { files: { "f.txt": text } });
    const seen: string[] = [];
    await forEachGitLine(r.dir, ["show", "HEAD:f.txt"], (l) => seen.push(l));
    const viaGenerator: string[] = [];
    for await (const l of gitLines(r.dir, ["show", "HEAD:f.txt"])) viaGenerator.push(l);
    assert.deepEqual(seen, viaGenerator);
    assert.deepEqual(
      seen.map((l) => l.length),
      [5, 0, MAX_LINE, 5, 70_000, 20],
    );
  });

  it("skips the lines skipAfter asks for, unread, across chunks and past MAX_LINE", async () => {
    const r = repo();
    const long = "x".repeat(MAX_LINE + 300_000);
    const lines = ["2", "skip a", long, "keep", "1", "y".repeat(70_000), "end", "3", "a", "b"];
    r.commit("c", { files: { "f.txt": `${lines.join("\n")}\n` } });
    const seen: string[] = [];
    const skips: Record<string, number> = { "2": 2, "1": 1, "3": 5 };
    await forEachGitLine(
      r.dir,
      ["show", "HEAD:f.txt"],
      (l) => seen.push(l),
      () => skips[seen[seen.length - 1]!] ?? 0,
    );
    assert.deepEqual(seen, ["2", "keep", "1", "end", "3"]);
  });

  it("rejects with git's one-line error, and with the callback's", async () => {
    const r = repo();
    r.commit("c", { files: { "f.txt": "a\nb\n" } });
    await assert.rejects(
      forEachGitLine(r.dir, ["show", "nosuchrev:f.txt"], () => {}),
      (e: { code?: string }) => e.code === "LS_GIT_BAD_REVISION" || e.code === "LS_GIT_FAILED",
    );
    await assert.rejects(
      forEachGitLine(r.dir, ["show", "HEAD:f.txt"], () => {
        throw new Error("parser refused");
      }),
      /parser refused/,
    );
  });
});
