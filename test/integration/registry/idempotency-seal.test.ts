/**
 * Where the new key held for an idempotent retry can be unsealed: with
 * LEAKSTOP_SEAL_KEY or the audit key (LEAKSTOP_AUDIT_KEY) by every process, also
 * after a restart; without either only by the process that sealed it, and a
 * retry elsewhere gets a clear LS_IDEMPOTENCY_UNSEALABLE (HTTP 410) naming the
 * key id the first attempt issued, never a 409 and never the key.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { generateAuditKeyPair } from "../../../src/audit/signing.js";
import { AuditLog, Registry, ROLE_SCOPES } from "../../../src/registry/index.js";
import { sealerFromEnv, sealKeyFromAuditKey } from "../../../src/registry/seal.js";
import { buildServer } from "../../../src/server/app.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";
import { signerFromPem } from "../audit/fixture.js";

describe("sealing of keys held for idempotent retries", () => {
  let redisServer: RedisServer;
  let redis: Redis;
  before(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
  });
  after(async () => {
    redis?.disconnect();
    await redisServer?.dispose();
  });

  it("derives the same sealing key from the same audit key, another from another", () => {
    const pem = generateAuditKeyPair().privatePem;
    assert.deepEqual(sealKeyFromAuditKey(signerFromPem(pem)), sealKeyFromAuditKey(signerFromPem(pem)));
    assert.notDeepEqual(
      sealKeyFromAuditKey(signerFromPem(pem)),
      sealKeyFromAuditKey(signerFromPem(generateAuditKeyPair().privatePem)),
    );
    assert.equal(sealerFromEnv({}, signerFromPem(pem)).durable, true);
    assert.equal(sealerFromEnv({}).durable, false);
  });

  it("with the audit key only, a restarted process replays the same key", async () => {
    const pem = generateAuditKeyPair().privatePem;
    const first = new Registry(redis, {
      auditSigner: signerFromPem(pem),
      sealer: sealerFromEnv({}, signerFromPem(pem)),
    });
    const created = await first.create({ owner: { id: "audit-sealed" } }, "alice", { idempotencyKey: "a-1" });
    const restarted = new Registry(redis, {
      auditSigner: signerFromPem(pem),
      sealer: sealerFromEnv({}, signerFromPem(pem)),
    });
    const retry = await restarted.create({ owner: { id: "audit-sealed" } }, "alice", { idempotencyKey: "a-1" });
    assert.equal(retry.key, created.key);
    assert.equal(retry.record.id, created.record.id);
  });

  it("without a shared key, another process answers LS_IDEMPOTENCY_UNSEALABLE naming the key id, not the key", async () => {
    const first = new Registry(redis, { auditSigner: null, sealer: sealerFromEnv({}) });
    const created = await first.create({ owner: { id: "process-sealed" } }, "alice", { idempotencyKey: "p-1" });
    const again = await first.create({ owner: { id: "process-sealed" } }, "alice", { idempotencyKey: "p-1" });
    assert.equal(again.key, created.key, "the same process can still show it");
    const restarted = new Registry(redis, { auditSigner: null, sealer: sealerFromEnv({}) });
    await assert.rejects(
      restarted.create({ owner: { id: "process-sealed" } }, "alice", { idempotencyKey: "p-1" }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, "LS_IDEMPOTENCY_UNSEALABLE");
        assert.ok(err.message.includes(created.record.id));
        assert.match(err.message, /LEAKSTOP_SEAL_KEY/);
        assert.ok(!err.message.includes(created.key));
        return true;
      },
    );
    assert.equal((await first.list({ owner: "process-sealed" })).items.length, 1, "nothing was created twice");
  });

  it("over HTTP the restarted server answers 410 LS_GONE, not 409", async () => {
    const start = async () => {
      const registry = new Registry(redis, { auditSigner: null, sealer: sealerFromEnv({}) });
      const app = await buildServer({ registry, audit: new AuditLog(redis), redis, ipRateLimit: null });
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      return { app, registry, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` };
    };
    const one = await start();
    const admin = await one.registry.create({ owner: { id: "ops" }, scopes: ROLE_SCOPES.admin }, "test");
    const post = (url: string) =>
      fetch(`${url}/v1/keys`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin.key}`, "content-type": "application/json", "idempotency-key": "h-1" },
        body: JSON.stringify({ owner: { id: "http-sealed" } }),
      });
    const first = await post(one.url);
    assert.equal(first.status, 201);
    const firstBody = (await first.json()) as { key: string; record: { id: string } };
    await one.app.close();
    const two = await start();
    const retry = await post(two.url);
    const text = await retry.text();
    await two.app.close();
    assert.equal(retry.status, 410, text);
    assert.equal(JSON.parse(text).error.code, "LS_GONE");
    assert.ok(text.includes(firstBody.record.id));
    assert.ok(!text.includes(firstBody.key));
  });
});
