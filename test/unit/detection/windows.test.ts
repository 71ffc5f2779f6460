/**
 * Keyword windows must be an optimisation only: over big texts they find exactly what full passes
 * find. Every built-in rule's positive examples are planted among filler, on short lines and on one
 * huge minified line, and both modes must agree finding for finding.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { detectFragment } from "../../../src/detection/detect.js";
import { WINDOW_MIN_TEXT } from "../../../src/detection/windows.js";
import { wholeFragment } from "../../../src/sources/fragment.js";
import { builtinEngine } from "../../helpers/engine.js";

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

const FILLER = [
  "var a=function(b){return b.map(function(c){return c*2})};",
  "const path = require('path'); const token = lexer.next();",
  "export function keyOf(x) { return x.key || x.id; } // password field handled elsewhere",
  "if (secretVisible) { render(pattern, apiKeyLabel); }",
];

function plant(separator: string, seed: number): string {
  const rand = prng(seed);
  const examples = buildRuleSet(null, []).rules.flatMap((r) => r.examples.positives);
  const parts: string[] = [];
  let size = 0;
  let next = 0;
  while (size < WINDOW_MIN_TEXT * 3 || next < examples.length) {
    const piece =
      next < examples.length && rand() < 0.05 ? examples[next++]! : FILLER[Math.floor(rand() * FILLER.length)]!;
    parts.push(piece);
    size += piece.length + 1;
  }
  return parts.join(separator);
}

function findings(text: string, windows: boolean) {
  const frag = wholeFragment(Buffer.from(text), { path: "bundle.js", source: "tree" });
  return detectFragment(builtinEngine(), frag, { showSecrets: false, windows }).map(
    (f) => `${f.ruleId}@${f.startLine}:${f.startColumn}-${f.endLine}:${f.endColumn} ${f.secretHash.slice(0, 12)}`,
  );
}

describe("keyword windows", () => {
  for (const [name, sep] of [
    ["short lines", "\n"],
    ["one minified line", ";"],
  ] as const) {
    it(`find exactly what full passes find (${name})`, () => {
      const text = plant(sep, 7);
      const full = findings(text, false);
      assert.ok(full.length > 100, `only ${full.length} findings planted`);
      assert.deepEqual(findings(text, true), full);
    });
  }
});
