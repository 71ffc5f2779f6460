/** The order history texts are scanned in: each blob version right after its base, chains as soon as their root is listed. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { baseOrder, scanOrder } from "../../../src/scan/history-order.js";
import { HistoryIndex, type Listed } from "../../../src/sources/git/history-log.js";

/** An index of blobs named by letters, with `bases` as blob → the blob it was scanned against. */
function indexOf(names: string, bases: Record<string, string>): { index: HistoryIndex; id: (n: string) => number } {
  const index = new HistoryIndex();
  for (const n of names) index.blobIndex(n.repeat(40));
  const id = (n: string) => index.blobIndex(n.repeat(40));
  for (const [blob, base] of Object.entries(bases)) index.baseOf.set(id(blob), id(base));
  return { index, id };
}

describe("baseOrder", () => {
  it("puts every version right after its base, oldest first, chains in listing order", () => {
    // Listed newest first: d → c → b → a is one file's chain, f → e another.
    const { index, id } = indexOf("dcfbae", { d: "c", c: "b", b: "a", f: "e" });
    const order = baseOrder(index, [..."dcfbae"].map(id));
    assert.deepEqual(
      order.map((b) => index.blobId(b)[0]),
      ["a", "b", "c", "d", "e", "f"],
    );
  });

  it("follows a version's successors on two branches depth first, and starts a chain where a base is not wanted", () => {
    // b and c are both built on a (two branches); d on c; y's base x was scanned already (not in the list).
    const { index, id } = indexOf("bdcayx", { b: "a", c: "a", d: "c", y: "x" });
    const order = baseOrder(index, [..."bdcay"].map(id));
    assert.deepEqual(
      order.map((b) => index.blobId(b)[0]),
      ["a", "b", "c", "d", "y"],
    );
  });

  it("scans a chain as soon as its root is listed, messages as listed, and chains without a root at the end", async () => {
    // Listed newest first: c1's message, d (base c), c (base b), m2, b (root), then z (base y, never listed).
    const { index, id } = indexOf("dcbzy", { d: "c", c: "b", z: "y" });
    index.commits.push("1".repeat(40), "2".repeat(40));
    const listed: Listed[] = [
      { kind: "message", commit: 0 },
      { kind: "blob", blob: id("d") },
      { kind: "blob", blob: id("z") },
      { kind: "blob", blob: id("c") },
      { kind: "message", commit: 1 },
      { kind: "blob", blob: id("b") },
    ];
    async function* listing(): AsyncGenerator<Listed> {
      for (const l of listed) yield l;
    }
    const order: string[] = [];
    for await (const item of scanOrder(listing(), index)) order.push(item.message ? `m${item.oid[0]}` : item.oid[0]!);
    assert.deepEqual(order, ["m1", "m2", "b", "c", "d", "z"]);
  });

  it("passes the listing's failure on", async () => {
    const { index } = indexOf("a", {});
    async function* listing(): AsyncGenerator<Listed> {
      yield { kind: "blob", blob: 0 };
      throw new Error("git log failed");
    }
    await assert.rejects(async () => {
      for await (const _ of scanOrder(listing(), index));
    }, /git log failed/);
  });
});
