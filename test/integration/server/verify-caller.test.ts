/**
 * POST /v1/keys/verify checks the caller's key in the same Redis call as the key asked about.
 * What callers depend on stays as on every other route: a caller key fails the moment it is
 * revoked (nothing is cached), a bad caller hears 401/403/429 before any complaint about the
 * body, and a refused caller spends nothing of the asked-about key's rate limit or usage.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateKey } from "../../../src/keyformat/key-format.js";
import { call, type Harness, startHarness } from "./harness.js";

describe("POST /v1/keys/verify and the caller's own key", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it("refuses a caller key from the moment it is revoked", async () => {
    const scanner = await h.keyWithRole("scanner");
    const { key } = await h.registry.create({ owner: { id: "cust" } }, "test");
    const ok = await call(h, "POST", "/v1/keys/verify", { key: scanner.key, body: { key } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.valid, true);
    await h.registry.revoke(scanner.id, "leaked", "test");
    const res = await call(h, "POST", "/v1/keys/verify", { key: scanner.key, body: { key } });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /revoked/);
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
  });

  it("answers a bad caller key with 401 before any body error, and a good one with the 400", async () => {
    const stranger = generateKey();
    const bodies = ["{not json", JSON.stringify({ key: 42 }), JSON.stringify({ nokey: true }), ""];
    for (const body of bodies) {
      const res = await call(h, "POST", "/v1/keys/verify", { key: stranger, body });
      assert.equal(res.status, 401, `body ${JSON.stringify(body)}: ${res.text}`);
      assert.match(res.body.error.message, /unknown/);
      const good = await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body });
      assert.equal(good.status, 400, `body ${JSON.stringify(body)}: ${good.text}`);
    }
    const wrongType = await call(h, "POST", "/v1/keys/verify", {
      key: stranger,
      body: "key=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(wrongType.status, 401);
  });

  it("answers 403 for a caller key used from outside its networks, and charges nothing to the key asked about", async () => {
    const fenced = await h.registry.create({ owner: { id: "gw" }, cidrs: ["10.0.0.0/8"] }, "test");
    const asked = await h.registry.create(
      { owner: { id: "cust" }, rateLimit: { limit: 3, windowSeconds: 60 } },
      "test",
    );
    const res = await call(h, "POST", "/v1/keys/verify", { key: fenced.key, body: { key: asked.key } });
    assert.equal(res.status, 403);
    assert.equal((await h.registry.verify(asked.key)).rateLimit?.remaining, 2, "only this verify used the budget");
  });

  it("answers 429 with Retry-After once the caller key's own rate is spent, charging nothing to the key asked about", async () => {
    const gateway = await h.registry.create(
      { owner: { id: "gw" }, rateLimit: { limit: 1, windowSeconds: 60 } },
      "test",
    );
    const asked = await h.registry.create(
      { owner: { id: "cust" }, rateLimit: { limit: 3, windowSeconds: 60 } },
      "test",
    );
    const first = await call(h, "POST", "/v1/keys/verify", { key: gateway.key, body: { key: asked.key } });
    assert.equal(first.status, 200);
    assert.equal(first.body.rateLimit.remaining, 2);
    const second = await call(h, "POST", "/v1/keys/verify", { key: gateway.key, body: { key: asked.key } });
    assert.equal(second.status, 429);
    assert.equal(second.body.error.code, "LS_RATE_LIMITED");
    assert.ok(Number(second.headers.get("retry-after")) >= 1);
    assert.equal((await h.registry.verify(asked.key)).rateLimit?.remaining, 1, "the refused call spent nothing");
    await h.registry.flushUsage();
    assert.equal((await h.registry.get(asked.record.id))?.usageCount, 2);
    assert.equal((await h.registry.get(gateway.record.id))?.usageCount, 1);
  });

  it("marks every answer not cacheable: a verdict, a refused caller, a bad body, an unknown path", async () => {
    const answers = [
      await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: { key: generateKey() } }),
      await call(h, "POST", "/v1/keys/verify", { key: generateKey(), body: { key: generateKey() } }),
      await call(h, "POST", "/v1/keys/verify", { body: { key: generateKey() } }),
      await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: "{" }),
      await call(h, "GET", "/v1/nothing-here"),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 401, 401, 400, 404],
    );
    for (const a of answers) assert.equal(a.headers.get("cache-control"), "no-store", `${a.status} ${a.text}`);
  });
});
