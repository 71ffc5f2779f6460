/**
 * `leakstop worker` as an operator runs it: built CLI child processes against a private
 * redis-server. A leaked live key is revoked within a second; 50 reports of one key across four
 * workers give one revocation, one audit entry and one notification; graceful shutdown; metrics;
 * one-line LS_REDIS_UNREACHABLE; no raw key in any log line.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { freePort } from "../../helpers/redis-server.js";
import { CLI, findingFor, startWorkerFixture, type WorkerFixture } from "./harness.js";

const owner = { id: "acme", email: "sec@acme.test", webhook: "https://acme.test/hook" };
const webhookOnly = { id: "acme-hooks", webhook: "https://acme.test/hook" };

let f: WorkerFixture;
before(async () => {
  f = await startWorkerFixture();
});
after(async () => {
  await f.close();
});

describe("leakstop worker", () => {
  it("revokes a live key once its finding is queued, with one audit entry and the owner's notifications", async () => {
    const w = f.startWorker(["--concurrency", "4"]);
    await w.ready;
    const { key, record } = await f.registry.create({ owner }, "test");
    const finding = findingFor(key);
    const t0 = Date.now();
    await f.findings.add("finding", finding, { jobId: finding.findingId });
    let status = "active";
    // How fast is the pipeline benchmark's job (BENCHMARKS.md); here only that it happens.
    while (status !== "revoked" && Date.now() - t0 < 15_000) {
      status = (await f.registry.get(record.id))?.status ?? "gone";
      if (status !== "revoked") await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(status, "revoked");
    const revoked = await f.registry.get(record.id);
    assert.equal(revoked?.revokedBy, "leakstop-worker");
    assert.equal(revoked?.revokeReason, "leaked: leakstop-key at acme/app:src/config.ts:3");
    await f.waitCompleted(1);
    const entries = await f.entriesOf(record.id);
    assert.deepEqual(
      entries.map((e) => e.action),
      ["key.create", "key.revoke"],
    );
    const eventId = entries[1]?.id ?? "";
    const ids = (await f.notify.getJobs(["waiting", "delayed", "active", "completed", "failed"])).map((j) => j.id);
    assert.deepEqual(ids.sort(), [`notify:${eventId}:email`, `notify:${eventId}:webhook`]);
    const job = await f.notify.getJob(`notify:${eventId}:webhook`);
    assert.equal(job?.data.kind, "key-revoked");
    assert.equal(job?.data.keyId, record.id);
    assert.equal(job?.data.to, owner.webhook);
    assert.ok(!JSON.stringify(job?.data).includes(key));
    w.child.kill("SIGTERM");
    assert.equal(await w.exited, 0);
    await f.notify.obliterate({ force: true });
  });

  it("50 reports of one key from many places across 4 workers: one revocation, one audit entry, one notification", async () => {
    const workers = [1, 2, 3, 4].map(() => f.startWorker(["--concurrency", "8"]));
    await Promise.all(workers.map((w) => w.ready));
    const { key, record } = await f.registry.create({ owner: webhookOnly }, "test");
    const before = await f.findings.getJobCounts("completed");
    const reports = Array.from({ length: 50 }, (_, i) => findingFor(key, `src/file-${i % 25}.ts`, 1 + (i % 2)));
    // The same finding delivered again under another job id (a producer resend) is no new repeat.
    const resent = reports.slice(0, 10).map((r, i) => ({ name: "finding", data: r, opts: { jobId: `resend-${i}` } }));
    await f.findings.addBulk([
      ...reports.map((r) => ({ name: "finding", data: r, opts: { jobId: r.findingId } })),
      ...resent,
    ]);
    await f.waitCompleted((before.completed ?? 0) + 60);
    const actions = (await f.entriesOf(record.id)).map((e) => e.action);
    assert.equal(actions.filter((a) => a === "key.revoke").length, 1);
    assert.equal(actions.filter((a) => a === "key.revoke_repeat").length, 49, "one repeat per other finding");
    const notifies = await f.notify.getJobs(["waiting", "delayed", "active", "completed", "failed"]);
    assert.equal(notifies.length, 1);
    assert.equal(notifies[0]?.data.keyId, record.id);
    for (const w of workers) w.child.kill("SIGTERM");
    assert.deepEqual(await Promise.all(workers.map((w) => w.exited)), [0, 0, 0, 0]);
    const verify = spawnSync(process.execPath, [CLI, "audit", "verify"], {
      env: { ...process.env, REDIS_URL: f.server.url, LEAKSTOP_AUDIT_KEY: "" },
      encoding: "utf8",
    });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    await f.notify.obliterate({ force: true });
  });

  it("serves Prometheus metrics: revocations, latency, queue depths", async () => {
    const w = f.startWorker(["--metrics-port", "0"]);
    const ready = await w.ready;
    assert.match(String(ready.metrics), /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const { key } = await f.registry.create({ owner }, "test");
    const before = await f.findings.getJobCounts("completed");
    const finding = findingFor(key, "metrics.ts");
    await f.findings.add("finding", finding, { jobId: finding.findingId });
    await f.waitCompleted((before.completed ?? 0) + 1);
    const text = await (await fetch(String(ready.metrics))).text();
    assert.match(text, /^leakstop_revocations_total 1$/m);
    assert.match(text, /^leakstop_findings_total\{outcome="revoked"\} 1$/m);
    assert.match(text, /^leakstop_finding_revoke_latency_seconds_count\{from="enqueued"\} 1$/m);
    assert.match(text, /^leakstop_finding_revoke_latency_seconds_bucket\{le="1",from="detected"\} 1$/m);
    assert.match(text, /^leakstop_queue_jobs\{queue="notify",state="failed"\} \d+$/m);
    assert.match(text, /^leakstop_queue_jobs\{queue="findings",state="active"\} 0$/m);
    w.child.kill("SIGINT");
    assert.equal(await w.exited, 0);
    await f.notify.obliterate({ force: true });
  });

  it("stops gracefully on SIGTERM mid-batch: active jobs finish, none is left active, exit 0", async () => {
    const w = f.startWorker(["--concurrency", "16"]);
    await w.ready;
    const made = await Promise.all(Array.from({ length: 200 }, () => f.registry.create({ owner: webhookOnly }, "t")));
    const jobs = made.map(({ key }) => findingFor(key, "graceful.ts"));
    const before = (await f.findings.getJobCounts("completed")).completed ?? 0;
    await f.findings.addBulk(jobs.map((j) => ({ name: "finding", data: j, opts: { jobId: j.findingId } })));
    while (((await f.findings.getJobCounts("completed")).completed ?? 0) < before + 20) {
      await new Promise((r) => setTimeout(r, 2));
    }
    w.child.kill("SIGTERM");
    assert.equal(await w.exited, 0, w.output().slice(-2000));
    assert.match(w.output(), /"worker stopped"/);
    const counts = await f.findings.getJobCounts("active", "failed");
    assert.deepEqual(counts, { active: 0, failed: 0 }, w.output().slice(-3000));
    // The rest is taken by the next worker.
    const next = f.startWorker();
    await next.ready;
    await f.waitCompleted(before + 200);
    next.child.kill("SIGTERM");
    assert.equal(await next.exited, 0);
    await f.notify.obliterate({ force: true });
  });

  it("says LS_REDIS_UNREACHABLE in one line and exits 2 when Redis is not there", async () => {
    const port = await freePort();
    const r = spawnSync(process.execPath, [CLI, "worker"], {
      env: { ...process.env, REDIS_URL: `redis://user:pw@127.0.0.1:${port}` },
      encoding: "utf8",
    });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `leakstop: Redis did not answer at redis://127.0.0.1:${port} (connection refused)\n`);
  });

  it("refuses bad flags with a one-line usage error", () => {
    const r = spawnSync(process.execPath, [CLI, "worker", "--concurrency", "0"], { encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'leakstop: worker: --concurrency "0" must be a whole number from 1 to 10000\n');
    const q = spawnSync(process.execPath, [CLI, "worker", "--queues", "findings,email"], { encoding: "utf8" });
    assert.equal(q.status, 2);
    assert.equal(
      q.stderr,
      'leakstop: worker: --queues takes findings and/or delivery, comma-separated (got "email")\n',
    );
  });
});
