import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lineBreaks, PositionMap } from "../../../src/detection/position.js";

describe("positions", () => {
  it("break lines at LF, CRLF (once) and a lone CR", () => {
    const data = Buffer.from("a\nb\r\nc\rd\r\re");
    assert.deepEqual(lineBreaks(data), [1, 4, 6, 8, 9]);
    const pos = new PositionMap(data);
    assert.deepEqual(pos.locate(data.indexOf("e")), { line: 6, column: 1 });
    assert.deepEqual(pos.locate(data.indexOf("d")), { line: 4, column: 1 });
    assert.equal(pos.lineText(data.indexOf("c")), "c");
    assert.equal(pos.spansLines(data.indexOf("c"), data.indexOf("d")), true);
  });

  it("gives the same column whether offsets on one line are located in order or not", () => {
    const data = Buffer.from(`${"é😀x".repeat(50)}\n${"ab".repeat(10)}`);
    const offsets = [0, 3, 7, 8, 100, 101, 250, 252, data.indexOf("ab") + 4];
    const inOrder = new PositionMap(data);
    const fresh = offsets.map((o) => new PositionMap(data).locate(o));
    assert.deepEqual(
      offsets.map((o) => inOrder.locate(o)),
      fresh,
    );
  });
});
