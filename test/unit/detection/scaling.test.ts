/**
 * The engine's work grows linearly with its input, whatever the input's shape. Work is counted
 * in deterministic units (regex executions and the bytes they advance over, bytes searched for
 * line boundaries, bytes decoded for columns, overlap checks between hits): a text four times as
 * large must cost at most about four times as much in every unit. A quadratic corner (a search
 * without a distance limit per keyword hit, columns decoded from the start of a long line per
 * finding, every hit compared with every other) makes some count grow sixteen-fold instead.
 * Every shape is read three ways: whole, in overlapping chunks from the start (a file past 8 MiB;
 * smaller chunks here, so that a few hundred KiB cross borders), and chunk by chunk apart (a big file
 * spread over threads); the bytes read and the views' passes (escaped quotes, unescape, the decoded
 * view's base64 search and decoding) are counted too.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectFragment } from "../../../src/detection/detect.js";
import { newWorkMeter, type WorkMeter } from "../../../src/detection/work-meter.js";
import { type Fragment, wholeFragment } from "../../../src/sources/fragment.js";
import { forEachChunk, readChunkAt } from "../../../src/sources/read-chunks.js";
import { readerOf } from "../../helpers/chunked.js";
import { builtinEngine } from "../../helpers/engine.js";
import { prng } from "../../helpers/prng.js";

/** Hex digits: random values long enough to be reported but that never spell a keyword by chance. */
const HEX = "0123456789abcdef";

function randomWord(rand: () => number, length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += HEX[Math.floor(rand() * HEX.length)];
  return s;
}

const CODE = [
  "var a=function(b){return b.map(function(c){return c*2})};",
  "const path = require('path'); const token = lexer.next();",
  "export function keyOf(x) { return x.key || x.id; } // password field handled elsewhere",
  "if (secretVisible) { render(pattern, apiKeyLabel); }",
];

/** Text of about `size` bytes made of pieces from `piece`, joined by `separator`. */
function build(size: number, separator: string, piece: (rand: () => number) => string): Buffer {
  const rand = prng(11);
  const parts: string[] = [];
  for (let n = 0; n < size; ) {
    const p = piece(rand);
    parts.push(p);
    n += p.length + separator.length;
  }
  return Buffer.from(parts.join(separator));
}

/** Digits and punctuation: no rule's keyword occurs. */
const noKeywords = (rand: () => number) => `${Math.floor(rand() * 1e9)} + ${Math.floor(rand() * 1e6)} - (7 * 3)`;
/** Code with a keyword every few KiB: rules run in keyword windows. */
const code = (rand: () => number) => (rand() < 0.01 ? CODE[Math.floor(rand() * CODE.length)]! : noKeywords(rand));
/** A keyword every few dozen bytes, one in ten with a value that is reported: too dense for windows. */
const secrets = (rand: () => number) =>
  rand() < 0.1 ? `api_token="${randomWord(rand, 32)}"` : `password=${randomWord(rand, 6)}`;

/** Base64 values that decode to reported secrets: the decoded view is scanned too. */
const encoded = (rand: () => number) =>
  rand() < 0.5 ? `CFG_B64=${Buffer.from(`api_token="${randomWord(rand, 32)}"`).toString("base64")}` : noKeywords(rand);

/** [name, separator, piece, size of the smaller text] */
const SHAPES: [string, string, (rand: () => number) => string, number][] = [
  ["many lines", "\n", code, 320 * 1024],
  ["one line", ";", code, 320 * 1024],
  // Past 20,000 keyword hits in both sizes, so both read the whole text (no windows).
  ["many keywords, many lines", "\n", secrets, 640 * 1024],
  ["many keywords, one line", " ", secrets, 640 * 1024],
  ["no keywords", "\n", noKeywords, 320 * 1024],
  ["no keywords, one line", " ", noKeywords, 320 * 1024],
  // Decoded views past the window threshold in both sizes (as for the keyword-dense shapes above).
  ["base64-encoded secrets, many lines", "\n", encoded, 640 * 1024],
  ["base64-encoded secrets, one line", " ", encoded, 640 * 1024],
];

/**
 * Chunks for the chunked readings: half the smaller text, so that both texts are whole numbers of
 * chunks read the same way (each chunk is a text of its own to the engine: a last chunk of a few
 * bytes would read differently from full ones, whatever the total).
 */
const OVERLAP = 16 * 1024;

type Reading = "whole" | "chunks" | "chunks apart";
const READINGS: Reading[] = ["whole", "chunks", "chunks apart"];

/** What the engine did over `data` read as `reading`, plus `readBytes`: bytes the reader handed over. */
function work(
  data: Buffer,
  reading: Reading,
  chunk: number,
): { meter: WorkMeter & { readBytes: number }; findings: number } {
  const meter = { ...newWorkMeter(), readBytes: 0 };
  const origin = { path: "bundle.js", source: "tree" } as const;
  const inner = readerOf(data);
  const read = (b: Buffer, o: number, l: number, p: number) => {
    const n = inner(b, o, l, p);
    meter.readBytes += n;
    return n;
  };
  let findings = 0;
  const scan = (frag: Fragment) => {
    findings += detectFragment(builtinEngine(), frag, { showSecrets: false, meter }).length;
  };
  if (reading === "whole") scan(wholeFragment(data, origin));
  else if (reading === "chunks") forEachChunk(read, origin, scan, chunk, OVERLAP);
  else {
    const scratch = Buffer.alloc(chunk + OVERLAP);
    for (let index = 0; ; index++) {
      const c = readChunkAt(read, data.length, index, chunk, OVERLAP, scratch);
      if (!c) break;
      scan({ ...origin, data: c.data, firstLine: index === 0 ? 1 : 2, firstColumn: 0, acceptBefore: c.cut });
      if (c.last) break;
    }
  }
  return { meter, findings };
}

const FACTOR = 4;

describe("engine work grows linearly with input", () => {
  for (const [name, separator, piece, small] of SHAPES) {
    it(name, () => {
      const smallText = build(small, separator, piece);
      const bigText = build(small * FACTOR, separator, piece);
      for (const reading of READINGS) {
        const a = work(smallText, reading, small / 2);
        const b = work(bigText, reading, small / 2);
        if (piece === secrets) assert.ok(a.findings > 500, `only ${a.findings} findings`);
        if (piece === encoded) assert.ok(a.meter.viewBytes > smallText.length, "the views were counted");
        for (const unit of Object.keys(a.meter) as (keyof typeof a.meter)[]) {
          // 10 % of slack for the shape's own unevenness, plus a constant for near-zero counts.
          const bound = a.meter[unit] * FACTOR * 1.1 + 1000;
          assert.ok(
            b.meter[unit] <= bound,
            `${reading}, ${unit}: ${a.meter[unit]} for ${small} bytes but ${b.meter[unit]} for ${FACTOR} times as many`,
          );
        }
      }
    });
  }
});
