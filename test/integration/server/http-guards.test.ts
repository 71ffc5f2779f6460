/**
 * Transport guards: prototype keys are refused naming the field, another method on a
 * known path is a 405 with Allow, and a too large body announced with
 * `Expect: 100-continue` gets a 413 before it is sent (no connection reset).
 */
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { call, type Harness, startHarness } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

describe("HTTP guards", () => {
  it("refuses __proto__ and constructor keys anywhere in a body, naming where", async () => {
    const cases: [string, string][] = [
      ['{"owner":{"id":"x"},"__proto__":{"scopes":["keys:write"]}}', "body.__proto__"],
      ['{"owner":{"id":"x"},"constructor":{"prototype":{"a":1}}}', "body.constructor"],
      ['{"owner":{"id":"x"},"metadata":{"team":"a","__proto__":"x"}}', "body.metadata.__proto__"],
      ['{"owner":{"id":"x","constructor":"y"}}', "body.owner.constructor"],
    ];
    for (const [body, field] of cases) {
      const r = await call(h, "POST", "/v1/keys", {
        key: h.adminKey,
        body,
        headers: { "content-type": "application/json" },
      });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.message.startsWith(`${field}: `), true, r.body.error.message);
    }
    const deep = `{"owner":{"id":"x"},"metadata":{"a":${"[".repeat(30_000)}${"]".repeat(30_000)}}}`;
    const nested = await call(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: deep,
      headers: { "content-type": "application/json" },
    });
    assert.equal(nested.status, 400, nested.text);
    const listed = await call(h, "GET", "/v1/keys?owner=x", { key: h.adminKey });
    assert.deepEqual(listed.body.items, [], "nothing was created");
  });

  it("answers another method on a known path with 405 and Allow, without reading the body or a key", async () => {
    for (const [method, path, allow] of [
      ["PUT", "/v1/keys", /POST/],
      ["DELETE", "/v1/keys/key_abc", /GET/],
      ["DELETE", "/v1/keys/key_abc/revoke", /POST/],
      ["PATCH", "/healthz", /GET/],
    ] as const) {
      const r = await call(h, method, path, { body: "{}", headers: { "content-type": "application/json" } });
      assert.equal(r.status, 405, `${method} ${path}: ${r.text}`);
      assert.equal(r.body.error.code, "LS_METHOD_NOT_ALLOWED");
      assert.match(r.headers.get("allow") ?? "", allow);
    }
    assert.equal((await call(h, "PUT", "/no/such/path")).status, 404);
  });

  it("answers a 10 MB body announced with Expect: 100-continue with 413 instead of a reset", async () => {
    const url = new URL("/v1/keys", h.baseUrl);
    const size = 10 * 1024 * 1024;
    const outcome = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${h.adminKey}`,
          "content-type": "application/json",
          "content-length": String(size),
          expect: "100-continue",
        },
      });
      req.on("continue", () => req.end(Buffer.alloc(size, 0x20)));
      req.on("response", (res) => {
        let body = "";
        res.on("data", (d: Buffer) => {
          body += d.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    assert.equal(outcome.status, 413);
    assert.equal(JSON.parse(outcome.body).error.code, "LS_PAYLOAD_TOO_LARGE");
  });
});
