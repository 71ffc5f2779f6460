/**
 * Fault tests with real processes: a worker killed with SIGKILL in the middle of a batch (its
 * active jobs are retaken as stalled by the other worker), and a log that never shows a raw
 * key, whatever odd fields a job carries. Afterwards every finding is accounted for, each key
 * was revoked once with one audit entry and one notification, and `leakstop audit verify` passes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { generateKey } from "../../../src/keyformat/key-format.js";
import { parseWebhookAllow } from "../../../src/notify/webhook-url.js";
import { Registry } from "../../../src/registry/index.js";
import { startReceiver, waitFor } from "../notify/fixture.js";
import { CLI, findingFor, startWorkerFixture, type WorkerFixture } from "./harness.js";

const owner = { id: "acme", webhook: "https://acme.test/hook" };

let f: WorkerFixture;
before(async () => {
  f = await startWorkerFixture();
});
after(async () => {
  await f.close();
});

function auditVerify(): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, "audit", "verify"], {
    env: { ...process.env, REDIS_URL: f.server.url, LEAKSTOP_AUDIT_KEY: "" },
    encoding: "utf8",
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("worker faults", () => {
  it("kill -9 of a worker mid-batch: the other one completes its jobs; each key revoked, audited and notified once", async () => {
    const receiver = await startReceiver(() => 200);
    const local = new Registry(f.redis, {
      issuer: "lsk",
      auditSigner: null,
      webhookAllow: parseWebhookAllow("127.0.0.1"),
    });
    const env = { LEAKSTOP_WEBHOOK_ALLOW: "127.0.0.1", LEAKSTOP_WEBHOOK_SECRET: "s" };
    const stalledFast = ["--concurrency", "16", "--lock-duration", "1000", "--stalled-interval", "300"];
    const [a, b] = [f.startWorker(stalledFast, env), f.startWorker(stalledFast, env)];
    await Promise.all([a?.ready, b?.ready]);
    const made = await Promise.all(
      Array.from({ length: 300 }, () => local.create({ owner: { id: "acme", webhook: receiver.url } }, "t")),
    );
    // Each key is reported from two places, so repeats race with revocations too.
    const jobs = made.flatMap(({ key }) => [findingFor(key, "a.env"), findingFor(key, "b.env")]);
    await f.findings.addBulk(jobs.map((j) => ({ name: "finding", data: j, opts: { jobId: j.findingId } })));
    while (((await f.findings.getJobCounts("completed")).completed ?? 0) < 60)
      await new Promise((r) => setTimeout(r, 1));
    a?.child.kill("SIGKILL");
    assert.equal(await a?.exited, "SIGKILL");
    await f.waitCompleted(jobs.length, 60_000);
    assert.deepEqual(await f.findings.getJobCounts("failed", "active", "waiting"), {
      failed: 0,
      active: 0,
      waiting: 0,
    });
    const completed = await f.findings.getJobs(["completed"], 0, -1);
    assert.ok(
      completed.some((j) => j.stalledCounter > 0),
      "some job was active in the killed worker and retaken as stalled",
    );
    const notifyIds = new Set(
      (await f.notify.getJobs(["waiting", "delayed", "active", "completed", "failed"])).map((j) => j.id),
    );
    assert.equal(notifyIds.size, made.length, "one notification per key");
    const byKey = new Map<string, string[]>();
    const revokeIds = new Map<string, string>();
    for await (const e of f.audit.export()) {
      if (!e.keyId) continue;
      byKey.set(e.keyId, [...(byKey.get(e.keyId) ?? []), e.action]);
      if (e.action === "key.revoke") revokeIds.set(e.keyId, e.id);
    }
    for (const { record } of made) {
      assert.deepEqual(byKey.get(record.id), ["key.create", "key.revoke", "key.revoke_repeat"], record.id);
      // The notification's eventId is the revocation's audit entry id, whichever worker enqueued it.
      assert.ok(notifyIds.has(`notify:${revokeIds.get(record.id)}:webhook`), record.id);
      assert.equal((await f.registry.get(record.id))?.status, "revoked");
    }
    // The owner heard of each revocation: every eventId arrived (a delivery cut short by the kill
    // may arrive twice under the same Leakstop-Delivery id, which is what that header is for).
    const expected = new Set(revokeIds.values());
    const delivered = () => new Set(receiver.received.map((r) => String(r.headers["leakstop-delivery"])));
    await waitFor("every notification", () => delivered().size >= expected.size, 60_000);
    assert.deepEqual([...delivered()].sort(), [...expected].sort());
    b?.child.kill("SIGTERM");
    assert.equal(await b?.exited, 0);
    await receiver.close();
    await local.close();
    const verify = auditVerify();
    assert.equal(verify.status, 0, verify.out);
    await f.notify.obliterate({ force: true });
  });

  it("never writes a raw key to its logs, whatever fields a job carries", async () => {
    const w = f.startWorker([], { LEAKSTOP_LOG_LEVEL: "debug", LEAKSTOP_SECURITY_CONTACT: "" });
    await w.ready;
    const { key, record } = await f.registry.create({ owner }, "t");
    const stranger = generateKey("lsk");
    const before = await f.findings.getJobCounts("completed", "failed");
    const odd = findingFor(key, `config/${key}.env`);
    const oddData = {
      ...odd,
      secret: key,
      match: key,
      notes: { deep: [key, { again: key }] },
      location: { ...odd.location, extra: key },
    };
    const unknownOwn = findingFor(stranger, `leak/${stranger}`);
    const thirdParty = findingFor("ghp_notreallyatoken", "x.env", 1, {
      ruleId: `weird-${key}`,
      provider: "other",
    });
    await f.findings.addBulk([
      { name: "finding", data: oddData, opts: { jobId: odd.findingId } },
      { name: "finding", data: unknownOwn, opts: { jobId: unknownOwn.findingId } },
      { name: "finding", data: thirdParty, opts: { jobId: thirdParty.findingId } },
      // Not FindingJobs at all: refused, their content never repeated.
      {
        name: "finding",
        data: { v: 1, findingId: key, secretHash: stranger, secret: key } as never,
        opts: { jobId: "bad-1" },
      },
      { name: "finding", data: { v: 2, ruleId: key } as never, opts: { jobId: "bad-2" } },
    ]);
    const until = Date.now() + 20_000;
    for (;;) {
      const c = await f.findings.getJobCounts("completed", "failed");
      // The third-party secret with no security contact is kept failed, beside the two refused jobs.
      if ((c.completed ?? 0) - (before.completed ?? 0) >= 2 && (c.failed ?? 0) - (before.failed ?? 0) >= 3) break;
      assert.ok(Date.now() < until, JSON.stringify(c));
      await new Promise((r) => setTimeout(r, 20));
    }
    w.child.kill("SIGTERM");
    assert.equal(await w.exited, 0);
    const out = w.output();
    for (const secret of [key, stranger]) assert.ok(!out.includes(secret), "a raw key reached the log");
    const lines = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const revoked = lines.find((l) => l.outcome === "revoked");
    assert.equal(revoked?.keyId, record.id);
    assert.match(String(revoked?.where), /config\/\[key removed\]\.env/);
    assert.ok(lines.some((l) => l.outcome === "unknown-own-key"));
    assert.ok(lines.some((l) => l.outcome === "unrevocable-no-contact" && l.ruleId === "weird-[key removed]"));
    // No security contact: kept failed with the variable named, as the provider-revoke queue does.
    const kept = await f.findings.getJob(thirdParty.findingId);
    assert.equal(await kept?.getState(), "failed");
    assert.match(kept?.failedReason ?? "", /^LS_CONFIG_INVALID: LEAKSTOP_SECURITY_CONTACT is not set/);
    assert.ok(lines.some((l) => String(l.msg).startsWith("LEAKSTOP_SECURITY_CONTACT is not set")));
    assert.equal(lines.filter((l) => l.msg === "finding job refused").length, 2);
    // Nor does the audit trail or the record.
    const stored = await f.registry.get(record.id);
    assert.equal(stored?.revokeReason, "leaked: leakstop-key at acme/app:config/[key removed].env:3");
    for (const e of await f.entriesOf(record.id)) assert.ok(!JSON.stringify(e).includes(key));
    assert.equal(auditVerify().status, 0);
  });
});
