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

  it("reads a quote escaped at any depth (three backslashes) the same way, its backslashes blanked", () => {
    const text = String.raw`[\\\"auth\\\":\\\"Zx8kq2Lm9v==\\\"]`;
    const out = view(text);
    assert.equal(out, '[   "auth"   :   "Zx8kq2Lm9v=="   ]');
    assert.equal(out.length, text.length);
    // an even run is an escaped backslash, then the string's own quote: only its last backslash blanked
    assert.equal(view(String.raw`a\\"b`), String.raw`a\ "b`);
  });

  it("returns the very same buffer when there is nothing to change", () => {
    const data = Buffer.from('plain "text"');
    assert.equal(withPlainQuotes(data), data);
  });
});

describe("notebookView", () => {
  it("lets a PEM block written one JSON string per line be found, on its first line", async () => {
    const { detect, builtinEngine } = await import("../../helpers/engine.js");
    const { pemPrivateKey } = await import("../../helpers/secrets.js");
    const pem = pemPrivateKey().trimEnd().split("\n");
    const cell = pem.map((l, i) => `    "${l}\\n"${i < pem.length - 1 ? "," : ""}`).join("\n");
    const nb = `{\n "cells": [\n  {\n   "source": [\n${cell}\n   ]\n  }\n ]\n}\n`;
    const found = detect(builtinEngine(), nb, "keys.ipynb").filter((f) => f.ruleId.startsWith("private-key"));
    assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.ruleId)));
    assert.deepEqual([found[0]!.startLine, found[0]!.startColumn], [5, 6]);
    assert.equal(found[0]!.endLine, 4 + pem.length);
  });
});
