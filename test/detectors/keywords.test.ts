/**
 * Keyword lint: a keyword that occurs in ordinary code makes its rule's regex run on nearly every
 * file, which is what makes a scan slow. Measured on a reference corpus every checkout has: the
 * TypeScript compiler's library and Node's API typings (node_modules/typescript/lib and
 * node_modules/@types/node), ~200 files of everyday code words, comments and URLs.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../src/config/ruleset.js";

const DIRS = [join("node_modules", "typescript", "lib"), join("node_modules", "@types", "node")];
const corpus = DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".d.ts"))
    .map((f) => readFileSync(join(dir, f), "utf8").toLowerCase()),
);
/** A keyword may occur in at most this share of the reference files. */
const MAX_SHARE = 0.05;

describe("detector keywords", () => {
  it("the reference corpus is there", () => assert.ok(corpus.length > 50, `${corpus.length} files`));
  const rules = buildRuleSet(null, []).rules.filter((r) => r.kind === "provider");
  for (const rule of rules) {
    it(`${rule.id}: keywords are rare in ordinary code`, () => {
      const common = rule.keywords
        .map((k) => ({ k, share: corpus.filter((text) => text.includes(k)).length / corpus.length }))
        .filter((x) => x.share > MAX_SHARE)
        .map((x) => `"${x.k}" in ${(x.share * 100).toFixed(0)}% of files`);
      assert.deepEqual(common, []);
    });
  }
});
