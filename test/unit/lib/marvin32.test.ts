import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { marvin32 } from "../../../src/lib/marvin32.js";

// Published test vectors of the algorithm (seed, data → 32-bit hash).
describe("marvin32", () => {
  it("matches the published vectors for every tail length", () => {
    const enc = new TextEncoder();
    assert.equal(marvin32(enc.encode("abc"), 0xd53cd9cecd0893b7n), 0x6be02a86);
    assert.equal(marvin32(enc.encode("abcdefghijklmnopqrstuvwxyz"), 0xddddeeeeffff000n), 0xd34847dc);
    assert.equal(marvin32(new Uint8Array([]), 0x004fb61a001bdbccn), 0x302009bc);
    assert.equal(marvin32(new Uint8Array([175]), 0x004fb61a001bdbccn), 0x3592e206);
    assert.equal(marvin32(new Uint8Array([231, 15]), 0x004fb61a001bdbccn), 0xfdab5e04);
    assert.equal(marvin32(new Uint8Array([55, 244, 149]), 0x004fb61a001bdbccn), 0x6b3c8b90);
  });
});
