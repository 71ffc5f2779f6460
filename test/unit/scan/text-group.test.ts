/**
 * Texts scanned in a group (prefilter over all of them first) give each text the findings
 * detectFragment gives it alone: texts with escapes (whose views are copies), with an arena so small that it fills and flushes often, with
 * texts bigger than the arena, with probe windows (lines counted from the window), and with the
 * windows of an item already settled skipped.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { compileEngine, onlyUserRules } from "../../../src/detection/compile.js";
import { detectFragment } from "../../../src/detection/detect.js";
import type { Finding } from "../../../src/findings/finding.js";
import { TextGroup } from "../../../src/scan/text-group.js";
import { wholeFragment } from "../../../src/sources/fragment.js";
import { awsAccessKeyId, crcToken } from "../../helpers/secrets.js";

const engine = compileEngine(buildRuleSet(null, []), onlyUserRules);
const opts = { showSecrets: true };
const where = (fs: Finding[]) => fs.map((f) => [f.ruleId, f.match, f.path, f.startLine, f.startColumn]);

/** Texts of several sizes, some with secrets, some with keywords only, some with neither. */
function texts(): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 40; i++) {
    const lines = Array.from({ length: 1 + ((i * 7) % 30) }, (_, j) => `line ${j} of text ${i}: nothing here`);
    if (i % 3 === 0) lines.splice(lines.length >> 1, 0, `GITHUB_TOKEN=${crcToken("ghp_")}`);
    if (i % 5 === 1) lines.push(`aws_access_key_id = ${awsAccessKeyId()}`);
    if (i % 4 === 2) lines.unshift("the token and password and secret keywords, no value");
    // Escapes: the views copy such texts into memory the next text's view reuses (detection/view-scratch.ts).
    if (i % 2 === 0) lines.push(`printf("usage: %s\\n  or: %s\\n", argv[0], "text ${i}");`);
    if (i % 6 === 4) lines.push(`{"config": "{\\"github_token\\": \\"${crcToken("ghp_")}\\"}"}`);
    out.push(Buffer.from(`${lines.join("\n")}\n`));
  }
  return out;
}

describe("text groups", () => {
  it("give every text detectFragment's findings, whatever the arena's size", () => {
    const all = texts();
    const alone = all.map((data, i) =>
      detectFragment(engine, wholeFragment(data, { path: `f${i}.env`, source: "history" }), opts),
    );
    assert.ok(alone.filter((f) => f.length > 0).length >= 10, "the texts hold findings");
    for (const arena of [64, 700, 4096, 1 << 20]) {
      const grouped: Finding[][] = all.map(() => []);
      const group = new TextGroup(
        engine,
        opts,
        { found: (item, fs) => grouped[item]!.push(...fs), settled: () => false },
        arena,
      );
      all.forEach((data, i) => {
        group.add(i, wholeFragment(data, { path: `f${i}.env`, source: "history" }));
      });
      group.flush();
      group.release();
      assert.deepEqual(grouped.map(where), alone.map(where), `arena of ${arena} bytes`);
    }
  });

  it("scans probe windows as texts of their own, and skips an item once settled", () => {
    const token = crcToken("ghp_");
    const data = Buffer.from(`${"filler line\n".repeat(50)}TOKEN=${token}\n${"more filler\n".repeat(50)}`);
    const at = data.indexOf("TOKEN=");
    const frag = wholeFragment(data, { path: "a.env", source: "history" });
    const seen: { item: number; lines: number[]; probe: boolean }[] = [];
    const settled = new Set<number>();
    const group = new TextGroup(
      engine,
      opts,
      {
        found(item, fs, probe) {
          seen.push({ item, lines: fs.map((f) => f.startLine), probe });
          if (probe && fs.length > 0) settled.add(item);
        },
        settled: (item) => settled.has(item),
      },
      256,
    );
    // Item 0: a window holding the token, then one after it (skipped: item 0 is settled by then).
    group.add(0, frag, true, at - 24, at + 60);
    group.add(0, frag, true, at + 60, data.length);
    // Item 1: a window without the token.
    group.add(1, frag, true, 0, 120);
    group.flush();
    group.release();
    assert.deepEqual(seen, [
      { item: 0, lines: [3], probe: true },
      { item: 1, lines: [], probe: true },
    ]);
  });
});
