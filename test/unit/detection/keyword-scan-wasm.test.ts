/**
 * The WebAssembly keyword search finds exactly the keywords a plain case-insensitive search finds,
 * for any ASCII keyword list (two-byte keywords, keywords sharing their first bytes, a keyword at
 * the very end of the text) and any bytes, and forgets its hits between texts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { WasmKeywordIndex } from "../../../src/detection/keyword-scan-wasm.js";

/** What the index must answer: keywords found in the ASCII-lower-cased bytes. */
function naive(keywords: string[], data: Buffer): number[] {
  const lower = Buffer.from(data.map((b) => (b >= 65 && b <= 90 ? b + 32 : b)));
  return keywords.flatMap((k, i) => (lower.includes(Buffer.from(k, "latin1")) ? [i] : []));
}

describe("WebAssembly keyword search", () => {
  it("agrees with a plain search on random keywords and texts", () => {
    const letter = fc.constantFrom(..."abcxyz_-.:09 ");
    const keyword = fc.array(letter, { minLength: 2, maxLength: 6 }).map((a) => a.join(""));
    fc.assert(
      fc.property(
        fc.uniqueArray(keyword, { minLength: 1, maxLength: 30 }),
        fc.array(
          fc.oneof(
            fc.constantFrom(..."abcXYZ_-.:09 \u00e9"),
            fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)),
          ),
          { maxLength: 60 },
        ),
        (keywords, chars) => {
          const index = new WasmKeywordIndex(keywords);
          const data = Buffer.from(chars.join(""), "latin1");
          assert.deepEqual(index.match(data), naive(keywords, data));
          assert.deepEqual(index.match(Buffer.alloc(0)), []);
          assert.deepEqual(index.match(data), naive(keywords, data));
        },
      ),
    );
  });

  it("finds a keyword at the start and at the very end, and one of two bytes alone", () => {
    const index = new WasmKeywordIndex(["ab", "token", "tok", "xoxb-"]);
    assert.deepEqual(index.match(Buffer.from("AB")), [0]);
    assert.deepEqual(index.match(Buffer.from("my TOKEN")), [1, 2]);
    assert.deepEqual(index.match(Buffer.from("xoxb")), []);
    assert.deepEqual(index.match(Buffer.from("XOXB-1 ab")), [0, 3]);
    assert.deepEqual(index.match(Buffer.alloc(300 * 1024, "tok ")), [2]);
  });

  it("takes only ASCII keywords without upper case, of two bytes or more", () => {
    assert.equal(WasmKeywordIndex.fits(["ab", "token"]), true);
    assert.equal(WasmKeywordIndex.fits(["a"]), false);
    assert.equal(WasmKeywordIndex.fits(["Token"]), false);
    assert.equal(WasmKeywordIndex.fits(["caf\u00e9"]), false);
  });
});
