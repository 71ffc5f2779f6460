/** The API refuses webhook URLs pointing inside the network unless the operator allows them. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { call, type Harness, startHarness } from "./harness.js";

describe("webhook URLs over the API", () => {
  let h: Harness;
  before(async () => {
    delete process.env.LEAKSTOP_WEBHOOK_ALLOW;
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  for (const webhook of [
    "http://127.0.0.1:9000/hook",
    "http://169.254.169.254/",
    "http://10.0.0.1/",
    "http://0x7f.1/",
  ]) {
    it(`refuses ${webhook} with a 400 naming the field, and stores nothing`, async () => {
      const before = (await h.registry.list({ owner: "hooked" })).items.length;
      const res = await call(h, "POST", "/v1/keys", {
        key: h.adminKey,
        body: { owner: { id: "hooked", webhook }, scopes: ["orders:read"] },
      });
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.error.message, /owner\.webhook/);
      assert.equal((await h.registry.list({ owner: "hooked" })).items.length, before);
    });
  }

  it("refuses a URL with credentials without repeating them", async () => {
    const res = await call(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: { owner: { id: "hooked", webhook: "https://bot:s3cr3tpass@hooks.example.com/x" } },
    });
    assert.equal(res.status, 400);
    assert.doesNotMatch(res.text, /s3cr3tpass/);
  });

  it("accepts a public URL", async () => {
    const res = await call(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: { owner: { id: "hooked", webhook: "https://hooks.example.com/leakstop" } },
    });
    assert.equal(res.status, 201, res.text);
  });
});
