/** `keys rotate --idempotency-key`: a second run (a retry in a new process) prints the same new key. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { Registry } from "../../src/registry/index.js";
import { type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { leakstop } from "./cli.js";

describe("keys --idempotency-key", () => {
  let server: RedisServer;
  let redis: Redis;
  before(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  after(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it("a retried rotation in another process prints the same successor and key", async () => {
    const registry = new Registry(redis);
    const { record } = await registry.create({ owner: { id: "team" } }, "test");
    await registry.close();
    const env = { REDIS_URL: server.url, LEAKSTOP_SEAL_KEY: randomBytes(32).toString("hex") };
    const args = ["keys", "rotate", record.id, "--idempotency-key", "ticket-42", "--format", "json"];
    const first = leakstop(args, { env });
    const second = leakstop(args, { env });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const a = JSON.parse(first.stdout);
    const b = JSON.parse(second.stdout);
    assert.equal(b.id, a.id);
    assert.equal(b.key, a.key);
  });

  it("asks for LEAKSTOP_SEAL_KEY, in one line, when a retry could not show the key again", () => {
    const r = leakstop(["keys", "create", "--owner", "x", "--idempotency-key", "k1"], {
      env: { REDIS_URL: server.url, LEAKSTOP_SEAL_KEY: "" },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^leakstop: --idempotency-key needs LEAKSTOP_SEAL_KEY/);
  });
});
