/**
 * changedRanges: the parts of a new version to scan cover every byte it changes (and what lies
 * within `context` of it), and little else, on ordinary edits, moves, deletions and long lines.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changedRanges, commonPrefix, commonSuffix } from "../../../../src/sources/git/blob-delta.js";

/** A text of `n` distinct lines ("line 17 of the file, some words"). */
function lines(n: number, tag = "file"): string[] {
  return Array.from({ length: n }, (_, i) => `line ${i} of the ${tag}, some ordinary words here`);
}

const buf = (ls: string[]) => Buffer.from(`${ls.join("\n")}\n`);

/** True when [from, to) lies within one of the ranges. */
function covered(ranges: [number, number][], from: number, to: number): boolean {
  return ranges.some(([a, b]) => a <= from && to <= b);
}

const total = (ranges: [number, number][]) => ranges.reduce((n, [a, b]) => n + b - a, 0);

describe("changedRanges", () => {
  it("prefix and suffix compares agree with a byte loop", () => {
    for (const [a, b] of [
      ["", ""],
      ["abc", "abd"],
      ["x".repeat(5000), `${"x".repeat(4999)}y`],
      [`${"ab".repeat(70000)}c`, `${"ab".repeat(70000)}d`],
    ] as const) {
      const x = Buffer.from(a);
      const y = Buffer.from(b);
      let p = 0;
      while (p < x.length && p < y.length && x[p] === y[p]) p++;
      assert.equal(commonPrefix(x, y), p);
      let s = 0;
      while (s < x.length - p && s < y.length - p && x[x.length - 1 - s] === y[y.length - 1 - s]) s++;
      assert.equal(commonSuffix(x, y, Math.min(x.length, y.length) - p), s);
    }
  });

  it("an unchanged blob needs nothing; a one-line edit of a big file needs only its neighbourhood", () => {
    const old = lines(3000);
    assert.deepEqual(changedRanges(buf(old), buf(old), 2048), []);
    const edited = [...old];
    edited[1500] = "line 1500 now holds TOKEN=abc";
    const data = buf(edited);
    const r = changedRanges(buf(old), data, 2048)!;
    const at = data.indexOf("TOKEN=abc");
    assert.ok(covered(r, at - 2048, at + 2048), JSON.stringify(r));
    assert.ok(total(r) < 8 * 1024, `scans ${total(r)} of ${data.length} bytes`);
  });

  it("several edits far apart give several small ranges", () => {
    const old = lines(6000);
    const edited = [...old];
    for (const i of [10, 2000, 4000, 5990]) edited.splice(i, 0, `inserted at ${i}`);
    const data = buf(edited);
    const r = changedRanges(buf(old), data, 2048)!;
    for (const i of [10, 2000, 4000, 5990]) {
      const at = data.indexOf(`inserted at ${i}`);
      assert.ok(covered(r, at, at + 12), `insert ${i}`);
    }
    assert.ok(r.length >= 3 && total(r) < data.length / 4, JSON.stringify(r));
  });

  it("a line moved or copied from elsewhere counts as changed, and so does the seam of a deletion", () => {
    const old = lines(3000);
    const moved = [...old];
    moved.splice(2500, 0, old[100]!); // a copy of line 100, now after line 2499
    let data = buf(moved);
    let r = changedRanges(buf(old), data, 16)!;
    const at = data.indexOf(old[100]!, data.indexOf(old[2499]!));
    assert.ok(covered(r, at, at + old[100]!.length), "copied line");
    const cut = [...old.slice(0, 1200), ...old.slice(1300)];
    data = buf(cut);
    r = changedRanges(buf(old), data, 16)!;
    const seam = data.indexOf(old[1300]!);
    assert.ok(covered(r, seam - 1, seam + 1), "deletion seam");
  });

  it("a big deletion leaves only its seam, a big insertion only itself, and what lies between them is not rescanned", () => {
    const old = lines(4000);
    const edited = [...old.slice(0, 500), ...old.slice(1100, 3000), ...lines(400, "insert"), ...old.slice(3000)];
    const data = buf(edited);
    const r = changedRanges(buf(old), data, 256)!;
    const seam = data.indexOf(old[1100]!);
    assert.ok(covered(r, seam - 1, seam + 1), "deletion seam");
    const ins = data.indexOf("line 0 of the insert");
    const insEnd = data.indexOf(old[3000]!);
    assert.ok(covered(r, ins, insEnd), "insertion");
    // Between them, 1,900 unchanged lines (~95 KB) are not scanned.
    assert.ok(total(r) < insEnd - ins + 4 * 1024, `scans ${total(r)} bytes for a ${insEnd - ins}-byte insertion`);
    // Every stretch left out is a copy of a stretch of the old version.
    const base = buf(old);
    let from = 0;
    for (const [a, b] of [...r, [data.length, data.length]]) {
      assert.ok(base.includes(data.subarray(from, a)), `bytes ${from}-${a} are not in the old version`);
      from = b;
    }
  });

  it("a version changed all over is scanned whole (null), also where its first changes already cover most of it", () => {
    const old = lines(6000);
    for (const every of [2, 3, 5]) {
      // Scattered edits: too many for the walk's searches, so the unit cut decides (and stops early).
      const data = buf(old.map((l, i) => (i % every === 0 ? `changed ${i}` : l)));
      assert.equal(changedRanges(buf(old), data, 256), null, `every ${every}th line`);
    }
    // Changes in the first 80 % only: the cut stops before the end, the answer is the same.
    const front = buf(old.map((l, i) => (i < 4800 && i % 4 === 0 ? `changed ${i}` : l)));
    assert.equal(changedRanges(buf(old), front, 256), null);
    // The same edits in the first 40 %: most of the version is not rescanned.
    const half = buf(old.map((l, i) => (i < 2400 && i % 4 === 0 ? `changed ${i}` : l)));
    const r = changedRanges(buf(old), half, 256)!;
    assert.ok(r !== null && total(r) < half.length * 0.5, JSON.stringify(r?.length));
  });

  it("an edit inside a long minified line does not make the whole line new", () => {
    const words = Array.from({ length: 40000 }, (_, i) => `v${i}=f(${i * 7});`).join("");
    const old = Buffer.from(`${words}\n`);
    const mid = words.length >> 1;
    const data = Buffer.from(`${words.slice(0, mid)}TOKEN="x";${words.slice(mid)}\n`);
    const r = changedRanges(old, data, 2048)!;
    assert.ok(r !== null && covered(r, mid - 2048, mid + 2048), JSON.stringify(r));
    assert.ok(total(r) < 16 * 1024, `scans ${total(r)} of ${data.length}`);
  });

  it("a random edit's new bytes are always covered, with their context", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const old = lines(400 + rnd(2000), `r${round}`);
      const next = [...old];
      const edits = 1 + rnd(4);
      for (let e = 0; e < edits; e++) {
        const kind = rnd(3);
        const i = rnd(next.length);
        if (kind === 0) next.splice(i, 0, `NEW ${round}.${e}`);
        else if (kind === 1) next[i] = `NEW ${round}.${e}`;
        else next.splice(i, 1 + rnd(5));
      }
      const base = buf(old);
      const data = buf(next);
      const r = changedRanges(base, data, 512);
      if (r === null) continue; // scanned whole
      for (let at = data.indexOf("NEW "); at !== -1; at = data.indexOf("NEW ", at + 1)) {
        assert.ok(covered(r, Math.max(0, at - 512), Math.min(data.length, at + 520)), `round ${round}`);
      }
      let from = 0;
      for (const [a, b] of [...r, [data.length, data.length]]) {
        assert.ok(
          base.includes(data.subarray(from, a)),
          `round ${round}: bytes ${from}-${a} are not in the old version`,
        );
        from = b;
      }
    }
  });
});
