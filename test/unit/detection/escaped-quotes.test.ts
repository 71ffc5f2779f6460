import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withPlainQuotes } from "../../../src/detection/escaped-quotes.js";

const view = (text: string) => withPlainQuotes(Buffer.from(text)).toString();

describe("withPlainQuotes", () => {
  it("reads \\\" as a plain quote on the value's side, keeping every offset", () => {
    const text = 'password=\\"Zx8kq2Lm9v==\\" user=\\"bob\\";';
    const out = view(text);
    assert.equal(out, 'password= "Zx8kq2Lm9v=="  user= "bob" ;');
    assert.equal(out.length, text.length);
  });

  it("returns the very same buffer when there is nothing to change", () => {
    const data = Buffer.from('plain "text"');
    assert.equal(withPlainQuotes(data), data);
  });
});
