/** Git's line numbers (at `\n` only) translated into the engine's (also at a lone `\r`). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GitLineMap, hasLoneCr, type LineRange } from "../../../../src/sources/git/line-ranges.js";

function translate(text: string, ranges: LineRange[], cuts: number[] = []): LineRange[] {
  const data = Buffer.from(text, "latin1");
  const map = new GitLineMap(ranges);
  let at = 0;
  for (const cut of [...cuts, data.length]) {
    map.feed(data.subarray(at, cut));
    at = cut;
  }
  return map.engineRanges();
}

describe("GitLineMap", () => {
  it("leaves \\n and \\r\\n texts as they are", () => {
    assert.deepEqual(translate("a\nb\r\nc\nd", [{ start: 2, end: 3 }]), [{ start: 2, end: 3 }]);
  });

  it("a git line holding lone \\r breaks spans several engine lines; later lines move down", () => {
    // git lines: 1 "a", 2 "b\rc\rd", 3 "e"; engine lines: a, b, c, d, e
    assert.deepEqual(translate("a\nb\rc\rd\ne\n", [{ start: 2, end: 2 }]), [{ start: 2, end: 4 }]);
    assert.deepEqual(translate("a\nb\rc\rd\ne\n", [{ start: 3, end: 3 }]), [{ start: 5, end: 5 }]);
    // a CR-only file is one git line: all of it
    assert.deepEqual(translate("x\ry\rz", [{ start: 1, end: 1 }]), [{ start: 1, end: Number.MAX_SAFE_INTEGER - 1 }]);
  });

  it("gives the same answer however the text is cut into chunks (a \\r\\n split across two)", () => {
    const text = "a\r\nb\rc\r\r\nd\ne\rf\r";
    const ranges = [
      { start: 2, end: 2 },
      { start: 4, end: 5 },
    ];
    const whole = translate(text, ranges);
    assert.deepEqual(whole, [
      { start: 2, end: 4 },
      { start: 6, end: Number.MAX_SAFE_INTEGER - 1 },
    ]);
    for (let i = 0; i <= text.length; i++)
      for (let j = i; j <= text.length; j++) assert.deepEqual(translate(text, ranges, [i, j]), whole);
  });

  it("hasLoneCr tells a classic Mac break from a Windows one", () => {
    assert.equal(hasLoneCr(Buffer.from("a\r\nb\r\n")), false);
    assert.equal(hasLoneCr(Buffer.from("a\r\nb\rc")), true);
    assert.equal(hasLoneCr(Buffer.from("a\r")), true);
  });
});
