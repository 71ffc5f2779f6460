/**
 * A file name that is not UTF-8 keeps its stray bytes as U+DC80–U+DCFF (lib/file-name): each output
 * shows them escaped and tells them apart, and a real astral character is left alone.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileNameText, isUtf8Name } from "../../../src/lib/file-name.js";
import { escapeControlCharacters, pathToUriReference } from "../../../src/output/paths.js";

describe("file names that are not UTF-8", () => {
  const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x65, 0x6e, 0x76]); // "café.env" in Latin-1
  const astral = "\u{10080}"; // its UTF-16 low half is \udc80: not a stray byte
  it("maps each stray byte to its own code unit and leaves valid UTF-8 as it is", () => {
    assert.equal(isUtf8Name(latin1), false);
    assert.equal(fileNameText(latin1), "caf\udce9.env");
    assert.equal(fileNameText(Buffer.from([0xff, 0xfe])), "\udcff\udcfe");
    const mixed = Buffer.concat([Buffer.from(`é${astral}`), Buffer.from([0xc3])]); // a truncated sequence at the end
    assert.equal(fileNameText(mixed), `é${astral}\udcc3`);
    assert.equal(isUtf8Name(Buffer.from(`é${astral}`)), true);
  });
  it("shows a stray byte as \\udcNN in text and %NN in a URI, and a real astral character as itself", () => {
    assert.equal(escapeControlCharacters(`dir/caf\udce9.env ${astral}`), `dir/caf\\udce9.env ${astral}`);
    assert.equal(pathToUriReference(`dir/caf\udce9 x.env`), "dir/caf%E9%20x.env");
    assert.equal(pathToUriReference(`${astral}.env`), encodeURIComponent(`${astral}.env`));
  });
});
