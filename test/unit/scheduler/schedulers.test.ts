/**
 * Syncing the org-scan schedulers when another process syncs the same schedule at the same moment:
 * BullMQ refuses the second upsert of an iteration that the first one just added or is running.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JobSchedulerJson } from "bullmq";
import { syncOrgScanSchedulers } from "../../../src/scheduler/schedulers.js";

const TAKEN = "Cannot create job scheduler iteration - job ID already exists. addJobScheduler";

/** A queue whose first `refusals` upserts fail as a racing process makes them fail; `stored` is what Redis holds. */
function racingQueue(refusals: number, stored: Partial<JobSchedulerJson> | null) {
  let calls = 0;
  return {
    calls: () => calls,
    async upsertJobScheduler() {
      calls++;
      if (calls <= refusals) throw new Error(TAKEN);
      return undefined as never;
    },
    async getJobScheduler() {
      return (stored ?? undefined) as JobSchedulerJson | undefined;
    },
    async getJobSchedulers() {
      return [];
    },
    async removeJobScheduler() {
      return false;
    },
  };
}

describe("org-scan schedulers under a concurrent sync", () => {
  const schedule = { cron: "0 3 * * *", orgs: ["acme"], tz: "UTC" };

  it("accepts the other process's upsert when Redis already holds the same pattern and zone", async () => {
    const q = racingQueue(1, { key: "org-scan-acme", pattern: "0 3 * * *", tz: "UTC" });
    assert.deepEqual(await syncOrgScanSchedulers(q as never, schedule), { upserted: ["org-scan-acme"], removed: [] });
    assert.equal(q.calls(), 1);
  });

  it("tries again when the stored scheduler is another schedule, and succeeds once the iteration moved on", async () => {
    const q = racingQueue(2, { key: "org-scan-acme", pattern: "0 4 * * *", tz: "UTC" });
    assert.deepEqual(await syncOrgScanSchedulers(q as never, schedule), { upserted: ["org-scan-acme"], removed: [] });
    assert.equal(q.calls(), 3);
  });

  it("gives up with BullMQ's error (not a config error) when the iteration stays taken", async () => {
    const q = racingQueue(99, null);
    await assert.rejects(syncOrgScanSchedulers(q as never, schedule), (err: Error) => {
      assert.match(err.message, /job ID already exists/);
      assert.notEqual((err as { code?: string }).code, "LS_CONFIG_INVALID");
      return true;
    });
    assert.equal(q.calls(), 5);
  });
});
