/**
 * The registry and the audit chain on a local three-master Redis Cluster: create, verify, rotate,
 * revoke and expire run their multi-key Lua scripts in one slot (every key under `{leakstop}`),
 * and `audit verify` walks the chain. Also: the connection module picks cluster mode from a
 * comma-separated REDIS_URL, and an idempotent create/rotate/revoke (idempotency record + change in
 * one script) runs and replays there, its record in the slot of the registry keys.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import type { Cluster } from "ioredis";
import { loadServiceConfig, useServiceConfig } from "../../../src/config/service-config.js";
import { closeRedisClient, connectRedisClient, isClusterClient } from "../../../src/redis/cluster.js";
import { AuditLog, Registry, ROLE_SCOPES } from "../../../src/registry/index.js";
import { createSealer } from "../../../src/registry/seal.js";
import { CLI } from "../../e2e/cli.js";
import { type RedisCluster, startRedisCluster } from "../../helpers/redis-cluster.js";

const run = promisify(execFile);

describe("registry on Redis Cluster", () => {
  let cluster: RedisCluster;
  let redis: Cluster;
  before(async () => {
    cluster = await startRedisCluster();
    useServiceConfig(loadServiceConfig({ env: { REDIS_URL: cluster.url } }));
    const client = await connectRedisClient();
    assert.ok(isClusterClient(client), "a comma-separated REDIS_URL opens a Cluster client");
    redis = client;
  });
  after(async () => {
    useServiceConfig(null);
    if (redis) await closeRedisClient(redis);
    await cluster?.dispose();
  });

  it("creates, verifies, rotates and revokes keys, each with its audit entry, and the chain verifies", async () => {
    const registry = new Registry(redis, { issuer: "lsk", auditSigner: null, webhookAllow: undefined });
    try {
      const a = await registry.create({ owner: { id: "team-a" }, scopes: ROLE_SCOPES.issuer }, "test");
      assert.equal((await registry.verify(a.key)).valid, true);
      const b = await registry.rotate(a.record.id, { overlapSeconds: 0 }, "test");
      assert.equal((await registry.verify(b.key)).valid, true);
      // POST /v1/keys/verify's single script reads two keys' records: both live in the registry's slot.
      const c = await registry.create({ owner: { id: "team-c" }, scopes: ["orders:read"] }, "test");
      const both = await registry.verifyForCaller({ key: b.key, ip: "127.0.0.1" }, c.key, { scope: "orders:read" });
      assert.equal(both.caller.valid, true);
      assert.equal(both.result?.valid, true);
      await registry.revoke(b.record.id, "leaked", "test");
      assert.equal((await registry.verify(b.key)).valid, false);
      // The pipeline's batch lookup reads many keys' records in one script: all in the registry's slot.
      const many = await registry.getManyByHash([b.record.keyHash, "f".repeat(64), c.record.keyHash]);
      assert.deepEqual(
        many.map((r) => r && [r.id, r.status]),
        [[b.record.id, "revoked"], null, [c.record.id, "active"]],
      );
      assert.equal((await registry.verifyForCaller({ key: b.key }, c.key)).result, null);
      const keys = await redis.nodes("master")[0]!.keys("*");
      const all = (await Promise.all(redis.nodes("master").map((n) => n.keys("*")))).flat();
      assert.ok(all.length > 0 && all.every((k) => k.startsWith("{leakstop}:")), all.join(" "));
      assert.ok(keys.length === 0 || keys.length === all.length, "every registry key lives on one master");
    } finally {
      await registry.close();
    }
    const audit = new AuditLog(redis);
    const result = await audit.verify();
    assert.equal(result.ok, true);
    assert.ok(result.ok && result.count >= 3, JSON.stringify(result));
  });

  it("leakstop keys and audit verify work against the cluster from the CLI", async () => {
    const env = { ...process.env, REDIS_URL: cluster.url };
    const created = await run(
      process.execPath,
      [CLI, "keys", "create", "--owner", "team-b", "--role", "issuer", "--format", "json"],
      { env },
    );
    const { key } = JSON.parse(created.stdout) as { key: string };
    const verified = await run(process.execPath, [CLI, "keys", "verify", key], { env });
    assert.match(verified.stdout, /valid/i);
    const audit = await run(process.execPath, [CLI, "audit", "verify"], { env });
    assert.match(audit.stdout, /^audit trail intact: [4-9] entries/);
  });
  it("an idempotent create, rotate and revoke run and replay on the cluster, the idempotency record in the registry's slot", async () => {
    // A namespace of its own: the tests above count the keys and audit entries of "leakstop".
    const registry = new Registry(redis, {
      issuer: "lsk",
      namespace: "idemns",
      auditSigner: null,
      webhookAllow: undefined,
      sealer: createSealer(randomBytes(32), true),
    });
    try {
      const input = { owner: { id: "team-i" }, scopes: ROLE_SCOPES.issuer };
      const first = await registry.create(input, "test", { idempotencyKey: "create-1" });
      const replay = await registry.create(input, "test", { idempotencyKey: "create-1" });
      assert.equal(replay.key, first.key, "the replay gives back the first attempt's key");
      assert.equal(replay.record.id, first.record.id);
      assert.equal((await registry.list({})).items.length, 1, "the replay created nothing");
      await assert.rejects(
        registry.create({ ...input, owner: { id: "team-j" } }, "test", { idempotencyKey: "create-1" }),
        (e: { code?: string }) => e.code === "LS_IDEMPOTENCY_CONFLICT",
      );
      const rotated = await registry.rotate(first.record.id, { overlapSeconds: 0, idempotencyKey: "rot-1" }, "test");
      const rotatedAgain = await registry.rotate(
        first.record.id,
        { overlapSeconds: 0, idempotencyKey: "rot-1" },
        "test",
      );
      assert.equal(rotatedAgain.key, rotated.key);
      await registry.revoke(rotated.record.id, "leaked", "test", { idempotencyKey: "rev-1" });
      const revokedAgain = await registry.revoke(rotated.record.id, "leaked", "test", { idempotencyKey: "rev-1" });
      assert.equal(revokedAgain.status, "revoked");
      assert.equal((await registry.verify(rotated.key)).valid, false);

      const masters = redis.nodes("master");
      const perNode = await Promise.all(masters.map((n) => n.keys("{idemns}:*")));
      const all = perNode.flat();
      const idem = all.filter((k) => k.startsWith("{idemns}:idem:"));
      assert.equal(idem.length, 3, `one idempotency record per idempotency key: ${idem.join(" ")}`);
      assert.ok(
        all.some((k) => k.startsWith("{idemns}:key:")),
        all.join(" "),
      );
      assert.equal(perNode.filter((keys) => keys.length > 0).length, 1, "every key of the namespace is on one master");
      const slots = new Set(await Promise.all(all.map((k) => masters[0]!.cluster("KEYSLOT", k))));
      assert.equal(slots.size, 1, "idempotency records and registry keys hash to one slot");
    } finally {
      await registry.close();
    }
  });
});
