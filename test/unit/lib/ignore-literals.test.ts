import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ignore } from "../../../src/lib/gitignore.js";
import { IgnoreLiterals, requirementOf } from "../../../src/lib/ignore-literals.js";

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

const PATTERN_PIECES = [
  "a",
  "b",
  "A",
  "ab",
  ".o",
  "x.",
  "*",
  "**",
  "?",
  "/",
  "[ab]",
  "[!a]",
  "[a-c]",
  "\\*",
  "!",
  " ",
  "-",
  "+",
  "#",
  "é",
  "\t",
];
const PATH_PIECES = ["a", "b", "A", "B", "ab", "x", ".o", ".O", "o", "-", "+", "é", "K", " ", "#"];

function randomPattern(r: () => number): string {
  let p = "";
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) p += pick(r, PATTERN_PIECES);
  return p;
}

function randomPath(r: () => number): string {
  const parts: string[] = [];
  const depth = 1 + Math.floor(r() * 3);
  for (let d = 0; d < depth; d++) {
    let name = "";
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) name += pick(r, PATH_PIECES);
    parts.push(name);
  }
  return parts.join("/") + (r() < 0.3 ? "/" : "");
}

describe("IgnoreLiterals", () => {
  it("reads what a path must hold from common .gitignore shapes", () => {
    assert.deepEqual(requirementOf("/git-add"), { name: "git-add" });
    assert.deepEqual(requirementOf("Debug/"), { name: "debug" });
    assert.deepEqual(requirementOf("!keep.log"), { name: "keep.log" });
    assert.deepEqual(requirementOf("*.[aos]"), { suffixes: [".a", ".o", ".s"] });
    assert.deepEqual(requirementOf("*.EXE"), { suffixes: [".exe"] });
    assert.deepEqual(requirementOf("/UpgradeLog*.htm"), { contains: "upgradelog" });
    assert.equal(requirementOf("*"), null);
    assert.equal(requirementOf("\\#x"), null);
    assert.equal(requirementOf("caf\u00e9"), null);
  });

  it("says a path cannot match only when `ignore` finds no pattern matching it (random patterns and paths)", () => {
    const r = rng(20261207);
    let skipped = 0;
    for (let round = 0; round < 400; round++) {
      const lines = Array.from({ length: 1 + Math.floor(r() * 4) }, () => randomPattern(r));
      const text = lines.join(r() < 0.5 ? "\n" : "\r\n");
      const literals = new IgnoreLiterals().add(text);
      const rules = ignore().add(text);
      for (let i = 0; i < 25; i++) {
        const path = randomPath(r);
        if (literals.mayMatch(path)) continue;
        skipped++;
        const res = rules.test(path);
        assert.deepEqual(
          { ignored: res.ignored, unignored: res.unignored },
          { ignored: false, unignored: false },
          `${JSON.stringify(text)} on ${JSON.stringify(path)}`,
        );
      }
    }
    assert.ok(skipped > 1000, `the fast path was taken ${skipped} times`);
  });

  it("needs no regex for a path holding no pattern's name", () => {
    const literals = new IgnoreLiterals().add("/git-add\n*.[aos]\n*.exe\nDebug/\n/cscope*\n");
    assert.equal(literals.mayMatch("t/t1234-foo.sh"), false);
    assert.equal(literals.mayMatch("Documentation/git-add.adoc"), false);
    assert.equal(literals.mayMatch("git-add"), true);
    assert.equal(literals.mayMatch("x/DEBUG/y.c"), true);
    assert.equal(literals.mayMatch("lib/foo.O"), true);
    assert.equal(literals.mayMatch("cscope.out"), true);
    assert.equal(new IgnoreLiterals().add(["*"]).mayMatch("anything"), true);
  });
});
