/**
 * Columns are UTF-16 code units of the text as Node decodes it, whatever the bytes: a UTF-8 BOM
 * takes no column, invalid UTF-8 counts one U+FFFD per ill-formed subsequence, a chunk border
 * never splits a character, and UTF-16 files (with their BOM) are scanned as text.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { utf16Length } from "../../../src/detection/position.js";
import type { Finding } from "../../../src/findings/finding.js";
import { scanFile } from "../../../src/scan/scan-file.js";
import { decodeUtf16, utf16AsUtf8, utf16BomOf } from "../../../src/sources/read-chunks.js";
import { demoEngine, readerOf, scanChunked } from "../../helpers/chunked.js";

const engine = demoEngine;
const TOKEN = "dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6";
const chunked = (data: Buffer, chunk: number, overlap: number) => scanChunked(data, chunk, overlap, "f.txt");

function scanBytes(name: string, data: Buffer): Finding[] {
  const dir = mkdtempSync(join(tmpdir(), "leakstop-enc-"));
  writeFileSync(join(dir, name), data);
  const r = scanFile(
    engine,
    { abs: join(dir, name), rel: name },
    { path: name, source: "tree" },
    {
      showSecrets: true,
      maxFileSize: 0,
    },
  );
  assert.equal(r.skipped, undefined, `${name} was skipped as ${r.skipped}`);
  return r.findings;
}

const where = (fs: Finding[]) => fs.map((f) => [f.startLine, f.startColumn, f.endColumn]);

describe("utf16Length", () => {
  it("counts what Node's decoder yields, for any bytes (valid or not)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const b = Buffer.from(bytes);
        assert.equal(utf16Length(b, 0, b.length), b.toString("utf8").length);
      }),
      { numRuns: 3000 },
    );
  });

  it("counts 0xF5-0xFF, stray continuation bytes and truncated sequences as one unit each", () => {
    for (const bytes of [[0xff], [0xf8], [0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const b = Buffer.from(bytes);
      assert.equal(utf16Length(b, 0, b.length), b.toString("utf8").length, bytes.join(","));
    }
  });
});

describe("columns in unusual texts", () => {
  it("does not count a UTF-8 byte-order mark", () => {
    const data = Buffer.from(`\uFEFFK=${TOKEN}\n`, "utf8");
    assert.deepEqual(where(scanBytes("bom.txt", data)), [[1, 3, 31]]);
    assert.deepEqual(where(chunked(data, 16, 40)), [[1, 3, 31]]);
  });

  it("counts invalid UTF-8 before a secret as the decoder shows it", () => {
    const bad = Buffer.from([0x41, 0xff, 0xfe, 0x80, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98, 0x80]);
    const data = Buffer.concat([bad, Buffer.from(` ${TOKEN}\n`)]);
    assert.deepEqual(where(scanBytes("bad.txt", data)), [[1, 10, 38]]);
  });

  it("keeps columns exact when chunk borders fall inside multi-byte characters", () => {
    const text = `${"€😀é".repeat(40)} ${TOKEN} ${"ü".repeat(30)}\n${"😀".repeat(7)}${TOKEN}`;
    const expected = [
      [1, 40 * 4 + 2, 40 * 4 + 30],
      [2, 15, 43],
    ];
    for (let chunk = 40; chunk < 80; chunk++) assert.deepEqual(where(chunked(Buffer.from(text), chunk, 36)), expected);
  });
});

describe("UTF-16 files", () => {
  const text = `Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Acme]\r\n"Token"="${TOKEN}"\r\n`;

  it("recognises the byte-order marks (and not UTF-32's)", () => {
    assert.equal(utf16BomOf(Buffer.from([0xff, 0xfe, 0x41, 0x00])), "le");
    assert.equal(utf16BomOf(Buffer.from([0xfe, 0xff, 0x00, 0x41])), "be");
    assert.equal(utf16BomOf(Buffer.from([0xff, 0xfe, 0x00, 0x00])), null);
    assert.equal(utf16BomOf(Buffer.from("ab")), null);
  });

  it("finds a key in a UTF-16LE .reg export and a UTF-16BE script at their line and column", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    assert.deepEqual(where(scanBytes("x.reg", le)), [[4, 10, 38]]);
    const be = Buffer.from(le);
    be.swap16();
    assert.deepEqual(where(scanBytes("x.ps1", be)), [[4, 10, 38]]);
  });

  it("decodes a stream read in odd-sized pieces the same as the whole file", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`😀${text}é`.repeat(50), "utf16le")]);
    const whole = decodeUtf16(le, "le");
    const read = utf16AsUtf8(readerOf(le, 7), "le");
    const parts: Buffer[] = [];
    const buf = Buffer.alloc(13);
    for (let n = read(buf, 0, 13, 0); n > 0; n = read(buf, 0, 13, 0)) parts.push(Buffer.from(buf.subarray(0, n)));
    assert.deepEqual(Buffer.concat(parts), whole);
    assert.equal(whole.toString("utf8"), `😀${text}é`.repeat(50));
  });
});
