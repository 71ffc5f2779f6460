/**
 * Idempotency-Key on create, rotate and revoke: a retry after a lost reply gets the
 * same outcome (the same new key), a reused key with another request is a 422, and
 * the new key held for retries is only ever sealed: Redis and its AOF never see it.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { dumpRedis, readTree } from "../../helpers/redis-dump.js";
import { call, type Harness, startHarness } from "./harness.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * Sends a request, waits until the server has done the work (`landed`), then hangs up
 * without reading a byte of the reply: the client never learns the outcome.
 */
function sendAndHangUp(
  h: Harness,
  path: string,
  key: string,
  idem: string,
  body: unknown,
  landed: () => Promise<boolean>,
): Promise<void> {
  const url = new URL(h.baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    sock.pause();
    sock.on("error", reject);
    sock.connect(Number(url.port), url.hostname, () => {
      sock.write(
        `POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${key}\r\n` +
          `Idempotency-Key: ${idem}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
      );
      waitFor(landed, "the change to land").then(() => {
        sock.destroy();
        resolve();
      }, reject);
    });
  });
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("Idempotency-Key", () => {
  let h: Harness;
  const issued: string[] = [];

  before(async () => {
    h = await startHarness({}, undefined, { appendonly: true, appendfsync: "always" });
  });
  after(async () => {
    await h?.close();
  });

  it("a rotation whose reply was lost is retried and gets the same new key", async () => {
    const target = await h.keyWithRole(null);
    const rotated = async () => (await h.registry.get(target.id))?.rotatedTo !== null;
    await sendAndHangUp(h, `/v1/keys/${target.id}/rotate`, h.adminKey, "rot-1", { overlapSeconds: 0 }, rotated);
    const successorId = (await h.registry.get(target.id))?.rotatedTo;
    const opts = { key: h.adminKey, body: { overlapSeconds: 0 }, headers: { "idempotency-key": "rot-1" } };
    const retry = await call(h, "POST", `/v1/keys/${target.id}/rotate`, opts);
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.body.record.id, successorId);
    assert.equal(sha256(retry.body.key), retry.body.record.keyHash, "the key shown is the successor's");
    assert.equal((await h.registry.verify(retry.body.key)).valid, true);
    const again = await call(h, "POST", `/v1/keys/${target.id}/rotate`, opts);
    assert.equal(again.body.key, retry.body.key);
    issued.push(retry.body.key);
    const plain = await call(h, "POST", `/v1/keys/${target.id}/rotate`, {
      key: h.adminKey,
      body: { overlapSeconds: 0 },
    });
    assert.equal(plain.status, 409, "without the idempotency key a second rotation is refused");
  });

  it("a create retried with the same key makes one key; a different body with it is a 422", async () => {
    const body = { owner: { id: "idem-team" }, scopes: ["orders:read"] };
    const headers = { "idempotency-key": "create-1" };
    const first = await call(h, "POST", "/v1/keys", { key: h.adminKey, body, headers });
    const second = await call(h, "POST", "/v1/keys", { key: h.adminKey, body, headers });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.body.record.id, first.body.record.id);
    assert.equal(second.body.key, first.body.key);
    assert.equal((await h.registry.list({ owner: "idem-team" })).items.length, 1);
    issued.push(first.body.key);
    const other = await call(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: { ...body, scopes: ["orders:write"] },
      headers,
    });
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, "LS_UNPROCESSABLE");
    assert.match(other.body.error.message, /different request/);
    assert.equal((await h.registry.list({ owner: "idem-team" })).items.length, 1);
  });

  it("keeps callers apart: another caller's same idempotency key is its own request", async () => {
    const other = await h.keyWithRole("admin");
    const body = { owner: { id: "idem-team-2" } };
    const headers = { "idempotency-key": "shared" };
    const a = await call(h, "POST", "/v1/keys", { key: h.adminKey, body, headers });
    const b = await call(h, "POST", "/v1/keys", { key: other.key, body, headers });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    assert.notEqual(a.body.record.id, b.body.record.id);
    issued.push(a.body.key, b.body.key);
  });

  it("a revoke retried returns the same record; another reason with the same key is a 422", async () => {
    const target = await h.keyWithRole(null);
    const headers = { "idempotency-key": "rev-1" };
    const path = `/v1/keys/${target.id}/revoke`;
    const first = await call(h, "POST", path, { key: h.adminKey, body: { reason: "offboarding" }, headers });
    const again = await call(h, "POST", path, { key: h.adminKey, body: { reason: "offboarding" }, headers });
    assert.equal(first.status, 200);
    assert.deepEqual(again.body, first.body);
    const other = await call(h, "POST", path, { key: h.adminKey, body: { reason: "other" }, headers });
    assert.equal(other.status, 422);
  });

  it("refuses a malformed idempotency key without repeating it", async () => {
    const res = await call(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: { owner: { id: "x" } },
      headers: { "idempotency-key": "has space" },
    });
    assert.equal(res.status, 400);
    assert.doesNotMatch(res.text, /has space/);
  });

  it("holds the new keys only sealed, for minutes at most: never in Redis or the AOF in clear", async () => {
    const names = await h.redis.keys("leakstop:idem:*");
    assert.ok(names.length >= 4);
    for (const name of names) {
      const ttl = await h.redis.ttl(name);
      assert.ok(ttl > 0 && ttl <= 600, `TTL ${ttl}`);
      assert.doesNotMatch(name, /rot-1|create-1|shared/, "the idempotency key itself is hashed");
    }
    const stored = await dumpRedis(h.redis);
    const aof = readTree(h.redisServer.dir);
    assert.ok(aof.includes("leakstop:idem:"), "the AOF holds the sealed entries the test looks through");
    for (const key of issued) {
      assert.ok(!stored.includes(key), "a new key is in Redis in clear");
      assert.ok(!aof.includes(key), "a new key is in the AOF in clear");
    }
  });
});
