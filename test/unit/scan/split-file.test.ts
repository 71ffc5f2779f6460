/**
 * A big file spread over threads (scan/split-file) finds what one thread finds, at the same lines
 * and columns: secrets straddling every chunk border, secrets inside the overlap two chunks share
 * (reported once), multi-byte characters at the borders, every kind of line break, one long line.
 * Small chunk sizes make a few KiB of text cross dozens of borders.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Finding } from "../../../src/findings/finding.js";
import { portableRuleSet } from "../../../src/rules/portable-rules.js";
import { scanTree } from "../../../src/scan/scan-tree.js";
import { ChunkScanners } from "../../../src/scan/split-file.js";
import { forEachChunk, readChunkAt } from "../../../src/sources/read-chunks.js";
import { demoEngine, demoRuleSet, readerOf } from "../../helpers/chunked.js";
import { detect } from "../../helpers/engine.js";

const TOKEN_LENGTH = 28;
function token(i: number): string {
  return `dmo_${String(i).padStart(4, "0")}Q3vX9kLp2Zt7Rw4Yb8Nc`;
}

/**
 * Tokens separated by fillers whose lengths step through every residue, so that across the text a
 * token starts at every offset from every border (chunk sizes are not multiples of the step).
 */
function textWith(eol: string, tokens: number): string {
  const parts: string[] = [];
  for (let i = 0; i < tokens; i++) {
    const filler = `${"é".repeat(i % 3)}${"😀".repeat(i % 2)}${" x".repeat(i % 11)}`;
    parts.push(`${filler} k=${token(i)}${i % 5 === 4 ? eol : ";"}`);
  }
  return parts.join("");
}

/**
 * `borders` chunks of filler lines (with a two-byte character) and a token across every border,
 * starting 1 to TOKEN_LENGTH - 1 bytes before it, a different distance at each.
 */
function straddling(chunk: number, borders: number, eol: string): Buffer {
  const line = Buffer.from(`ab é cd${eol}`);
  const data = Buffer.alloc(chunk * (borders + 1), line);
  for (let k = 1; k <= borders; k++) data.write(` ${token(k)} `, k * chunk - 2 - (k % (TOKEN_LENGTH - 1)));
  return data;
}

const key = (f: Finding) => [f.startLine, f.startColumn, f.endLine, f.endColumn, f.match].join(" ");

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "leakstop-split-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, text: string | Buffer): { abs: string; rel: string } {
  const abs = join(dir, name);
  writeFileSync(abs, text);
  return { abs, rel: name };
}

describe("chunks read apart", () => {
  it("are the chunks a reader from the start gives, whatever the size and the characters at the borders", () => {
    for (const [chunk, overlap] of [
      [64, 48],
      [97, 40],
      [128, 4],
    ] as const) {
      for (const size of [chunk + overlap, 2 * chunk + overlap, 2 * chunk + overlap + 1, 3000]) {
        const data = Buffer.from(textWith("\n", 200)).subarray(0, size);
        const expected: { data: string; cut: number }[] = [];
        forEachChunk(
          readerOf(data),
          { path: "x", source: "tree" },
          (f) => expected.push({ data: f.data.toString("hex"), cut: f.acceptBefore }),
          chunk,
          overlap,
        );
        const got: { data: string; cut: number }[] = [];
        const scratch = Buffer.alloc(chunk + overlap);
        for (let i = 0; ; i++) {
          const c = readChunkAt(readerOf(data), data.length, i, chunk, overlap, scratch);
          if (!c) break;
          got.push({ data: c.data.toString("hex"), cut: c.cut });
          if (c.last) break;
        }
        assert.deepEqual(got, expected, `chunk ${chunk}, overlap ${overlap}, size ${size}`);
      }
    }
  });
});

describe("a big file spread over threads", () => {
  const scanWith = async (threads: number, text: string | Buffer, chunk: number, overlap: number) => {
    const scanners = new ChunkScanners(
      threads,
      { ruleSet: portableRuleSet(demoRuleSet), detect: { showSecrets: true } },
      demoEngine,
      chunk,
      overlap,
    );
    try {
      const file = fileOf(`f${threads}-${chunk}.txt`, text);
      const size = Buffer.byteLength(text);
      const r = await scanners.scanFile(file, size, { path: "big.txt", source: "tree" }, { showSecrets: true });
      return { ...r, byThread: scanners.chunksByThread };
    } finally {
      await scanners.close();
    }
  };

  for (const eol of ["\n", "\r\n", "\r"]) {
    it(`finds every secret once at its one-thread position, across every border (${JSON.stringify(eol)})`, async () => {
      for (const [chunk, overlap] of [
        [61, 40],
        [97, 48],
        [301, 64],
      ] as const) {
        const borders = 40;
        const data = straddling(chunk, borders, eol);
        const whole = detect(demoEngine, data.toString("utf8"), "big.txt");
        assert.equal(whole.length, borders);
        for (const threads of [2, 3]) {
          const r = await scanWith(threads, data, chunk, overlap);
          assert.equal(r.bytes, data.length);
          assert.deepEqual(r.findings.map(key), whole.map(key), `chunk ${chunk}, ${threads} threads`);
          assert.ok(r.byThread.size >= 2, `chunks were scanned by ${r.byThread.size} thread(s)`);
        }
      }
    });
  }

  it("finds what one thread finds in text with tokens at every distance from the borders", async () => {
    for (const eol of ["\n", "\r\n"]) {
      const text = textWith(eol, 300);
      const whole = detect(demoEngine, text, "big.txt");
      assert.equal(whole.length, 300);
      for (const chunk of [64, 97, 128]) {
        const r = await scanWith(2, text, chunk, 48);
        assert.deepEqual(r.findings.map(key), whole.map(key), `${JSON.stringify(eol)}, chunk ${chunk}`);
      }
    }
  });

  it("finds a secret that lies whole in the overlap of two chunks once", async () => {
    // chunk 100, overlap 60: bytes 100–160 are read by chunks 0 and 1; the token sits at 110.
    const text = `${"a".repeat(109)} ${token(1)} ${"b".repeat(300)}`;
    const r = await scanWith(2, text, 100, 60);
    assert.deepEqual(r.findings.map(key), detect(demoEngine, text, "big.txt").map(key));
    assert.equal(r.findings.length, 1);
  });

  it("keeps columns on one long line, after a byte-order mark", async () => {
    const text = `\ufeff${"x=1;".repeat(500)}${token(7)}${";y=2".repeat(300)}`;
    const r = await scanWith(2, text, 100, 40);
    assert.deepEqual(
      r.findings.map((f) => [f.startLine, f.startColumn]),
      [[1, 2001]],
    );
  });

  it("skips a binary file without a finding", async () => {
    const data = Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(textWith("\n", 100))]);
    const r = await scanWith(2, data, 64, 48);
    assert.equal(r.skipped, "binary");
    assert.equal(r.findings.length, 0);
  });

  it("scans a tree's big file over the threads with the tree scan's findings (real chunk size)", async () => {
    // 33 MiB: five 8 MiB chunks; a token across each border and one in each overlap.
    const mib = 1024 * 1024;
    const size = 33 * mib;
    const data = Buffer.alloc(size, "abc = 1;\n");
    const at = [0, 8 * mib - 10, 8 * mib + 100, 16 * mib - 1, 24 * mib - 27, 32 * mib - 5, size - 40];
    at.forEach((p, i) => {
      data.write(` ${token(i)} `, p);
    });
    const treeDir = mkdtempSync(join(dir, "tree-"));
    writeFileSync(join(treeDir, "big.txt"), data);
    writeFileSync(join(treeDir, "small.txt"), `k=${token(99)}\n`);
    const opts = { root: treeDir, exclude: [], showSecrets: true, maxFileSize: 0 };
    const one = await scanTree(demoRuleSet, { ...opts, threads: 1 });
    const two = await scanTree(demoRuleSet, { ...opts, threads: 2 });
    assert.equal(one.findings.length, at.length + 1);
    assert.deepEqual(
      two.findings.map((f) => `${f.path} ${key(f)}`),
      one.findings.map((f) => `${f.path} ${key(f)}`),
    );
    assert.equal(two.stats.bytes, one.stats.bytes);
    assert.equal(two.stats.files, 2);
  });

  it("leaves a big UTF-16 file (its first chunk starts with the BOM) to one thread's reader, with its findings", async () => {
    // 36 MB of UTF-16LE: big enough to be split, but it cannot be read from the middle.
    const text = `k=${token(1)}\n${"abc = 1;\n".repeat(2_000_000)}k=${token(2)}\n`;
    const treeDir = mkdtempSync(join(dir, "tree-"));
    writeFileSync(join(treeDir, "big.reg"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    const opts = { root: treeDir, exclude: [], showSecrets: true, maxFileSize: 0 };
    const one = await scanTree(demoRuleSet, { ...opts, threads: 1 });
    const two = await scanTree(demoRuleSet, { ...opts, threads: 2 });
    assert.deepEqual(
      one.findings.map((f) => f.match),
      [token(1), token(2)],
    );
    assert.deepEqual(two.findings.map(key), one.findings.map(key));
    assert.deepEqual(two.stats.skipped, []);
    assert.equal(two.stats.files, 1);
  });
});
