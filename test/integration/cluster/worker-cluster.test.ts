/**
 * Findings → revoked with two `leakstop worker` processes on a local three-master Redis Cluster
 * (REDIS_URL lists the nodes): the queues under `{leakstop}:q`, the registry and its audit chain
 * under `{leakstop}`. Each key reported twice is revoked once with one revoke entry (and one
 * repeat), and `leakstop audit verify` passes against the cluster.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { Queue } from "bullmq";
import { Cluster } from "ioredis";
import type { FindingJob } from "../../../src/queue/jobs.js";
import { FINDINGS_QUEUE, queuePrefix } from "../../../src/queue/names.js";
import { AuditLog, Registry } from "../../../src/registry/index.js";
import { type RedisCluster, startRedisCluster } from "../../helpers/redis-cluster.js";
import { CLI, findingFor } from "../worker/harness.js";

describe("leakstop worker on Redis Cluster", () => {
  let cluster: RedisCluster;
  let redis: Cluster;
  let bull: Cluster;
  let findings: Queue<FindingJob>;
  const children: ReturnType<typeof spawn>[] = [];
  before(async () => {
    cluster = await startRedisCluster();
    const nodes = cluster.nodes.map((n) => ({ host: "127.0.0.1", port: n.port }));
    redis = new Cluster(nodes);
    bull = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null } });
    findings = new Queue<FindingJob>(FINDINGS_QUEUE, { connection: bull, prefix: queuePrefix() });
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await findings?.close();
    redis?.disconnect();
    bull?.disconnect();
    await cluster?.dispose();
  });

  function startWorker(): Promise<void> {
    const child = spawn(process.execPath, [CLI, "worker", "--concurrency", "8"], {
      env: { ...process.env, REDIS_URL: cluster.url, LEAKSTOP_AUDIT_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    return new Promise((resolve, reject) => {
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes('"worker ready"')) resolve();
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${out.slice(-1500)}`)));
    });
  }

  it("two worker processes revoke each reported key once, with one audit entry, and audit verify passes", async () => {
    const registry = new Registry(redis, { issuer: "lsk", auditSigner: null });
    const made = await Promise.all(Array.from({ length: 40 }, () => registry.create({ owner: { id: "acme" } }, "t")));
    await Promise.all([startWorker(), startWorker()]);
    const jobs = made.flatMap(({ key }) => [findingFor(key, "a.env"), findingFor(key, "b.env")]);
    await findings.addBulk(jobs.map((j) => ({ name: "finding", data: j, opts: { jobId: j.findingId } })));
    const until = Date.now() + 60_000;
    for (;;) {
      const counts = await findings.getJobCounts("completed", "failed");
      assert.equal(counts.failed ?? 0, 0, "no finding job failed");
      if ((counts.completed ?? 0) >= jobs.length) break;
      assert.ok(Date.now() < until, `only ${JSON.stringify(counts)} of ${jobs.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const actions = new Map<string, string[]>();
    for await (const e of new AuditLog(redis).export()) {
      if (e.keyId) actions.set(e.keyId, [...(actions.get(e.keyId) ?? []), e.action]);
    }
    for (const { key, record } of made) {
      assert.deepEqual(actions.get(record.id), ["key.create", "key.revoke", "key.revoke_repeat"], record.id);
      assert.equal((await registry.verify(key)).valid, false);
    }
    await registry.close();
    const verify = spawnSync(process.execPath, [CLI, "audit", "verify"], {
      env: { ...process.env, REDIS_URL: cluster.url, LEAKSTOP_AUDIT_KEY: "" },
      encoding: "utf8",
    });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    for (const c of children) c.kill("SIGTERM");
  });
});
