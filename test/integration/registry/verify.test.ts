import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Registry } from "../../../src/registry/index.js";
import { type RegistryFixture, startRegistry } from "./fixture.js";

let f: RegistryFixture;
before(async () => {
  f = await startRegistry();
});
after(async () => {
  await f.close();
});

const owner = { id: "acme" };
const recordKey = (keyHash: string) => `leakstop:key:{${keyHash}}`;

describe("scopes", () => {
  it("passes a granted scope and fails one that was not granted", async () => {
    const { key } = await f.registry.create({ owner, scopes: ["keys:read", "audit:read"] }, "t");
    assert.equal((await f.registry.verify(key, { scope: "keys:read" })).valid, true);
    assert.equal((await f.registry.verify(key, { scope: "keys:read,audit:read" })).valid, true);
    assert.equal((await f.registry.verify(key, { scope: "keys:write" })).reason, "scope");
    assert.equal((await f.registry.verify(key, { scope: "keys:read keys:write" })).reason, "scope");
    assert.equal((await f.registry.verify(key, { scope: "keys" })).reason, "scope", "no prefix matching");
    assert.equal((await f.registry.verify(key)).valid, true, "no scope asked");
  });
});

describe("source-IP CIDR allowlist", () => {
  it("checks IPv4 and IPv6 ranges", async () => {
    const cidrs = ["10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1/128"];
    const { key } = await f.registry.create({ owner, cidrs }, "t");
    const cases: [string, boolean][] = [
      ["10.0.0.1", true],
      ["10.255.255.255", true],
      ["11.0.0.1", false],
      ["192.168.1.7", true],
      ["192.168.1.8", false],
      ["2001:db8:1::5", true],
      ["2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff", true],
      ["2001:db9::1", false],
      ["::1", true],
      ["::2", false],
      ["::ffff:10.1.2.3", true],
      ["::ffff:11.1.2.3", false],
    ];
    for (const [ip, ok] of cases) {
      const v = await f.registry.verify(key, { ip });
      assert.equal(v.valid, ok, ip);
      if (!ok) assert.equal(v.reason, "ip", ip);
    }
  });

  it("fails closed when the key has CIDRs and no or a malformed address is given", async () => {
    const { key } = await f.registry.create({ owner, cidrs: ["10.0.0.0/8"] }, "t");
    assert.equal((await f.registry.verify(key)).reason, "ip");
    assert.equal((await f.registry.verify(key, { ip: "not-an-ip" })).reason, "ip");
    const open = await f.registry.create({ owner }, "t");
    assert.equal((await f.registry.verify(open.key, { ip: "203.0.113.9" })).valid, true, "no CIDRs: any address");
  });

  it("honours non-octet prefix lengths", async () => {
    const { key } = await f.registry.create({ owner, cidrs: ["172.16.0.0/12", "fe80::/10"] }, "t");
    assert.equal((await f.registry.verify(key, { ip: "172.31.255.1" })).valid, true);
    assert.equal((await f.registry.verify(key, { ip: "172.32.0.1" })).valid, false);
    assert.equal((await f.registry.verify(key, { ip: "febf::1" })).valid, true);
    assert.equal((await f.registry.verify(key, { ip: "fec0::1" })).valid, false);
  });
});

describe("rate limit", () => {
  it("trips at the configured rate, reports remaining and reset, and recovers", async () => {
    const { key } = await f.registry.create({ owner, rateLimit: { limit: 5, windowSeconds: 60 } }, "t");
    const remaining = [];
    for (let i = 0; i < 5; i++) {
      const v = await f.registry.verify(key);
      assert.equal(v.valid, true, `request ${i + 1}`);
      assert.equal(v.rateLimit?.limit, 5);
      remaining.push(v.rateLimit?.remaining);
    }
    assert.deepEqual(remaining, [4, 3, 2, 1, 0]);
    const tripped = await f.registry.verify(key);
    assert.equal(tripped.valid, false);
    assert.equal(tripped.reason, "rate_limited");
    assert.deepEqual(tripped.rateLimit, { limit: 5, remaining: 0, resetSeconds: 12 });

    f.clock.advance(11);
    assert.equal((await f.registry.verify(key)).reason, "rate_limited", "not yet");
    f.clock.advance(1);
    const one = await f.registry.verify(key);
    assert.equal(one.valid, true, "one request every window/limit");
    assert.equal(one.rateLimit?.remaining, 0);
    assert.equal((await f.registry.verify(key)).reason, "rate_limited");

    f.clock.advance(60);
    const full = await f.registry.verify(key);
    assert.equal(full.valid, true);
    assert.equal(full.rateLimit?.remaining, 4, "a whole window later the bucket is full again");
  });

  it("lets a full burst of exactly `limit` through whatever the clock reads and the window/limit ratio", async () => {
    // A float TAT near 1.8e12 ms loses a fraction of a millisecond per use: with 5s/3 the third
    // request of a burst was refused and the first reported 1 left instead of 2.
    const start = f.clock.ms;
    for (const [limit, windowSeconds] of [
      [3, 5],
      [7, 60],
      [13, 1],
      [1000, 1],
      [11, 3600],
    ] as const) {
      f.clock.ms = 1_796_516_014_251 + limit;
      const { key } = await f.registry.create({ owner, rateLimit: { limit, windowSeconds } }, "t");
      for (let i = 0; i < limit; i++) {
        const v = await f.registry.verify(key);
        assert.equal(v.valid, true, `${limit}/${windowSeconds}s: request ${i + 1}`);
        assert.equal(v.rateLimit?.remaining, limit - 1 - i, `${limit}/${windowSeconds}s: remaining after ${i + 1}`);
      }
      const over = await f.registry.verify(key);
      assert.equal(over.reason, "rate_limited", `${limit}/${windowSeconds}s: one past the limit`);
      assert.equal(over.rateLimit?.resetSeconds, Math.ceil(windowSeconds / limit), "retry after one interval");
      f.clock.ms += Math.ceil((windowSeconds * 1000) / limit);
      assert.equal((await f.registry.verify(key)).valid, true, `${limit}/${windowSeconds}s: one interval later`);
    }
    f.clock.ms = start;
  });

  it("refuses a rate whose limit x window in ms cannot be counted exactly", async () => {
    await assert.rejects(
      f.registry.create({ owner, rateLimit: { limit: 1_000_000_000, windowSeconds: 31_536_000 } }, "t"),
      /2\^53/,
    );
  });

  it("keeps one budget per key", async () => {
    const a = await f.registry.create({ owner, rateLimit: { limit: 1, windowSeconds: 10 } }, "t");
    const b = await f.registry.create({ owner, rateLimit: { limit: 1, windowSeconds: 10 } }, "t");
    assert.equal((await f.registry.verify(a.key)).valid, true);
    assert.equal((await f.registry.verify(a.key)).reason, "rate_limited");
    assert.equal((await f.registry.verify(b.key)).valid, true);
  });

  it("does not spend the budget on requests refused for scope or address", async () => {
    const { key } = await f.registry.create(
      { owner, scopes: ["keys:read"], cidrs: ["10.0.0.0/8"], rateLimit: { limit: 2, windowSeconds: 60 } },
      "t",
    );
    for (let i = 0; i < 5; i++) {
      assert.equal((await f.registry.verify(key, { ip: "11.0.0.1" })).reason, "ip");
      assert.equal((await f.registry.verify(key, { ip: "10.0.0.1", scope: "keys:write" })).reason, "scope");
    }
    assert.equal((await f.registry.verify(key, { ip: "10.0.0.1" })).rateLimit?.remaining, 1);
  });
});

describe("usage counters", () => {
  it("counts successful verifications and denials, and records the last use", async () => {
    const { key, record } = await f.registry.create({ owner, scopes: ["keys:read"] }, "t");
    assert.equal(record.lastUsedAt, null);
    f.clock.advance(30);
    await f.registry.verify(key);
    await f.registry.verify(key, { scope: "keys:read" });
    await f.registry.verify(key, { scope: "keys:write" });
    await f.registry.flushUsage();
    const seen = await f.registry.get(record.id);
    assert.equal(seen?.usageCount, 2);
    assert.equal(seen?.lastUsedAt, new Date(f.clock.ms).toISOString());
    assert.equal(await f.redis.hget(recordKey(record.keyHash), "deniedCount"), "1");
  });

  it("writes the counts on its own within the flush interval, and on close", async () => {
    const registry = new Registry(f.redis, { issuer: "lsk", now: f.clock.now, usageFlushMs: 50 });
    const { key, record } = await registry.create({ owner }, "t");
    for (let i = 0; i < 5; i++) await registry.verify(key);
    let count = 0;
    for (let tries = 0; tries < 100 && count !== 5; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      count = (await registry.get(record.id))?.usageCount ?? 0;
    }
    assert.equal(count, 5, "flushed by the timer");
    const closing = new Registry(f.redis, { issuer: "lsk", now: f.clock.now, usageFlushMs: 3_600_000 });
    await closing.verify(key);
    await closing.close();
    assert.equal((await registry.get(record.id))?.usageCount, 6, "flushed on close");
  });

  it("keeps counts gathered while Redis is away and writes them once it is back", async () => {
    const g = await startRegistry({ appendonly: true, appendfsync: "always" });
    try {
      const { key, record } = await g.registry.create({ owner }, "t");
      for (let i = 0; i < 3; i++) await g.registry.verify(key);
      await g.server.kill();
      await assert.rejects(g.registry.flushUsage());
      await g.server.restart();
      await g.registry.flushUsage();
      assert.equal((await g.registry.get(record.id))?.usageCount, 3);
    } finally {
      await g.close();
    }
  });

  it("creates nothing for a key whose record is gone", async () => {
    const { key, record } = await f.registry.create({ owner }, "t");
    await f.registry.verify(key);
    await f.redis.del(recordKey(record.keyHash));
    await f.registry.flushUsage();
    assert.equal(await f.redis.exists(recordKey(record.keyHash)), 0);
  });
});

describe("a caller's key and the key it asks about, in one round trip (verifyForCaller)", () => {
  it("answers both verdicts as two verifies would, and counts both uses", async () => {
    const caller = await f.registry.create({ owner: { id: "gateway" }, scopes: ["keys:read"] }, "t");
    const asked = await f.registry.create({ owner, scopes: ["orders:read"] }, "t");
    const both = await f.registry.verifyForCaller({ key: caller.key, ip: "127.0.0.1" }, asked.key, {
      scope: "orders:read",
    });
    assert.equal(both.caller.valid, true);
    assert.equal(both.caller.keyId, caller.record.id);
    assert.deepEqual(both.caller.scopes, ["keys:read"]);
    assert.deepEqual(both.result, await f.registry.verify(asked.key, { scope: "orders:read" }));
    const denied = await f.registry.verifyForCaller({ key: caller.key }, asked.key, { scope: "orders:write" });
    assert.equal(denied.result?.reason, "scope");
    await f.registry.flushUsage();
    assert.equal((await f.registry.get(caller.record.id))?.usageCount, 2);
    assert.equal((await f.registry.get(asked.record.id))?.usageCount, 2, "two uses here, one by verify above");
    assert.equal(await f.redis.hget(recordKey(asked.record.keyHash), "deniedCount"), "1");
  });

  it("leaves the asked-about key untouched (no rate spent, no use counted) when the caller's key is not valid", async () => {
    const asked = await f.registry.create({ owner, rateLimit: { limit: 2, windowSeconds: 60 } }, "t");
    const revoked = await f.registry.create({ owner: { id: "gateway" } }, "t");
    await f.registry.revoke(revoked.record.id, "test", "t");
    const fenced = await f.registry.create({ owner: { id: "gateway" }, cidrs: ["10.0.0.0/8"] }, "t");
    const limited = await f.registry.create(
      { owner: { id: "gateway" }, rateLimit: { limit: 1, windowSeconds: 60 } },
      "t",
    );
    assert.equal((await f.registry.verify(limited.key)).valid, true, "spends the caller's only use");
    const cases: [string, string | undefined, string][] = [
      [revoked.key, "127.0.0.1", "revoked"],
      [fenced.key, "127.0.0.1", "ip"],
      [limited.key, "127.0.0.1", "rate_limited"],
      ["lsk_live_not-a-key", "127.0.0.1", "malformed"],
    ];
    for (const [key, ip, reason] of cases) {
      const both = await f.registry.verifyForCaller({ key, ip }, asked.key);
      assert.equal(both.caller.reason, reason);
      assert.equal(both.result, null, reason);
    }
    await f.registry.flushUsage();
    assert.equal((await f.registry.get(asked.record.id))?.usageCount, 0);
    assert.equal(await f.redis.hget(recordKey(asked.record.keyHash), "deniedCount"), "0");
    assert.equal((await f.registry.verify(asked.key)).rateLimit?.remaining, 1, "the whole budget is left");
  });

  it("answers a key that fails offline without asking Redis about it, and still checks the caller", async () => {
    const caller = await f.registry.create({ owner: { id: "gateway" } }, "t");
    const malformed = await f.registry.verifyForCaller({ key: caller.key }, "lsk_live_short");
    assert.equal(malformed.caller.valid, true);
    assert.deepEqual(malformed.result, { valid: false, reason: "malformed" });
    const badIp = await f.registry.verifyForCaller({ key: caller.key }, caller.key, { ip: "not-an-ip" });
    assert.deepEqual(badIp.result, { valid: false, reason: "ip" });
    await f.registry.revoke(caller.record.id, "test", "t");
    const gone = await f.registry.verifyForCaller({ key: caller.key }, "lsk_live_short");
    assert.equal(gone.caller.reason, "revoked");
    assert.equal(gone.result, null);
  });
});
