/**
 * Redis killed (SIGKILL, AOF with appendfsync always) and restarted while two worker processes
 * work through batches of findings enqueued by the real producer path (queue/findings-queue.ts:
 * batch jobs, retries with backoff). Afterwards every finding completed, each
 * key was revoked once with one audit entry and one notification, and the audit chain verifies.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { FindingsProducer } from "../../../src/queue/findings-queue.js";
import { CLI, findingFor, startWorkerFixture, type WorkerFixture } from "./harness.js";

let f: WorkerFixture;
before(async () => {
  f = await startWorkerFixture({ appendonly: true, appendfsync: "always" });
});
after(async () => {
  await f.close();
});

describe("worker across a Redis restart", () => {
  it("loses nothing and revokes, audits and notifies each key once", async () => {
    const args = ["--concurrency", "16", "--lock-duration", "1000", "--stalled-interval", "300"];
    const workers = [f.startWorker(args), f.startWorker(args)];
    await Promise.all(workers.map((w) => w.ready));
    const made = await Promise.all(
      Array.from({ length: 300 }, () => f.registry.create({ owner: { id: "o", webhook: "https://o.test/h" } }, "t")),
    );
    const jobs = made.flatMap(({ key }) => [findingFor(key, "a.env"), findingFor(key, "b.env")]);
    // Batches of 20 findings (30 jobs), so the restart lands while batches are in flight.
    const producer = new FindingsProducer(f.redis, "leakstop", 20);
    const sent = await producer.enqueue(jobs);
    await producer.close();
    assert.deepEqual([sent.added, sent.duplicates, sent.batches.length], [600, 0, 30]);
    while (((await f.findings.getJobCounts("completed")).completed ?? 0) < 5)
      await new Promise((r) => setTimeout(r, 1));
    await f.server.restart({ hard: true });
    await f.waitCompleted(sent.batches.length, 90_000);
    assert.deepEqual(await f.findings.getJobCounts("failed", "active", "waiting"), {
      failed: 0,
      active: 0,
      waiting: 0,
    });
    const notifyIds = new Set(
      (await f.notify.getJobs(["waiting", "delayed", "active", "completed", "failed"])).map((j) => j.id),
    );
    const actions = new Map<string, string[]>();
    const revokeIds = new Map<string, string>();
    for await (const e of f.audit.export()) {
      if (!e.keyId) continue;
      actions.set(e.keyId, [...(actions.get(e.keyId) ?? []), e.action]);
      if (e.action === "key.revoke") revokeIds.set(e.keyId, e.id);
    }
    for (const { record } of made) {
      assert.deepEqual(actions.get(record.id), ["key.create", "key.revoke", "key.revoke_repeat"], record.id);
      assert.ok(notifyIds.has(`notify:${revokeIds.get(record.id)}:webhook`), record.id);
    }
    assert.equal(notifyIds.size, made.length);
    for (const w of workers) w.child.kill("SIGTERM");
    assert.deepEqual(await Promise.all(workers.map((w) => w.exited)), [0, 0]);
    const verify = spawnSync(process.execPath, [CLI, "audit", "verify"], {
      env: { ...process.env, REDIS_URL: f.server.url, LEAKSTOP_AUDIT_KEY: "" },
      encoding: "utf8",
    });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });
});
