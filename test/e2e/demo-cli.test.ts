/**
 * `leakstop demo` as a new user runs it: a real redis-server, worker, git repository and webhook
 * receiver, start to finish; and the one-line failure when redis-server is missing.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { leakstop } from "./cli.js";

const ISSUED_KEY = /lsk_(?:live|test)_[0-9A-Za-z]{38}/;

describe("leakstop demo", () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("issues a key, leaks it, and shows it revoked, the owner's signed webhook and a verified audit trail", () => {
    const r = leakstop(["demo"], { env: { REDIS_URL: "redis://127.0.0.1:1" } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /1 leak found \(1 critical\)/);
    assert.match(r.stdout, /reported to Redis at redis:\/\/127\.0\.0\.1:\d+: 1 new/);
    assert.match(r.stdout, /status revoked, reason "leaked: leakstop-key at config\/payments\.env:2/);
    assert.match(r.stdout, /keys verify: not valid: revoked/);
    assert.match(r.stdout, /got a key-revoked message .*Leakstop-Signature verifies/);
    assert.match(r.stdout, /audit trail intact: 2 entries/);
    assert.match(r.stdout, /signatures checked .* 1 anchor\(s\) matched/);
    // The demo's own REDIS_URL (a dead port here) is never used: it runs on its throwaway Redis.
    assert.doesNotMatch(r.stdout, /127\.0\.0\.1:1\b/);
    assert.doesNotMatch(r.stdout + r.stderr, ISSUED_KEY, "the issued key is never printed");
  });

  it("without redis-server on PATH: one line naming the step, exit 2", () => {
    const bin = mkdtempSync(join(tmpdir(), "leakstop-demo-path-"));
    dirs.push(bin);
    symlinkSync("/usr/bin/git", join(bin, "git"));
    const r = leakstop(["demo"], { env: { PATH: bin } });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "leakstop: demo: starting a throwaway Redis: redis-server is not on PATH\n");
  });
});
