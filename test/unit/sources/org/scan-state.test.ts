/** --since-last state: read back what was written, ignore what is damaged, and drop tips a mirror lost. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { defaultCacheDir, repoPaths } from "../../../../src/sources/org/cache-layout.js";
import { lockCache } from "../../../../src/sources/org/cache-lock.js";
import { existingObjects, refTips } from "../../../../src/sources/org/git-refs.js";
import { readScanState, rulesDigest, writeScanState } from "../../../../src/sources/org/scan-state.js";
import { gitRoot, Origin } from "../../../helpers/org-origin.js";

describe("scan state", () => {
  it("round-trips, and a damaged or foreign file reads as no state (a full scan)", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-state-"));
    const path = join(dir, "deep", "api.json");
    const state = { version: 1 as const, repository: "acme/api", tips: ["a".repeat(40)], rules: "r", scannedAt: "now" };
    writeScanState(path, state);
    assert.deepEqual(readScanState(path), state);
    for (const text of [
      "{",
      "[]",
      '{"version":2,"tips":[],"rules":"r"}',
      '{"version":1,"tips":["--all"],"rules":"r"}',
    ]) {
      writeFileSync(path, text);
      assert.equal(readScanState(path), null, text);
    }
    assert.equal(readScanState(join(dir, "none.json")), null);
  });

  it("the rules digest follows the rules and ignores where they were loaded from", () => {
    const a = { rules: [{ id: "x", regex: "a+", origin: "/opt/one/x.toml" }] };
    const b = { rules: [{ id: "x", regex: "a+", origin: "/usr/two/x.toml" }] };
    assert.equal(rulesDigest(a), rulesDigest(b));
    assert.notEqual(rulesDigest(a), rulesDigest({ rules: [{ id: "x", regex: "a*" }] }));
  });

  it("existingObjects drops tips the mirror no longer has (history rewritten and collected)", async () => {
    const o = new Origin(gitRoot(), "api");
    const c1 = o.commit("one", { "a.txt": "1" });
    assert.deepEqual(await refTips(o.bare), [c1]);
    const gone = "0123456789abcdef0123456789abcdef01234567";
    assert.deepEqual(await existingObjects(o.bare, [gone, c1]), [c1]);
  });
});

describe("cache layout", () => {
  it("keeps hosts apart and refuses names that are not GitHub's", () => {
    const p = repoPaths("/c", "acme/api", "https://GHE.example.com:8443/acme/api.git");
    assert.deepEqual(p, {
      mirror: "/c/mirrors/ghe.example.com_8443/acme/api.git",
      state: "/c/state/ghe.example.com_8443/acme/api.json",
    });
    assert.equal(repoPaths("/c", "acme/api", "/srv/git/api.git").mirror, "/c/mirrors/local/acme/api.git");
    for (const bad of ["acme/../x", "acme", "a/b/c", "acme/.."])
      assert.throws(() => repoPaths("/c", bad, "https://github.com/x.git"), { code: "LS_GITHUB_API" });
  });

  it("defaults to $XDG_CACHE_HOME/leakstop, else ~/.cache/leakstop", () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: "/x/cache" }), "/x/cache/leakstop");
    assert.match(defaultCacheDir({ XDG_CACHE_HOME: "relative" }), /\/\.cache\/leakstop$/);
  });
});

describe("cache lock", () => {
  it("lets one run in, refuses a second while the first lives, and takes over a dead owner's lock", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-lock-"));
    const release = lockCache(dir, "api.github.com-acme");
    assert.throws(() => lockCache(dir, "api.github.com-acme"), {
      code: "LS_CACHE_BUSY",
      message: new RegExp(`another org-scan \\(pid ${process.pid}\\)`),
    });
    const other = lockCache(dir, "api.github.com-other");
    other();
    release();
    lockCache(dir, "api.github.com-acme")();
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(join(dir, "locks", "api.github.com-acme.lock"), `${dead}\n`);
    lockCache(dir, "api.github.com-acme")();
  });
});
