import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forEachChunk } from "../../../src/sources/read-chunks.js";
import { demoEngine, readerOf, scanChunked } from "../../helpers/chunked.js";
import { detect } from "../../helpers/engine.js";

const engine = demoEngine;

function token(i: number): string {
  return `dmo_${String(i).padStart(3, "0")}Q3vX9kLp2Zt7Rw4Yb8Nc1`;
}

describe("chunked reading", () => {
  it("finds every secret exactly once at the same positions as a whole read, whatever the chunk borders", () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++)
      lines.push(`${"é".repeat(i % 7)} line ${i} ${i % 3 === 0 ? token(i) : "nothing here"} tail`);
    const text = lines.join("\n");
    const whole = detect(engine, text, "big.txt");
    assert.equal(whole.length, 20);
    for (const chunk of [64, 97, 128, 301]) {
      const chunked = scanChunked(Buffer.from(text), chunk, 48);
      assert.deepEqual(
        chunked.map((f) => [f.startLine, f.startColumn, f.endColumn, f.match]),
        whole.map((f) => [f.startLine, f.startColumn, f.endColumn, f.match]),
        `chunk size ${chunk}`,
      );
    }
  });

  it("counts classic Mac (CR) and Windows (CRLF) line endings as one break each, across chunk borders", () => {
    for (const eol of ["\r", "\r\n", "\n"]) {
      const lines: string[] = [];
      for (let i = 0; i < 60; i++) lines.push(`line ${i} ${i % 3 === 0 ? token(i) : "nothing here"} tail`);
      const text = lines.join(eol);
      const whole = detect(engine, text, "big.txt");
      assert.deepEqual(
        whole.slice(0, 2).map((f) => [f.startLine, f.startColumn]),
        [
          [1, 8],
          [4, 8],
        ],
        JSON.stringify(eol),
      );
      for (const chunk of [64, 97, 128]) {
        const chunked = scanChunked(Buffer.from(text), chunk, 48);
        assert.deepEqual(
          chunked.map((f) => [f.startLine, f.startColumn, f.endColumn]),
          whole.map((f) => [f.startLine, f.startColumn, f.endColumn]),
          `${JSON.stringify(eol)}, chunk size ${chunk}`,
        );
      }
    }
  });

  it("keeps columns right on one very long line split over many chunks", () => {
    const text = `${"x=1;".repeat(500)}${token(7)}${";y=2".repeat(300)}`;
    const [f] = scanChunked(Buffer.from(text), 100, 40);
    assert.equal(f?.startLine, 1);
    assert.equal(f?.startColumn, 2001);
  });

  it("reports binary input without scanning it", () => {
    const data = Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(token(1))]);
    let visited = 0;
    const text = forEachChunk(readerOf(data), { path: "bin", source: "tree" }, () => visited++);
    assert.equal(text, false);
    assert.equal(visited, 0);
  });
});
