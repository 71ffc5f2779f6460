/**
 * lib/size-mtime.ts answers the build's freshness checks from node's fs binding where it can: its
 * numbers must be exactly statSync's (a wrong mtime would run a stale build or never use a fresh one),
 * and a file that cannot be read must throw, as statSync does, not pass as unchanged.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { sizeMtime, sizeMtimeByStatSync } from "../../../src/lib/size-mtime.js";

describe("sizeMtime", () => {
  it("gives statSync's size and mtime for every detector file and a file with a fractional mtime", () => {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-size-mtime-"));
    try {
      const odd = join(dir, "odd.txt");
      writeFileSync(odd, "x".repeat(1234));
      utimesSync(odd, 1_700_000_000.123456, 1_700_000_000.987654);
      const files = [odd, ...readdirSync("detectors").map((n) => join("detectors", n))];
      for (const f of files) assert.deepEqual(sizeMtime(f), sizeMtimeByStatSync(f), f);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("throws for a missing file", () => {
    assert.throws(() => sizeMtime(join(tmpdir(), "leakstop-no-such-file-7f3a")));
    assert.throws(() => sizeMtimeByStatSync(join(tmpdir(), "leakstop-no-such-file-7f3a")));
  });

  it("stays silent under --pending-deprecation (statSync answers; process.binding would warn)", () => {
    const url = new URL("../../../src/lib/size-mtime.js", import.meta.url).href;
    const script = `import(${JSON.stringify(url)}).then((m) => console.log(m.sizeMtime("package.json")[0]))`;
    const r = spawnSync(process.execPath, ["--pending-deprecation", "-e", script], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout.trim(), String(sizeMtimeByStatSync("package.json")[0]));
  });
});
