/**
 * The whole key lifecycle over HTTP: create → verify ok → rotate → both verify
 * during the overlap, the old one fails after it → revoke → verify fails and says why.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isValidKey } from "../../../src/keyformat/key-format.js";
import { call, type Harness, startHarness } from "./harness.js";

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
});
