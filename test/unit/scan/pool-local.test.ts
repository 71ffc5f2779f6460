/**
 * The scan pool's local lane: the calling thread scans batches beside the workers (a tree scan with
 * `--threads 2` runs one worker and this thread), every batch is scanned exactly once, and a
 * failure on this thread fails the run like a worker's would.
 * A pool can start its threads before it has their init (a tree scan starts them before loading
 * the rules) and be given it later.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { portableRuleSet } from "../../../src/rules/portable-rules.js";
import type { BatchRequest, BatchResult } from "../../../src/scan/messages.js";
import { makeBatches, ScanPool } from "../../../src/scan/pool.js";
import { walkTree } from "../../../src/sources/tree.js";
import { demoRuleSet } from "../../helpers/chunked.js";

const dir = mkdtempSync(join(tmpdir(), "leakstop-pool-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const detect = { showSecrets: false, maxFileSize: 0 };

function batchesOf(files: number): BatchRequest[] {
  const root = mkdtempSync(join(dir, "tree-"));
  for (let i = 0; i < files; i++) writeFileSync(join(root, `f${String(i).padStart(3, "0")}.txt`), `line ${i}\n`);
  return makeBatches(walkTree(root, { exclude: [] }).files, 4);
}

const emptyResult = (b: BatchRequest): BatchResult => ({
  id: b.id,
  findings: [],
  itemOf: [],
  skipped: [],
  bytes: 0,
  files: b.items.length,
});

describe("scan pool with a local lane", () => {
  it("scans every batch once, some on this thread", async () => {
    const batches = batchesOf(40);
    const pool = new ScanPool(1, { ruleSet: portableRuleSet(demoRuleSet), detect });
    const seen: number[] = [];
    const local: number[] = [];
    try {
      await pool.run(
        batches,
        (r) => seen.push(r.id),
        async (b) => {
          local.push(b.id);
          return emptyResult(b);
        },
      );
    } finally {
      await pool.close();
    }
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      batches.map((b) => b.id),
    );
    assert.ok(local.length > 0 && local.length < batches.length, `${local.length} of ${batches.length} here`);
  });

  it("fails the run when this thread's scan throws", async () => {
    const pool = new ScanPool(1, { ruleSet: portableRuleSet(demoRuleSet), detect });
    try {
      await assert.rejects(
        pool.run(
          batchesOf(12),
          () => {},
          () => {
            throw new Error("engine failed here");
          },
        ),
        /engine failed here/,
      );
    } finally {
      await pool.close();
    }
  });

  it("a pool started before the rules were loaded scans every batch once given its init", async () => {
    const pool = new ScanPool(1, null);
    const batches = batchesOf(20);
    const seen: number[] = [];
    try {
      await assert.rejects(async () => pool.run(batches, () => {}), /before start/);
      pool.start({ ruleSet: portableRuleSet(demoRuleSet), detect });
      await pool.run(batches, (r) => seen.push(r.id));
    } finally {
      await pool.close();
    }
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      batches.map((b) => b.id),
    );
  });

  it("a pool never started ends at once", async () => {
    const t0 = performance.now();
    await new ScanPool(1, null).close();
    assert.ok(performance.now() - t0 < 2000);
  });
});
