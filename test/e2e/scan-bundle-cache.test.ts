/**
 * The scan bundle's code caches (scripts/build-hook-bundle.mjs): dist/scan-run.cache for a scan in the
 * launcher's node, and dist/scan-run.HASH.cache for `scan --history`, which bin/leakstop.js runs in a
 * child node (HASH names the V8 flags it was made under: bin/load-bundle.js; the child starts with a
 * memory flag and gives it back before it loads the bundle, so HASH is node's defaults' and the cache
 * holds what a history scan compiles). V8 takes a cache only under the flags it was made with, so each
 * is checked in a node started as the one that loads it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crc32 } from "node:zlib";
import { ROOT } from "../helpers/bundle-package.js";

const BUNDLE = join(ROOT, "dist", "scan-run.cjs");
const LOADER = join(ROOT, "bin", "load-bundle.js");
const { flagHashOf } = createRequire(import.meta.url)(LOADER) as { flagHashOf(data: Buffer): string | null };
/** bin/leakstop.js' HISTORY_NODE_FLAGS. */
const HISTORY_FLAGS = ["--max-semi-space-size=2"];

/**
 * What becomes of the scan bundle's code cache (taken, rejected, none) in a node started with
 * `nodeFlags` that loads it as bin/leakstop.js does there (`perFlags` in the history child, which
 * first sets its memory flag back to V8's default: `flagBack`).
 * The bundle is loaded, not started: loading runs no command.
 */
function scanCache(nodeFlags: string[], perFlags: boolean, flagBack = false): string {
  const back = flagBack ? `require("node:v8").setFlagsFromString("--max-semi-space-size=0");\n` : "";
  const script = `${back}const { loadBundle } = require(${JSON.stringify(LOADER)});
process.stdout.write(loadBundle(${JSON.stringify(BUNDLE)}, { perFlags: ${perFlags} }).cache);`;
  const r = spawnSync(process.execPath, [...nodeFlags, "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe("the scan bundle's code caches", () => {
  it("the build wrote dist/scan-run.cache and one for the history child, dist/scan-run.HASH.cache, each tagged with the bundle and the CRC-32 of its payload", () => {
    const files = readdirSync(join(ROOT, "dist")).filter((f) => /^scan-run\.([0-9a-f]{8}\.)?cache$/.test(f));
    assert.equal(files.length, 2, files.join(", "));
    const st = statSync(BUNDLE);
    const tag = `leakstop-hook-cache ${st.size} ${st.mtimeMs} `;
    for (const file of files) {
      const cache = readFileSync(join(ROOT, "dist", file));
      const eol = cache.indexOf(10);
      assert.equal(cache.toString("latin1", 0, tag.length), tag);
      const data = cache.subarray(eol + 1);
      assert.equal(cache.toString("latin1", tag.length, eol), String(crc32(data)));
      if (file !== "scan-run.cache")
        assert.equal(file, `scan-run.${flagHashOf(data)}.cache`, "named by its flags' hash");
    }
  });

  it("a scan in the launcher's node and one in the history child each take the cache made under their V8 flags", () => {
    assert.equal(scanCache([], false), "taken");
    assert.equal(scanCache(HISTORY_FLAGS, true, true), "taken");
    // With the flag kept, V8 would refuse both: the plain one, and there is none made under it.
    assert.equal(scanCache(HISTORY_FLAGS, false), "rejected");
    assert.equal(scanCache(HISTORY_FLAGS, true), "none");
  });
});
