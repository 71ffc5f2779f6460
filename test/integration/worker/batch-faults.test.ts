/**
 * Findings in batches (one findings-queue job, many findings), with real worker processes: a
 * batch holding a duplicate finding and a repeat, the same findings delivered again in another
 * batch (a producer's resend), a refused finding inside a batch, a worker killed with SIGKILL
 * while batches are in flight. Afterwards each key was revoked once with one audit entry per
 * revocation and per distinct repeat, each owner got one notification job, and `leakstop audit
 * verify` passes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { FindingsProducer } from "../../../src/queue/findings-queue.js";
import { FINDING_BATCH_JOB, type FindingBatchJob, type FindingJob } from "../../../src/queue/jobs.js";
import { CLI, findingFor, startWorkerFixture, type WorkerFixture } from "./harness.js";

const owner = { id: "acme", webhook: "https://acme.test/hook" };

let f: WorkerFixture;
before(async () => {
  f = await startWorkerFixture();
});
after(async () => {
  await f.close();
});

function cli(args: string[], env: Record<string, string> = {}): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, REDIS_URL: f.server.url, LEAKSTOP_AUDIT_KEY: "", ...env },
    encoding: "utf8",
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function batch(findings: unknown[]): FindingBatchJob {
  return { v: 1, findings: findings as FindingJob[] };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < until, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stateOf(id: string): Promise<string | undefined> {
  return (await f.findings.getJob(id))?.getState();
}

async function notifyIds(): Promise<Set<string | undefined>> {
  return new Set((await f.notify.getJobs(["waiting", "delayed", "active", "completed", "failed"])).map((j) => j.id));
}

describe("findings in batches", () => {
  it("a duplicate inside a batch, a repeat, and the same findings resent in another batch: each effect once", async () => {
    const w = f.startWorker(["--queues", "findings"]);
    await w.ready;
    const one = await f.registry.create({ owner }, "t");
    const two = await f.registry.create({ owner }, "t");
    const first = [
      findingFor(one.key, "a.env"),
      findingFor(one.key, "a.env"), // the same finding twice in one batch
      findingFor(two.key, "a.env"),
      findingFor(one.key, "b.env"), // a repeat of a key this batch revokes
    ];
    await f.findings.add(FINDING_BATCH_JOB, batch(first) as never, { jobId: "batch:first:4" });
    await waitFor("the first batch", async () => (await stateOf("batch:first:4")) === "completed");
    // A producer that lost the reply sends the findings again, in a batch of another shape.
    const resend = [...first, findingFor(two.key, "b.env")];
    await f.findings.add(FINDING_BATCH_JOB, batch(resend) as never, { jobId: "batch:resend:5" });
    await waitFor("the resent batch", async () => (await stateOf("batch:resend:5")) === "completed");
    const done = await f.findings.getJob("batch:first:4");
    assert.equal(done?.returnvalue.findings, 4);
    assert.equal(done?.returnvalue.outcomes.revoked, 2, JSON.stringify(done?.returnvalue));
    w.child.kill("SIGTERM");
    assert.equal(await w.exited, 0);
    for (const { record } of [one, two]) {
      const actions = (await f.entriesOf(record.id)).map((e) => e.action);
      assert.deepEqual(actions, ["key.create", "key.revoke", "key.revoke_repeat"], record.id);
      assert.equal((await f.registry.get(record.id))?.status, "revoked");
    }
    const revokeIds = await Promise.all(
      [one, two].map(async ({ record }) => (await f.entriesOf(record.id)).find((e) => e.action === "key.revoke")?.id),
    );
    assert.deepEqual([...(await notifyIds())].sort(), revokeIds.map((id) => `notify:${id}:webhook`).sort());
    assert.equal(cli(["audit", "verify"]).status, 0);
    await f.notify.obliterate({ force: true });
  });

  it("a refused finding keeps its batch failed by index only; the others are acted on; report failed lists and retries it", async () => {
    const w = f.startWorker(["--queues", "findings"], { LEAKSTOP_SECURITY_CONTACT: "" });
    await w.ready;
    const good = await f.registry.create({ owner }, "t");
    const refused = { v: 1, findingId: good.key, secretHash: "x", secret: good.key };
    await f.findings.add(FINDING_BATCH_JOB, batch([findingFor(good.key, "c.env"), refused]) as never, {
      jobId: "batch:refused:2",
    });
    await waitFor("the batch to fail", async () => (await stateOf("batch:refused:2")) === "failed");
    assert.equal((await f.registry.get(good.record.id))?.status, "revoked", "the valid finding was acted on");
    const job = await f.findings.getJob("batch:refused:2");
    assert.match(job?.failedReason ?? "", /^finding job refused: finding 1: findingId is not 64 hex digits$/);
    w.child.kill("SIGTERM");
    assert.equal(await w.exited, 0);
    assert.ok(!w.output().includes(good.key), "a raw key reached the log");

    const listed = cli(["report", "failed", "--format", "json"]);
    assert.equal(listed.status, 0, listed.err);
    const rows = JSON.parse(listed.out) as Array<Record<string, unknown>>;
    const row = rows.find((r) => r.id === "batch:refused:2");
    assert.deepEqual(
      { queue: row?.queue, name: row?.name, findings: row?.findings, reason: row?.reason },
      {
        queue: "findings",
        name: "batch",
        findings: 2,
        reason: "finding job refused: finding 1: findingId is not 64 hex digits",
      },
    );
    assert.ok(!listed.out.includes(good.key));
    const text = cli(["report", "failed"]);
    assert.match(text.out, /^batch:refused:2 {2}findings: 2 finding\(s\)$/m);
    assert.equal(cli(["report", "failed", "--id", "x"]).status, 2, "--id without --retry");
    const missing = cli(["report", "failed", "--retry", "--id", "batch:nope:1"]);
    assert.equal(missing.status, 2);
    assert.match(missing.err, /no failed job "batch:nope:1"/);

    // Retried: back on the queue with fresh attempts; the finding already acted on changes nothing.
    const retried = cli(["report", "failed", "--retry", "--id", "batch:refused:2"]);
    assert.equal(retried.status, 0, retried.err);
    assert.match(retried.out, /^retrying batch:refused:2 \(findings\)$/m);
    assert.equal(await stateOf("batch:refused:2"), "waiting");
    const again = f.startWorker(["--queues", "findings"], { LEAKSTOP_SECURITY_CONTACT: "" });
    await again.ready;
    await waitFor("the retried batch to fail again", async () => (await stateOf("batch:refused:2")) === "failed");
    again.child.kill("SIGTERM");
    assert.equal(await again.exited, 0);
    const actions = (await f.entriesOf(good.record.id)).map((e) => e.action);
    assert.deepEqual(actions, ["key.create", "key.revoke"]);
    await f.findings.remove("batch:refused:2");
    await f.notify.obliterate({ force: true });
  });

  it("kill -9 of a worker with batches in flight: the other one retakes them; each key revoked, audited and notified once", async () => {
    const stalledFast = [
      "--queues",
      "findings",
      "--concurrency",
      "8",
      "--lock-duration",
      "1000",
      "--stalled-interval",
      "300",
    ];
    const [a, b] = [f.startWorker(stalledFast), f.startWorker(stalledFast)];
    await Promise.all([a.ready, b.ready]);
    const made = await Promise.all(Array.from({ length: 300 }, () => f.registry.create({ owner }, "t")));
    const before = (await f.findings.getJobCounts("completed")).completed ?? 0;
    // Each key reported from two places; batches of 10 (60 jobs), so repeats race with revocations.
    const producer = new FindingsProducer(f.redis, "leakstop", 10);
    const sent = await producer.enqueue(
      made.flatMap(({ key }) => [findingFor(key, "a.env"), findingFor(key, "b.env")]),
    );
    // The same findings again: all duplicates, nothing enqueued.
    const resent = await producer.enqueue(
      made.flatMap(({ key }) => [findingFor(key, "a.env"), findingFor(key, "b.env")]),
    );
    await producer.close();
    assert.deepEqual([sent.added, sent.batches.length, resent.added, resent.duplicates], [600, 60, 0, 600]);
    await waitFor(
      "a few batches",
      async () => ((await f.findings.getJobCounts("completed")).completed ?? 0) >= before + 6,
    );
    a.child.kill("SIGKILL");
    assert.equal(await a.exited, "SIGKILL");
    await f.waitCompleted(before + sent.batches.length, 60_000);
    const counts = await f.findings.getJobCounts("failed", "active", "waiting");
    assert.deepEqual(counts, { failed: 0, active: 0, waiting: 0 });
    const jobs = await Promise.all(sent.batches.map((id) => f.findings.getJob(id)));
    assert.ok(
      jobs.some((j) => (j?.stalledCounter ?? 0) > 0),
      "some batch was active in the killed worker and retaken as stalled",
    );
    const ids = await notifyIds();
    assert.equal(ids.size, made.length, "one notification per key");
    for (const { record } of made) {
      const entries = await f.entriesOf(record.id);
      assert.deepEqual(
        entries.map((e) => e.action),
        ["key.create", "key.revoke", "key.revoke_repeat"],
        record.id,
      );
      assert.ok(ids.has(`notify:${entries[1]?.id}:webhook`), record.id);
    }
    b.child.kill("SIGTERM");
    assert.equal(await b.exited, 0);
    assert.equal(cli(["audit", "verify"]).status, 0);
  });
});
