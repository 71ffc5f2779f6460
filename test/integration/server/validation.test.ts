/** Every body is schema-validated: malformed requests get 400 with a message naming the field. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { call, type Harness, startHarness } from "./harness.js";

describe("server request validation", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ bodyLimit: 4096 });
  });
  after(async () => {
    await h?.close();
  });

  const bad = async (method: string, path: string, body: unknown) => {
    const res = await call(h, method, path, { key: h.adminKey, body });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.code, "LS_BAD_REQUEST");
    return res.body.error.message as string;
  };

  it("names a missing required field", async () => {
    assert.match(await bad("POST", "/v1/keys/verify", {}), /body\.key is required/);
    assert.match(await bad("POST", "/v1/keys", { name: "x" }), /body\.owner is required/);
    assert.match(await bad("POST", "/v1/keys", { owner: {} }), /body\.owner\.id is required/);
  });

  it("treats a POST without a body as an empty object", async () => {
    const res = await call(h, "POST", "/v1/keys/verify", { key: h.adminKey });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /body\.key is required/);
  });

  it("names a field of the wrong type, without coercing it", async () => {
    assert.match(await bad("POST", "/v1/keys/verify", { key: 42 }), /body\.key must be a string/);
    const created = await h.keyWithRole(null);
    const msg = await bad("POST", `/v1/keys/${created.id}/rotate`, { overlapSeconds: "60" });
    assert.match(msg, /body\.overlapSeconds must be an integer/);
  });

  it("rejects unknown fields by name instead of dropping them", async () => {
    const msg = await bad("POST", "/v1/keys", { owner: { id: "x" }, scope: ["keys:read"] });
    assert.match(msg, /body\.scope is not a known field/);
  });

  it("names enum fields with their allowed values", async () => {
    assert.match(
      await bad("POST", "/v1/keys", { owner: { id: "x" }, env: "prod" }),
      /body\.env must be one of: live, test/,
    );
    assert.match(await bad("POST", "/v1/keys", { owner: { id: "x" }, role: "root" }), /body\.role must be one of/);
  });

  it("names nested and array fields", async () => {
    const msg = await bad("POST", "/v1/keys", { owner: { id: "x" }, cidrs: ["10.0.0.0/8", 7] });
    assert.match(msg, /body\.cidrs\[1\] must be a string/);
    const rate = await bad("POST", "/v1/keys", { owner: { id: "x" }, rateLimit: { limit: 0, windowSeconds: 60 } });
    assert.match(rate, /body\.rateLimit\.limit must be >= 1/);
    assert.match(await bad("POST", "/v1/keys", { owner: { id: "x", email: "nope" } }), /body\.owner\.email/);
    assert.match(await bad("POST", "/v1/keys", { owner: { id: "x", webhook: "ftp://h/x" } }), /body\.owner\.webhook/);
  });

  it("names bad query parameters", async () => {
    const res = await call(h, "GET", "/v1/keys?limit=5000", { key: h.adminKey });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /query\.limit/);
    const status = await call(h, "GET", "/v1/keys?status=gone", { key: h.adminKey });
    assert.match(status.body.error.message, /query\.status must be one of: active, revoked, expired/);
    const unknown = await call(h, "GET", "/v1/keys?ownr=x", { key: h.adminKey });
    assert.match(unknown.body.error.message, /query\.ownr is not a known field/);
  });

  it("answers 400 for invalid JSON without echoing the body", async () => {
    const res = await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: `{"key": "${h.adminKey}"` });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /not valid JSON/);
    assert.ok(!res.text.includes(h.adminKey.slice(9)), "the error must not echo the body");
  });

  it("answers 413 for a body over the limit", async () => {
    const res = await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: { key: "x".repeat(10_000) } });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "LS_PAYLOAD_TOO_LARGE");
  });

  it("answers 415 for a body that is not JSON", async () => {
    const res = await call(h, "POST", "/v1/keys/verify", {
      key: h.adminKey,
      body: "key=abc",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, "LS_UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers 404 in the error shape for an unknown key id and an unknown route", async () => {
    const res = await call(h, "GET", "/v1/keys/k_doesnotexist", { key: h.adminKey });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "LS_NOT_FOUND");
    const route = await call(h, "GET", "/v2/nothing");
    assert.equal(route.status, 404);
    assert.equal(route.body.error.code, "LS_NOT_FOUND");
  });

  it("answers 400 naming the field for the rules the registry enforces itself", async () => {
    const cidr = await bad("POST", "/v1/keys", { owner: { id: "x" }, cidrs: ["10.0.0.0/8", "banana"] });
    assert.equal(cidr, "body.cidrs[1] must be an IPv4 or IPv6 network, such as 10.0.0.0/8 or 2001:db8::/32");
    assert.match(await bad("POST", "/v1/keys", { owner: { id: "x" }, cidrs: ["::1/129"] }), /^body\.cidrs\[0\] /);
    assert.match(await bad("POST", "/v1/keys", { owner: { id: "a b" } }), /^body\.owner\.id /);
    assert.match(await bad("POST", "/v1/keys", { owner: { id: "x".repeat(129) } }), /^body\.owner\.id /);
    assert.match(await bad("POST", "/v1/keys", { owner: { id: "x" }, scopes: ["-x"] }), /^body\.scopes\[0\] /);
    const metadata = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"]));
    assert.match(await bad("POST", "/v1/keys", { owner: { id: "x" }, metadata }), /^body\.metadata /);
    const { id } = await h.keyWithRole(null);
    assert.match(await bad("POST", `/v1/keys/${id}/revoke`, { reason: "   " }), /^body\.reason /);
    assert.match(await bad("POST", `/v1/keys/${id}/revoke`, { reason: "two\nlines" }), /^body\.reason /);
    // What the schema lets through the registry accepts: a scope with a slash, a mapped IPv4 network.
    const ok = await call(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: { owner: { id: "x" }, scopes: ["orders/read"], cidrs: ["::ffff:10.0.0.0/104"] },
    });
    assert.equal(ok.status, 201, ok.text);
    const verify = await call(h, "POST", "/v1/keys/verify", {
      key: h.adminKey,
      body: { key: ok.body.key, scope: "orders/read", ip: "10.1.2.3" },
    });
    assert.equal(verify.body.valid, true, verify.text);
  });
});
