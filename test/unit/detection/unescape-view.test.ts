import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unescapeView } from "../../../src/detection/unescape-view.js";

const view = (text: string) => unescapeView(Buffer.from(text, "latin1")).toString("latin1");

describe("unescapeView", () => {
  it("reads \\n, \\t, \\r inside strings as blanks, at the same length", () => {
    assert.equal(view('"A=1\\nKEY=v\\tx\\ry"'), '"A=1  KEY=v  x  y"');
  });

  it("reads %XX punctuation as blanks and the character; a closing quote sits against its name", () => {
    assert.equal(view("%22key%22%3A%22v%22"), '  "key"    :  "v"  ');
    assert.equal(view("a%3Fapi_key%3Dv%26b"), "a  ?api_key  =v  &b");
    assert.equal(view("x%20y"), "x   y");
  });

  it("leaves escapes that belong to a value alone", () => {
    // PEM armour, a string's closing \n, an escaped backslash.
    assert.equal(view('"-----BEGIN KEY-----\\nMIIE'), '"-----BEGIN KEY-----\\nMIIE');
    assert.equal(view('"abc\\n"'), '"abc\\n"');
    assert.equal(view("C:\\\\new"), "C:\\\\new");
    // %3D inside or at the end of a URL-encoded token (Twitter bearer tokens hold both).
    const token = "TOKEN=AAAA5EHd%2BDzs6E2hHdyZac9%3DIbv4yX9VOmnihY%3D%3D&x";
    assert.equal(view(token), token);
  });

  it("returns the same buffer when nothing needs unescaping", () => {
    const data = Buffer.from("KEY=value\n");
    assert.equal(unescapeView(data), data);
  });
});
