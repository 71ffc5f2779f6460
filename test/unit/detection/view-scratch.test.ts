import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withPlainQuotes } from "../../../src/detection/escaped-quotes.js";
import { unescapeView } from "../../../src/detection/unescape-view.js";
import { ViewScratch } from "../../../src/detection/view-scratch.js";

describe("ViewScratch", () => {
  it("copies each text exactly, whatever size came before it, reusing its memory", () => {
    const slot = new ViewScratch();
    const big = Buffer.alloc(300 * 1024, 0x61);
    const small = Buffer.from("token=abc");
    const a = slot.copyOf(big);
    assert.deepEqual(a, big);
    const b = slot.copyOf(small);
    assert.equal(b.toString(), "token=abc");
    assert.equal(b.length, small.length);
    assert.equal(b.buffer, a.buffer, "the second copy lives in the first one's memory");
    const bigger = Buffer.alloc(600 * 1024, 0x62);
    assert.deepEqual(slot.copyOf(bigger), bigger);
  });

  it("leaves the views right text after text: each result is the view of its own text", () => {
    const texts = ['a=\\"one\\" b', 'x=\\"second-value\\" y=\\"z\\"', 'k=\\"3\\"'];
    const expected = texts.map((t) => withPlainQuotes(Buffer.from(t)).toString());
    assert.deepEqual(expected, ['a= "one"  b', 'x= "second-value"  y= "z" ', 'k= "3" ']);
    const escaped = ["p%3D1\\nq", "token%3D%22abc%22\\tend"];
    const views = escaped.map((t) => unescapeView(Buffer.from(t, "latin1")).toString("latin1"));
    for (const [i, t] of escaped.entries()) assert.equal(views[i]!.length, t.length);
    assert.equal(unescapeView(Buffer.from(escaped[0]!, "latin1")).toString("latin1"), views[0]);
  });
});
