/** Reading git's unified diffs into "which lines of the new file does this add". */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DiffParser, type FileChange, parseDiff, unquoteGitPath } from "../../../../src/sources/git/diff-parse.js";
import { intersectRanges, touchesRanges } from "../../../../src/sources/git/line-ranges.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("parseDiff", () => {
  it("reads added line numbers from -U0 hunks, ignoring removed lines", () => {
    const diff = [
      "diff --git a/src/app.ts b/src/app.ts",
      `index ${A}..${B} 100644`,
      "--- a/src/app.ts",
      "+++ b/src/app.ts",
      "@@ -3 +3 @@ const x = 1;",
      "-old",
      "+new",
      "@@ -10,0 +11,2 @@",
      "+one",
      "+two",
      "@@ -20,2 +22,0 @@",
      "-gone",
      "-gone too",
      "@@ -30 +30 @@",
      "-no newline",
      "\\ No newline at end of file",
      "+with newline",
    ].join("\n");
    const [f] = parseDiff(diff);
    assert.equal(f?.path, "src/app.ts");
    assert.equal(f?.blob, B);
    assert.equal(f?.mode, "100644");
    assert.deepEqual(f?.added, [
      { start: 3, end: 3 },
      { start: 11, end: 12 },
      { start: 30, end: 30 },
    ]);
  });

  it("a last line that only gains or loses its newline is not counted as added", () => {
    const diff = [
      "diff --git a/a b/a",
      `index ${A}..${B} 100644`,
      "--- a/a",
      "+++ b/a",
      "@@ -2 +2,2 @@",
      "-T=secret",
      "\\ No newline at end of file",
      "+T=secret",
      "+U=new",
      "diff --git a/b b/b",
      `index ${A}..${B} 100644`,
      "--- a/b",
      "+++ b/b",
      "@@ -1,2 +1,2 @@",
      "-x\r",
      "-T=secret\r",
      "+y\r",
      "+T=secret",
      "\\ No newline at end of file",
      "diff --git a/c b/c",
      `index ${A}..${B} 100644`,
      "--- a/c",
      "+++ b/c",
      "@@ -1 +1 @@",
      "-T=old",
      "\\ No newline at end of file",
      "+T=new",
      "\\ No newline at end of file",
    ].join("\n");
    assert.deepEqual(
      parseDiff(diff).map((f) => [f.path, f.added]),
      [
        ["a", [{ start: 3, end: 3 }]],
        ["b", [{ start: 1, end: 1 }]],
        ["c", [{ start: 1, end: 1 }]],
      ],
    );
  });

  it("counts the `+` lines it is told to skip as parseDiff counts them read (skipAdded after addedRun)", () => {
    const diff = [
      "diff --git a/new.ts b/new.ts",
      "new file mode 100644",
      `index ${"0".repeat(40)}..${A}`,
      "--- /dev/null",
      "+++ b/new.ts",
      "@@ -0,0 +1,3 @@",
      "+one",
      "+two",
      "+ three",
      "diff --git a/x b/x",
      `index ${A}..${B}`,
      "--- a/x",
      "+++ b/x",
      "@@ -3,2 +3,4 @@",
      "-a",
      "-b",
      "+c",
      "+-d",
      "+ e",
      "+b",
      "\\ No newline at end of file",
      "@@ -9,0 +11 @@",
      "+g",
      "\\ No newline at end of file",
      "@@ -20,2 +24,4 @@",
      " h",
      "+i",
      " j",
      "+k",
      "diff --git a/y b/y",
      `index ${A}..${B}`,
      "--- a/y",
      "+++ b/y",
      "@@ -1 +0,0 @@",
      "-gone",
      "diff --git a/z b/z",
      `index ${A}..${B} 100644`,
      "--- a/z",
      "+++ b/z",
      "@@ -2 +2,2 @@",
      "-T=secret",
      "\\ No newline at end of file",
      "+T=secret",
      "+U=new",
    ];
    const skipped: FileChange[] = [];
    const p = new DiffParser((f) => skipped.push(f));
    let skip = 0;
    let unread = 0;
    for (const line of diff) {
      if (skip > 0) {
        assert.equal(line[0], "+", `skipped a line that is not added: ${line}`);
        skip--;
        unread++;
        continue;
      }
      p.line(line);
      skip = p.addedRun();
      p.skipAdded(skip);
    }
    p.end();
    // The new file's 3, the hunks that remove nothing (+g, +k); lines after a removed one are read.
    assert.equal(unread, 3 + 1 + 1);
    assert.deepEqual(skipped, parseDiff(diff.join("\n")));
    assert.deepEqual(skipped[0]?.added, [{ start: 1, end: 3 }]);
    assert.deepEqual(skipped[1]?.added, [
      { start: 3, end: 5 },
      { start: 11, end: 11 },
      { start: 25, end: 25 },
      { start: 27, end: 27 },
    ]);
    assert.deepEqual(skipped[3]?.added, [{ start: 3, end: 3 }]);
  });

  it("counts context lines when a diff has them", () => {
    const diff = [
      "diff --git a/x b/x",
      `index ${A}..${B}`,
      "--- a/x",
      "+++ b/x",
      "@@ -1,3 +1,4 @@",
      " a",
      "+b",
      " c",
      "+d",
      " e",
    ];
    assert.deepEqual(parseDiff(diff.join("\n"))[0]?.added, [
      { start: 2, end: 2 },
      { start: 4, end: 4 },
    ]);
  });

  it("a content line that looks like a header stays content", () => {
    const diff = [
      "diff --git a/x b/x",
      `index ${A}..${B}`,
      "--- a/x",
      "+++ b/x",
      "@@ -0,0 +1,2 @@",
      "++++ b/evil",
      "+diff --git a/y b/y",
    ];
    const files = parseDiff(diff.join("\n"));
    assert.equal(files.length, 1);
    assert.equal(files[0]?.path, "x");
    assert.deepEqual(files[0]?.added, [{ start: 1, end: 2 }]);
  });

  it("new, deleted, renamed, binary and mode-only files", () => {
    const diff = [
      "diff --git a/new.txt b/new.txt",
      "new file mode 100755",
      `index ${"0".repeat(40)}..${B}`,
      "--- /dev/null",
      "+++ b/new.txt",
      "@@ -0,0 +1 @@",
      "+x",
      "diff --git a/old.txt b/old.txt",
      "deleted file mode 100644",
      `index ${A}..${"0".repeat(40)}`,
      "--- a/old.txt",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-x",
      "diff --git a/from dir/a.txt b/to dir/b.txt",
      "similarity index 90%",
      "rename from from dir/a.txt",
      "rename to to dir/b.txt",
      `index ${A}..${B} 100644`,
      "--- a/from dir/a.txt",
      "+++ b/to dir/b.txt",
      "@@ -2 +2 @@",
      "-a",
      "+b",
      "diff --git a/pure rename.txt b/pure renamed.txt",
      "similarity index 100%",
      "rename from pure rename.txt",
      "rename to pure renamed.txt",
      "diff --git a/img.png b/img.png",
      `index ${A}..${B} 100644`,
      "Binary files a/img.png and b/img.png differ",
      "diff --git a/run.sh b/run.sh",
      "old mode 100644",
      "new mode 100755",
    ].join("\n");
    const byPath = new Map(parseDiff(diff).map((f) => [f.path, f]));
    assert.equal(byPath.get("new.txt")?.blob, B);
    assert.equal(byPath.get("new.txt")?.mode, "100755");
    assert.equal(byPath.get("old.txt")?.deleted, true);
    assert.equal(byPath.get("old.txt")?.blob, null);
    assert.equal(byPath.get("to dir/b.txt")?.oldPath, "from dir/a.txt");
    assert.deepEqual(byPath.get("to dir/b.txt")?.added, [{ start: 2, end: 2 }]);
    assert.deepEqual(byPath.get("pure renamed.txt")?.added, []);
    assert.equal(byPath.get("img.png")?.binary, true);
    assert.deepEqual(byPath.get("img.png")?.added, []);
    assert.equal(byPath.get("run.sh")?.mode, "100755");
  });

  it("quoted paths: octal UTF-8 bytes, tabs, quotes", () => {
    const diff = [
      'diff --git "a/caf\\303\\251\\tx.txt" "b/caf\\303\\251\\tx.txt"',
      `index ${A}..${B} 100644`,
      '--- "a/caf\\303\\251\\tx.txt"',
      '+++ "b/caf\\303\\251\\tx.txt"',
      "@@ -0,0 +1 @@",
      "+x",
    ].join("\n");
    assert.equal(parseDiff(diff)[0]?.path, "café\tx.txt");
    assert.equal(unquoteGitPath('"say \\"hi\\"\\\\"'), 'say "hi"\\');
    assert.equal(unquoteGitPath("plain name"), "plain name");
  });
});

describe("line ranges", () => {
  it("intersect: what a merge adds relative to every parent", () => {
    assert.deepEqual(
      intersectRanges(
        [
          { start: 1, end: 5 },
          { start: 10, end: 12 },
        ],
        [
          { start: 4, end: 11 },
          { start: 12, end: 20 },
        ],
      ),
      [
        { start: 4, end: 5 },
        { start: 10, end: 11 },
        { start: 12, end: 12 },
      ],
    );
    assert.deepEqual(intersectRanges([{ start: 1, end: 2 }], [{ start: 3, end: 4 }]), []);
  });

  it("touches: a multi-line secret counts when any of its lines was added", () => {
    const r = [
      { start: 3, end: 3 },
      { start: 8, end: 9 },
    ];
    assert.equal(touchesRanges(r, 3, 3), true);
    assert.equal(touchesRanges(r, 4, 7), false);
    assert.equal(touchesRanges(r, 5, 8), true);
    assert.equal(touchesRanges(r, 10, 12), false);
    assert.equal(touchesRanges([], 1, 1), false);
  });
});
