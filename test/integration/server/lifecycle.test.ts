/**
 * The whole key lifecycle over HTTP: create → verify ok → rotate → both verify
 * during the overlap, the old one fails after it → revoke → verify fails and says why.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isValidKey } from "../../../src/keyformat/key-format.js";
import { call, type Harness, startHarness } from "./harness.js";

/** Every value stored under a Redis key, whatever its type (DUMP would compress long strings). */
async function readAny(h: Harness, name: string): Promise<unknown> {
  switch (await h.redis.type(name)) {
    case "string":
      return h.redis.get(name);
    case "hash":
      return h.redis.hgetall(name);
    case "list":
      return h.redis.lrange(name, 0, -1);
    case "set":
      return h.redis.smembers(name);
    case "zset":
      return h.redis.zrange(name, "0", "-1", "WITHSCORES");
    case "stream":
      return h.redis.xrange(name, "-", "+");
    default:
      return null;
  }
}

describe("key lifecycle over HTTP", () => {
  let h: Harness;
  let clock = Date.now();
  before(async () => {
    h = await startHarness({}, () => clock);
  });
  after(async () => {
    await h?.close();
  });

  const verify = async (key: string, extra: Record<string, string> = {}) => {
    const res = await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: { key, ...extra } });
    assert.equal(res.status, 200, res.text);
    return res.body;
  };

  it("creates, verifies, rotates with overlap, expires the old key, revokes", async () => {
    const created = await call(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: {
        owner: { id: "acme", name: "Acme", email: "sec@acme.example" },
        name: "billing",
        scopes: ["orders:read"],
        env: "live",
      },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get("cache-control"), "no-store");
    const first: string = created.body.key;
    const id: string = created.body.record.id;
    assert.ok(isValidKey(first), "the API hands out checksum-valid keys");
    assert.equal(created.body.record.owner.id, "acme");
    assert.equal(created.body.record.status, "active");

    const ok = await verify(first, { scope: "orders:read" });
    assert.equal(ok.valid, true);
    assert.equal(ok.keyId, id);
    assert.deepEqual(ok.scopes, ["orders:read"]);
    assert.equal(ok.owner.email, undefined, "verify answers carry no contact details");

    const wrongScope = await verify(first, { scope: "orders:write" });
    assert.equal(wrongScope.valid, false);
    assert.equal(wrongScope.reason, "scope");

    const rotated = await call(h, "POST", `/v1/keys/${id}/rotate`, { key: h.adminKey, body: { overlapSeconds: 3600 } });
    assert.equal(rotated.status, 200, rotated.text);
    const second: string = rotated.body.key;
    const secondId: string = rotated.body.record.id;
    assert.notEqual(second, first);
    assert.equal(rotated.body.previous.id, id);
    assert.equal((await verify(first)).valid, true, "the old key verifies during the overlap");
    assert.equal((await verify(second)).valid, true, "the new key verifies");

    clock += 3601 * 1000;
    const old = await verify(first);
    assert.equal(old.valid, false, "the old key fails after the overlap");
    assert.match(old.reason, /rotated|expired/);
    assert.equal((await verify(second)).valid, true);

    const revoked = await call(h, "POST", `/v1/keys/${secondId}/revoke`, {
      key: h.adminKey,
      body: { reason: "leaked in a public gist" },
    });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.status, "revoked");
    assert.equal(revoked.body.revokeReason, "leaked in a public gist");
    assert.equal(revoked.body.key, undefined, "a record never carries the key");
    const gone = await verify(second);
    assert.deepEqual([gone.valid, gone.reason], [false, "revoked"]);

    const again = await call(h, "POST", `/v1/keys/${secondId}/rotate`, {
      key: h.adminKey,
      body: { overlapSeconds: 60 },
    });
    assert.equal(again.status, 409, "a revoked key cannot be rotated back to life");
    assert.equal(again.body.error.code, "LS_CONFLICT");
  });

  it("shows and lists keys by owner and status, a page at a time, without the keys", async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(h, "POST", "/v1/keys", { key: h.adminKey, body: { owner: { id: "pager" } } });
      assert.equal(res.status, 201);
      keys.push(res.body.key);
    }
    const page1 = await call(h, "GET", "/v1/keys?owner=pager&limit=2", { key: h.adminKey });
    assert.equal(page1.status, 200, page1.text);
    assert.equal(page1.body.items.length, 2);
    assert.ok(page1.body.nextCursor);
    const cursor = encodeURIComponent(page1.body.nextCursor);
    const page2 = await call(h, "GET", `/v1/keys?owner=pager&limit=2&cursor=${cursor}`, { key: h.adminKey });
    assert.equal(page2.status, 200, page2.text);
    const ids = [...page1.body.items, ...page2.body.items].map((r: { id: string }) => r.id);
    assert.equal(new Set(ids).size, 3);
    for (const key of keys) {
      assert.ok(!page1.text.includes(key) && !page2.text.includes(key), "a list never carries a key");
    }
    const one = await call(h, "GET", `/v1/keys/${ids[0]}`, { key: h.adminKey });
    assert.equal(one.status, 200);
    assert.equal(one.body.owner.id, "pager");
    assert.match(one.body.hint, /…/);
    const revokedOnly = await call(h, "GET", "/v1/keys?owner=pager&status=revoked", { key: h.adminKey });
    assert.deepEqual(revokedOnly.body.items, []);
  });

  it("applies the verified key's CIDR list and rate limit, and reports remaining calls", async () => {
    const created = await call(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: {
        owner: { id: "gw" },
        cidrs: ["192.0.2.0/24", "2001:db8::/32"],
        rateLimit: { limit: 2, windowSeconds: 3600 },
      },
    });
    assert.equal(created.status, 201, created.text);
    const key: string = created.body.key;
    const outside = await verify(key, { ip: "198.51.100.7" });
    assert.deepEqual([outside.valid, outside.reason], [false, "ip"]);
    const first = await verify(key, { ip: "192.0.2.10" });
    assert.equal(first.valid, true);
    assert.equal(first.rateLimit.limit, 2);
    assert.equal((await verify(key, { ip: "2001:db8::1" })).valid, true);
    const third = await verify(key, { ip: "192.0.2.10" });
    assert.deepEqual([third.valid, third.reason, third.rateLimit.remaining], [false, "rate_limited", 0]);
  });

  it("never echoes a key in a validation error", async () => {
    const res = await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: { key: h.adminKey, extra: 1 } });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /body\.extra is not a known field/);
    assert.ok(!res.text.includes(h.adminKey));
  });

  it("leaves no plaintext key anywhere in Redis after HTTP create, rotate and verify", async () => {
    const issued: string[] = [h.adminKey];
    const created = await call(h, "POST", "/v1/keys", { key: h.adminKey, body: { owner: { id: "dump" } } });
    issued.push(created.body.key);
    const rotated = await call(h, "POST", `/v1/keys/${created.body.record.id}/rotate`, { key: h.adminKey, body: {} });
    issued.push(rotated.body.key);
    for (const key of issued) await verify(key);
    const bodies = issued.map((k) => k.slice(k.lastIndexOf("_") + 1));
    let scanned = 0;
    for (const name of await h.redis.keys("*")) {
      const text = `${name} ${JSON.stringify(await readAny(h, name))}`;
      for (const body of bodies) assert.ok(!text.includes(body), `a key body is stored in ${name}`);
      scanned++;
    }
    assert.ok(scanned > 0);
  });

  it("reports unknown and malformed keys as not valid with a reason (200, not an HTTP error)", async () => {
    const garbage = await verify("definitely-not-a-key");
    assert.deepEqual([garbage.valid, garbage.reason], [false, "malformed"]);
  });

  it("answers 404 for rotating or revoking a key id that does not exist", async () => {
    const rotate = await call(h, "POST", "/v1/keys/nope/rotate", { key: h.adminKey, body: {} });
    assert.equal(rotate.status, 404);
    const revoke = await call(h, "POST", "/v1/keys/nope/revoke", { key: h.adminKey, body: { reason: "x" } });
    assert.equal(revoke.status, 404, revoke.text);
    assert.equal(revoke.body.error.code, "LS_NOT_FOUND");
  });

  it("does not echo a key pasted where its id belongs (404 without the key)", async () => {
    const { key } = await h.keyWithRole(null);
    for (const [method, path, body] of [
      ["GET", `/v1/keys/${key}`, undefined],
      ["POST", `/v1/keys/${key}/rotate`, {}],
      ["POST", `/v1/keys/${key}/revoke`, { reason: "x" }],
    ] as const) {
      const res = await call(h, method, path, { key: h.adminKey, body });
      assert.equal(res.status, 404, res.text);
      assert.match(res.body.error.message, /that is a key, not a key id/);
      assert.ok(!res.text.includes(key.slice(9)), `${method} ${path} echoed the key`);
    }
  });
});
