/** Callers authenticate with leakstop keys: no key or a bad key is 401, a missing scope 403. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateKey } from "../../../src/keyformat/key-format.js";
import { call, type Harness, startHarness } from "./harness.js";

describe("server auth", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it("answers 401 with the error shape and WWW-Authenticate when no key is sent", async () => {
    const res = await call(h, "GET", "/v1/keys");
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "LS_UNAUTHENTICATED");
    assert.match(res.body.error.message, /Authorization: Bearer/);
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
  });

  it("answers 401 for a malformed Authorization header", async () => {
    const res = await call(h, "GET", "/v1/keys", { headers: { authorization: `Basic ${h.adminKey}` } });
    assert.equal(res.status, 401);
    assert.doesNotMatch(res.text, new RegExp(h.adminKey));
  });

  it("answers 401 for a well-formed key the registry does not know, naming why", async () => {
    const res = await call(h, "GET", "/v1/keys", { key: generateKey() });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /unknown/);
  });

  it("answers 401 for garbage in place of a key", async () => {
    const res = await call(h, "GET", "/v1/keys", { key: "not-a-key" });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /malformed/);
  });

  it("answers 401 once the caller's own key is revoked", async () => {
    const issuer = await h.keyWithRole("issuer");
    assert.equal((await call(h, "GET", "/v1/keys", { key: issuer.key })).status, 200);
    await h.registry.revoke(issuer.id, "test", "test");
    const res = await call(h, "GET", "/v1/keys", { key: issuer.key });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /revoked/);
  });

  it("answers 403 naming the scope when the caller key lacks it", async () => {
    const auditor = await h.keyWithRole("auditor");
    const res = await call(h, "POST", "/v1/keys", { key: auditor.key, body: { owner: { id: "x" } } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "LS_FORBIDDEN");
    assert.match(res.body.error.message, /keys:write/);
    const revoke = await call(h, "POST", `/v1/keys/${auditor.id}/revoke`, { key: auditor.key, body: { reason: "x" } });
    assert.equal(revoke.status, 403);
    assert.match(revoke.body.error.message, /keys:revoke/);
  });

  it("checks auth before the body: an unauthenticated malformed body is 401, not 400", async () => {
    const res = await call(h, "POST", "/v1/keys", { body: "{not json" });
    assert.equal(res.status, 401);
  });

  it("lets a scanner key (no keys:* scope) verify, but not read keys", async () => {
    const scanner = await h.keyWithRole("scanner");
    const verify = await call(h, "POST", "/v1/keys/verify", { key: scanner.key, body: { key: h.adminKey } });
    assert.equal(verify.status, 200);
    assert.equal(verify.body.valid, true);
    assert.equal((await call(h, "GET", "/v1/keys", { key: scanner.key })).status, 403);
  });

  it("answers 403 when the caller key is used from outside its CIDR list", async () => {
    const remote = await h.keyWithRole("admin", { cidrs: ["10.0.0.0/8"] });
    const res = await call(h, "GET", "/v1/keys", { key: remote.key });
    assert.equal(res.status, 403);
    const local = await h.keyWithRole("admin", { cidrs: ["127.0.0.0/8", "::1/128"] });
    assert.equal((await call(h, "GET", "/v1/keys", { key: local.key })).status, 200);
  });

  it("stops a key from granting scopes it does not hold (no privilege escalation)", async () => {
    const issuer = await h.keyWithRole("issuer", { manages: ["*"] });
    const escalate = await call(h, "POST", "/v1/keys", {
      key: issuer.key,
      body: { owner: { id: "me" }, role: "admin" },
    });
    assert.equal(escalate.status, 403);
    assert.match(escalate.body.error.message, /audit:read|findings:write/);
    // Rotating an admin's key would hand the issuer a new admin key.
    const admin = await h.keyWithRole("admin");
    const rotate = await call(h, "POST", `/v1/keys/${admin.id}/rotate`, { key: issuer.key, body: {} });
    assert.equal(rotate.status, 403);
    // Customer keys with application scopes are fine.
    const ok = await call(h, "POST", "/v1/keys", {
      key: issuer.key,
      body: { owner: { id: "cust-1" }, scopes: ["orders:read"] },
    });
    assert.equal(ok.status, 201);
  });

  it("answers 429 with Retry-After once the caller key's own rate limit is spent", async () => {
    const { key } = await h.registry.create(
      { owner: { id: "rl" }, scopes: ["keys:read"], rateLimit: { limit: 2, windowSeconds: 60 } },
      "test",
    );
    assert.equal((await call(h, "GET", "/v1/keys?limit=1", { key })).status, 200);
    assert.equal((await call(h, "GET", "/v1/keys?limit=1", { key })).status, 200);
    const res = await call(h, "GET", "/v1/keys?limit=1", { key });
    assert.equal(res.status, 429);
    assert.equal(res.body.error.code, "LS_RATE_LIMITED");
    const retry = Number(res.headers.get("retry-after"));
    assert.ok(retry >= 29 && retry <= 30, `Retry-After ${res.headers.get("retry-after")}: one interval, 30 s`);
  });

  it("leaves /healthz, /metrics and /openapi.json public", async () => {
    assert.equal((await call(h, "GET", "/healthz")).status, 200);
    assert.equal((await call(h, "GET", "/metrics")).status, 200);
    assert.equal((await call(h, "GET", "/openapi.json")).status, 200);
  });
});
