/**
 * `leakstop server` on a local three-master Redis Cluster (REDIS_URL lists the nodes), as an
 * operator runs it: a bootstrap admin key from the CLI, /healthz, keys issued and verified over
 * HTTP, a finding POSTed to /v1/findings revoked by a `leakstop worker` on the same cluster, and
 * the audit chain verifying over HTTP and from the CLI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { findingIdOf } from "../../../src/queue/finding-id.js";
import { CLI, startCli, stopCli } from "../../e2e/cli.js";
import { type RedisCluster, startRedisCluster } from "../../helpers/redis-cluster.js";
import { findingFor } from "../worker/harness.js";

describe("leakstop server on Redis Cluster", () => {
  let cluster: RedisCluster;
  let env: Record<string, string>;
  before(async () => {
    cluster = await startRedisCluster();
    env = { REDIS_URL: cluster.url, LEAKSTOP_AUDIT_KEY: "" };
  });
  after(async () => {
    await cluster?.dispose();
  });

  it("serves health, keys, verify and findings; a worker revokes what was reported; the chain verifies", async () => {
    const boot = spawnSync(
      process.execPath,
      [CLI, "keys", "create", "--bootstrap-admin", "--force", "--format", "json"],
      {
        env: { ...process.env, ...env },
        encoding: "utf8",
      },
    );
    assert.equal(boot.status, 0, boot.stderr);
    const admin: string = JSON.parse(boot.stdout).key;
    const server = startCli(["server", "--port", "0"], env, /listening on (http:\/\/\S+)/);
    const worker = startCli(["worker", "--org-scans", "0"], env, /"worker ready"/);
    try {
      const url = (await server.up).match[1] as string;
      await worker.up;
      const call = async (path: string, body?: unknown) => {
        const res = await fetch(`${url}${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: {
            authorization: `Bearer ${admin}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      assert.deepEqual((await call("/healthz")).body, { status: "ok", redis: "ok" });
      const created = await call("/v1/keys", { owner: { id: "cluster-e2e" } });
      assert.equal(created.status, 201);
      const key = created.body.key as string;
      const id = (created.body.record as { id: string }).id;
      assert.equal((await call("/v1/keys/verify", { key })).body.valid, true);
      const base = findingFor(key, "deploy/prod.env");
      const finding = { ...base, findingId: findingIdOf(base.secretHash, base.location) };
      const sent = await call("/v1/findings", { findings: [finding] });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      assert.deepEqual(sent.body, { accepted: 1, duplicates: 0 });
      const until = Date.now() + 20_000;
      let verdict = await call("/v1/keys/verify", { key });
      while (verdict.body.valid !== false && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 50));
        verdict = await call("/v1/keys/verify", { key });
      }
      assert.equal(verdict.body.valid, false);
      assert.equal(verdict.body.reason, "revoked");
      const record = (await call(`/v1/keys/${id}`)).body as { status?: string; revokedBy?: string };
      assert.equal(record.status, "revoked");
      assert.equal(record.revokedBy, "leakstop-worker");
      const chain = await call("/v1/audit/verify");
      assert.equal(chain.status, 200);
      assert.equal(chain.body.ok, true, JSON.stringify(chain.body));
      const cli = spawnSync(process.execPath, [CLI, "audit", "verify"], {
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
      assert.equal(cli.status, 0, cli.stdout + cli.stderr);
    } finally {
      assert.equal(await stopCli(worker), 0);
      assert.equal(await stopCli(server), 0);
    }
  });
});
