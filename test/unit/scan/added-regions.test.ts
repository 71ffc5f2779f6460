/** Scanning only the added lines' regions of a big blob finds exactly what a whole-blob scan finds on those lines. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectFragment } from "../../../src/detection/detect.js";
import type { Finding } from "../../../src/findings/finding.js";
import { addedRegions, CONTEXT } from "../../../src/scan/added-regions.js";
import { wholeFragment } from "../../../src/sources/fragment.js";
import { type LineRange, touchesRanges } from "../../../src/sources/git/line-ranges.js";
import { builtinEngine } from "../../helpers/engine.js";
import { crcToken, pemPrivateKey } from "../../helpers/secrets.js";

const origin = { path: "big.js", source: "range" as const };
const opts = { showSecrets: true };
const key = (f: Finding) => `${f.ruleId}@${f.startLine}:${f.startColumn}-${f.endLine}:${f.endColumn}=${f.match}`;

function compare(text: string, added: LineRange[], bom = false): Finding[] {
  const data = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, "utf8")]);
  const first = bom ? -1 : 0;
  const engine = builtinEngine();
  const whole = detectFragment(engine, { ...wholeFragment(data, origin), firstColumn: first }, opts).filter((f) =>
    touchesRanges(added, f.startLine, f.endLine),
  );
  const parts = addedRegions(data, added, origin, first).flatMap((frag) => detectFragment(engine, frag, opts));
  const inRegions = parts.filter((f) => touchesRanges(added, f.startLine, f.endLine));
  assert.deepEqual(inRegions.map(key).sort(), whole.map(key).sort());
  return inRegions;
}

describe("addedRegions", () => {
  it("a big file with secrets on added and unchanged lines, a long line, a PEM block and non-ASCII text", () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `const v${i} = "é${"x".repeat(i % 70)}";`);
    const lines = [
      ...filler(3000),
      `const unchanged = "${crcToken("ghp_")}";`,
      ...filler(2000),
      `${"ü".repeat(200_000)} token = "${crcToken("ghp_")}"`,
      ...filler(10),
      ...pemPrivateKey().trim().split("\n"),
      ...filler(5000),
      `const added = "${crcToken("ghp_")}";`,
      ...filler(10),
    ];
    const text = `${lines.join("\n")}\n`;
    assert.ok(Buffer.byteLength(text) > 4 * CONTEXT);
    const longLine = 3000 + 1 + 2000 + 1;
    const pemStart = longLine + 11;
    const addedLine = lines.findIndex((l) => l.startsWith("const added")) + 1;
    const found = compare(text, [
      { start: 5, end: 6 },
      { start: longLine, end: longLine },
      { start: pemStart + 2, end: pemStart + 3 },
      { start: addedLine, end: addedLine },
    ]);
    assert.deepEqual(
      found.map((f) => f.startLine).sort((a, b) => a - b),
      [longLine, pemStart, addedLine],
    );
  });

  it("columns stay right after a UTF-8 BOM, at the start of the text", () => {
    const text = `k = "${crcToken("ghp_")}"\n${"y = 1;\n".repeat(60_000)}`;
    const [f] = compare(text, [{ start: 1, end: 1 }], true);
    assert.equal(f?.startColumn, 6);
  });

  it("added lines past the end of the blob are ignored", () => {
    assert.deepEqual(addedRegions(Buffer.from("a\nb\n"), [{ start: 10, end: 12 }], origin, 0), []);
  });
});
