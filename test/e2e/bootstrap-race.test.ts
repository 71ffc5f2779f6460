/**
 * `keys create --bootstrap-admin` checks and creates in one Lua script: ten real
 * CLI processes started at once against one Redis make exactly one admin key.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { Registry } from "../../src/registry/index.js";
import { type RedisServer, startRedisServer } from "../helpers/redis-server.js";
import { leakstopAsync as run } from "./cli.js";

describe("keys create --bootstrap-admin under a race", () => {
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

  it("ten concurrent processes create exactly one admin key; the other nine say why", async () => {
    const runs = await Promise.all(
      Array.from({ length: 10 }, () =>
        run(["keys", "create", "--bootstrap-admin", "--format", "json"], { REDIS_URL: server.url }),
      ),
    );
    const won = runs.filter((r) => r.code === 0);
    const lost = runs.filter((r) => r.code !== 0);
    assert.equal(won.length, 1, runs.map((r) => `${r.code} ${r.stderr}`).join("\n"));
    for (const r of lost) {
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^leakstop: .*an active admin key already exists/);
      assert.equal(r.stdout, "", "a loser prints no key");
    }
    const page = await new Registry(redis).list({});
    assert.equal(page.items.length, 1, "one record in the registry");
    assert.equal(page.items[0]?.id, JSON.parse(won[0]?.stdout ?? "{}").id);
    assert.equal(await redis.scard("leakstop:idx:admin"), 1);
  });

  it("bootstraps again once the only admin key is revoked", async () => {
    const registry = new Registry(redis);
    const [admin] = (await registry.list({ status: "active" })).items;
    assert.ok(admin);
    await registry.revoke(admin.id, "lost", "test");
    const again = await run(["keys", "create", "--bootstrap-admin", "--format", "json"], { REDIS_URL: server.url });
    assert.equal(again.code, 0, again.stderr);
    const blocked = await run(["keys", "create", "--bootstrap-admin"], { REDIS_URL: server.url });
    assert.equal(blocked.code, 2);
  });
});
