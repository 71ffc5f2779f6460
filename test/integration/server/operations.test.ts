/** Health, metrics, the OpenAPI document, the per-IP rate limit and the audit routes. */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { call, type Harness, startHarness } from "./harness.js";

describe("server operations", () => {
  const open: Harness[] = [];
  const start = async (...args: Parameters<typeof startHarness>) => {
    const h = await startHarness(...args);
    open.push(h);
    return h;
  };
  after(async () => {
    for (const h of open) await h.close();
  });

  it("answers 503 on /healthz and the API while Redis is gone, and recovers", async () => {
    const h = await start({}, undefined, { appendonly: true });
    const up = await call(h, "GET", "/healthz");
    assert.deepEqual([up.status, up.body], [200, { status: "ok", redis: "ok" }]);
    await h.redisServer.stop();
    const down = await call(h, "GET", "/healthz");
    assert.deepEqual([down.status, down.body.status], [503, "unavailable"]);
    const verify = await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: { key: h.adminKey } });
    assert.equal(verify.status, 503, verify.text);
    assert.equal(verify.body.error.code, "LS_UNAVAILABLE");
    await h.redisServer.start();
    // ioredis reconnects on its own schedule: poll until the server sees Redis again.
    let status = 0;
    for (let i = 0; i < 200 && status !== 200; i++) {
      status = (await call(h, "GET", "/healthz")).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200, "the server recovers when Redis is back");
    const again = await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: { key: h.adminKey } });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.valid, true, "with AOF on, the registry survives the restart");
  });

  it("GET /metrics counts requests by route pattern and verify outcomes by reason", async () => {
    const h = await start();
    const { key, id } = await h.keyWithRole(null);
    await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: { key } });
    await h.registry.revoke(id, "test", "test");
    await call(h, "POST", "/v1/keys/verify", { key: h.adminKey, body: { key } });
    await call(h, "GET", `/v1/keys/${id}`);
    const res = await call(h, "GET", "/metrics");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
    assert.match(res.text, /leakstop_verify_total\{outcome="valid"\} 1/);
    assert.match(res.text, /leakstop_verify_total\{outcome="revoked"\} 1/);
    assert.match(res.text, /leakstop_http_requests_total\{method="POST",route="\/v1\/keys\/verify",status="200"\} 2/);
    assert.match(res.text, /leakstop_http_requests_total\{method="GET",route="\/v1\/keys\/:id",status="401"\} 1/);
    assert.match(res.text, /leakstop_auth_failures_total\{reason="missing"\} 1/);
    assert.match(res.text, /leakstop_http_request_duration_seconds_bucket/);
    assert.ok(!res.text.includes(key) && !res.text.includes(h.adminKey), "no key in metrics");
  });

  it("GET /metrics can demand a static token", async () => {
    const h = await start({ metricsToken: "s3cret-metrics-token" });
    assert.equal((await call(h, "GET", "/metrics")).status, 401);
    assert.equal((await call(h, "GET", "/metrics", { key: "wrong" })).status, 401);
    assert.equal((await call(h, "GET", "/metrics", { key: "s3cret-metrics-token" })).status, 200);
  });

  it("GET /openapi.json documents every route with its schemas and security", async () => {
    const h = await start();
    const res = await call(h, "GET", "/openapi.json");
    assert.equal(res.status, 200);
    const doc = res.body;
    assert.equal(doc.openapi, "3.1.0");
    for (const path of [
      "/v1/keys",
      "/v1/keys/{id}",
      "/v1/keys/{id}/rotate",
      "/v1/keys/{id}/revoke",
      "/v1/keys/verify",
    ]) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    assert.ok(doc.paths["/healthz"].get && doc.paths["/v1/audit"].get && doc.paths["/v1/audit/verify"].get);
    const create = doc.paths["/v1/keys"].post;
    assert.deepEqual(create.requestBody.content["application/json"].schema.required, ["owner"]);
    assert.deepEqual(create.security, [{ leakstopKey: [] }]);
    assert.match(create.description, /keys:write/);
    assert.deepEqual(doc.paths["/healthz"].get.security, []);
    assert.equal(doc.paths["/v1/keys/{id}"].get.parameters[0].in, "path");
    assert.ok(doc.paths["/v1/keys"].get.parameters.some((p: { name: string }) => p.name === "cursor"));
  });

  it("GET /openapi.json lists exactly the routes there are, and every status they answer with", async () => {
    const h = await start({}, undefined, { appendonly: true });
    const doc = (await call(h, "GET", "/openapi.json")).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    assert.deepEqual(operations.sort(), [
      "GET /healthz",
      "GET /metrics",
      "GET /openapi.json",
      "GET /v1/audit",
      "GET /v1/audit/verify",
      "GET /v1/keys",
      "GET /v1/keys/{id}",
      "POST /v1/keys",
      "POST /v1/keys/verify",
      "POST /v1/keys/{id}/revoke",
      "POST /v1/keys/{id}/rotate",
    ]);
    const seen: [string, number][] = [];
    const probe = async (method: string, path: string, opts: Parameters<typeof call>[3], docPath = path) => {
      const res = await call(h, method, path, opts);
      // Every error has the one shape; /healthz answers 503 with its own documented body.
      if (res.status >= 400 && path !== "/healthz") {
        assert.ok(res.body?.error?.code && res.body.error.message, `${path}: ${res.text}`);
      }
      seen.push([`${method.toLowerCase()} ${docPath}`, res.status]);
      return res;
    };
    const auditor = await h.keyWithRole("auditor");
    const { id } = await h.keyWithRole(null);
    const revoked = await h.keyWithRole(null);
    await h.registry.revoke(revoked.id, "test", "test");
    const json = { "content-type": "application/json" };
    for (const [method, path, body, docPath] of [
      ["POST", "/v1/keys", { owner: { id: "x" } }, "/v1/keys"],
      ["GET", "/v1/keys", undefined, "/v1/keys"],
      ["GET", `/v1/keys/${id}`, undefined, "/v1/keys/{id}"],
      ["POST", `/v1/keys/${id}/rotate`, {}, "/v1/keys/{id}/rotate"],
      ["POST", `/v1/keys/${id}/revoke`, { reason: "r" }, "/v1/keys/{id}/revoke"],
      ["POST", "/v1/keys/verify", { key: h.adminKey }, "/v1/keys/verify"],
      ["GET", "/v1/audit", undefined, "/v1/audit"],
      ["GET", "/v1/audit/verify", undefined, "/v1/audit/verify"],
    ] as const) {
      await probe(method, path, { body }, docPath); // 401
      if (path !== "/v1/keys/verify")
        await probe(method, path, { key: (await h.keyWithRole("scanner")).key, body }, docPath); // 403
      if (body !== undefined) {
        await probe(method, path, { key: h.adminKey, body: { bogus: 1 } }, docPath); // 400
        await probe(
          method,
          path,
          { key: h.adminKey, body: "<a/>", headers: { "content-type": "application/xml" } },
          docPath,
        ); // 415
        await probe(
          method,
          path,
          { key: h.adminKey, body: JSON.stringify({ x: "y".repeat(70_000) }), headers: json },
          docPath,
        ); // 413
      }
      const ok = await probe(method, path, { key: h.adminKey, body }, docPath);
      assert.ok(ok.status === 200 || ok.status === 201, `${method} ${path}: ${ok.text}`);
    }
    await probe("GET", "/v1/keys/key_00000000000000000000", { key: h.adminKey }, "/v1/keys/{id}"); // 404
    await probe("POST", `/v1/keys/${revoked.id}/rotate`, { key: h.adminKey, body: {} }, "/v1/keys/{id}/rotate"); // 409
    await probe(
      "POST",
      "/v1/keys/key_00000000000000000000/revoke",
      { key: h.adminKey, body: { reason: "r" } },
      "/v1/keys/{id}/revoke",
    ); // 404
    await probe("GET", "/v1/audit", { key: auditor.key }, "/v1/audit"); // 200
    await probe("GET", "/metrics", {}, "/metrics");
    await probe("GET", "/openapi.json", {}, "/openapi.json");
    // Redis gone: authenticating the caller already needs it, so every route with a key answers 503.
    await h.redisServer.stop();
    for (const [method, path, body, docPath] of [
      ["GET", "/v1/keys", undefined, "/v1/keys"],
      ["POST", "/v1/keys/verify", { key: h.adminKey }, "/v1/keys/verify"],
      ["GET", "/v1/audit/verify", undefined, "/v1/audit/verify"],
      ["GET", "/healthz", undefined, "/healthz"],
    ] as const) {
      await probe(method, path, { key: h.adminKey, body }, docPath);
    }
    for (const [op, status] of seen) {
      const [method, path] = op.split(" ") as [string, string];
      const responses = doc.paths[path][method].responses;
      assert.ok(responses[String(status)], `${op} answered ${status}, which the OpenAPI document does not list`);
    }
    const statuses = new Set(seen.map(([, s]) => s));
    for (const s of [200, 201, 400, 401, 403, 404, 409, 413, 415, 503])
      assert.ok(statuses.has(s), `no probe gave ${s}`);
  });

  it("limits requests per client IP with 429 and Retry-After", async () => {
    const h = await start({ ipRateLimit: { limit: 5, windowSeconds: 3600 } });
    for (let i = 0; i < 5; i++) assert.equal((await call(h, "GET", "/healthz")).status, 200);
    const res = await call(h, "GET", "/v1/keys", { key: h.adminKey });
    assert.equal(res.status, 429);
    assert.equal(res.body.error.code, "LS_RATE_LIMITED");
    assert.ok(Number(res.headers.get("retry-after")) >= 1);
  });

  it("can serve verify to callers without a key when configured", async () => {
    const h = await start({ verifyAccess: "public" });
    const res = await call(h, "POST", "/v1/keys/verify", { body: { key: h.adminKey } });
    assert.deepEqual([res.status, res.body.valid], [200, true]);
    assert.equal((await call(h, "GET", "/v1/keys")).status, 401, "the admin API stays protected");
  });

  it("gives extra route modules the same access control and OpenAPI entry", async () => {
    const h = await start({
      routes: [
        (app) =>
          app.post("/v1/ping-findings", { config: { access: "findings:write", summary: "test route" } }, async () => ({
            accepted: true,
          })),
      ],
    });
    const auditor = await h.keyWithRole("auditor");
    const scanner = await h.keyWithRole("scanner");
    assert.equal((await call(h, "POST", "/v1/ping-findings", { key: auditor.key })).status, 403);
    const ok = await call(h, "POST", "/v1/ping-findings", { key: scanner.key });
    assert.deepEqual([ok.status, ok.body], [200, { accepted: true }]);
    const doc = (await call(h, "GET", "/openapi.json")).body;
    assert.match(doc.paths["/v1/ping-findings"].post.description, /findings:write/);
  });

  it("exports the audit trail as JSON Lines and verifies it, for audit:read only", async () => {
    const h = await start();
    const { id } = await h.keyWithRole(null);
    await h.registry.revoke(id, "leaked", "test");
    const scanner = await h.keyWithRole("scanner");
    assert.equal((await call(h, "GET", "/v1/audit", { key: scanner.key })).status, 403);
    const auditor = await h.keyWithRole("auditor");
    const res = await call(h, "GET", "/v1/audit", { key: auditor.key });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get("content-type") ?? "", /application\/x-ndjson/);
    const entries = res.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.ok(entries.length >= 4, "create x4 and a revoke are audited");
    assert.ok(entries.some((e) => e.action === "key.revoke" && e.keyId === id));
    const verified = await call(h, "GET", "/v1/audit/verify", { key: auditor.key });
    assert.equal(verified.status, 200);
    assert.equal(verified.body.ok, true);
    assert.equal(verified.body.count, entries.length);
    const since = await call(h, "GET", "/v1/audit?since=not-a-date", { key: auditor.key });
    assert.equal(since.status, 400);
    assert.match(since.body.error.message, /query\.since/);
  });
});
