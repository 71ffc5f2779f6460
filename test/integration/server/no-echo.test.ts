/**
 * A credential pasted where it does not belong (a path, a revoke reason, a name,
 * metadata, an owner id, a scope) comes back in no response and is stored nowhere:
 * not in a Redis key or value, not in the audit trail, not in the append-only file.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { compileSecretScreen } from "../../../src/registry/secret-screen.js";
import { dumpRedis, readTree } from "../../helpers/redis-dump.js";
import { crcToken } from "../../helpers/secrets.js";
import { type Answer, call, type Harness, startHarness } from "./harness.js";

describe("nothing echoes or stores a pasted credential", () => {
  let h: Harness;
  let secrets: string[];
  const answers: Answer[] = [];
  const send = async (...args: Parameters<typeof call>) => {
    const res = await call(...args);
    answers.push(res);
    return res;
  };

  before(async () => {
    h = await startHarness(
      {},
      undefined,
      { appendonly: true, appendfsync: "always" },
      { screen: compileSecretScreen() },
    );
    // The admin key itself (a live leakstop key) and a GitHub token with a valid checksum.
    secrets = [h.adminKey, crcToken("ghp_")];
  });
  after(async () => {
    await h?.close();
  });

  it("never repeats a path holding a key, with or without a caller key", async () => {
    for (const secret of secrets) {
      for (const key of [undefined, h.adminKey]) {
        for (const path of [
          `/v1/keys/${secret}`,
          `/v1/keys/${secret}/rotate`,
          `/v1/keys/${secret}${"x".repeat(200)}`,
          `/v1/keys/${"y".repeat(150)}${secret}/revoke`,
          `/v1/keys/%E0%A4%A${secret}`,
          `/v1/${secret}%`,
          `/${secret}`,
        ]) {
          for (const method of ["GET", "POST"]) {
            const res = await send(h, method, path, { key, ...(method === "POST" ? { body: { reason: "r" } } : {}) });
            assert.ok(res.status >= 400, `${method} ${path.slice(0, 20)}: ${res.status}`);
            assert.ok(res.body?.error?.code, `the one error shape: ${res.text.slice(0, 80)}`);
          }
        }
      }
    }
    const long = await send(h, "GET", `/v1/keys/${"z".repeat(300)}`, { key: h.adminKey });
    assert.equal(long.status, 414);
    assert.equal(long.body.error.code, "LS_URI_TOO_LONG");
  });

  it("refuses a credential in a revoke reason with a 400 naming the field, and keeps the key active", async () => {
    const target = await h.keyWithRole(null);
    for (const secret of secrets) {
      const res = await send(h, "POST", `/v1/keys/${target.id}/revoke`, {
        key: h.adminKey,
        body: { reason: `leaked: ${secret} in a chat` },
      });
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.error.message, /^reason contains what looks like a credential/);
      assert.equal((await h.registry.get(target.id))?.status, "active");
    }
    const ok = await send(h, "POST", `/v1/keys/${target.id}/revoke`, {
      key: h.adminKey,
      body: { reason: "found in a public gist, rotated by the owner" },
    });
    assert.equal(ok.status, 200, ok.text);
  });

  it("refuses a credential in any free-text field of a new key, naming the field", async () => {
    for (const secret of secrets) {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ owner: { id: "team-a" }, metadata: { note: `token ${secret}` } }, /^metadata\.note /],
        [{ owner: { id: "team-a" }, metadata: { [secret]: "x" } }, /metadata key/],
        [{ owner: { id: "team-a" }, name: `ci ${secret}` }, /^name /],
        [{ owner: { id: "team-a", name: secret } }, /^owner\.name /],
        [{ owner: { id: secret } }, /^owner\.id /],
        [{ owner: { id: "team-a" }, scopes: [secret] }, /^scopes /],
        [{ owner: { id: "team-a" }, manages: [secret] }, /^manages /],
      ];
      for (const [body, field] of cases) {
        const res = await send(h, "POST", "/v1/keys", { key: h.adminKey, body });
        assert.equal(res.status, 400, `${JSON.stringify(Object.keys(body))}: ${res.text.slice(0, 120)}`);
        assert.match(res.body.error.message, field);
      }
    }
  });

  it("refuses control characters, ANSI escapes and bidi overrides in ids and names, and long metadata", async () => {
    const cases: Record<string, unknown>[] = [
      { owner: { id: "team-a" }, name: "deploy\u001b[31m key" },
      { owner: { id: "team\u202eA" } },
      { owner: { id: "team-a", name: "Ops\u2066Team" } },
      { owner: { id: "team-a" }, metadata: { note: "line1\u0007" } },
      { owner: { id: "team-a" }, metadata: { ["k".repeat(65)]: "v" } },
      { owner: { id: "team-a" }, metadata: { "bad key": "v" } },
      { owner: { id: "team-a" }, metadata: { note: "v".repeat(1025) } },
    ];
    for (const body of cases) {
      const res = await send(h, "POST", "/v1/keys", { key: h.adminKey, body });
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
    }
    const fine = await send(h, "POST", "/v1/keys", {
      key: h.adminKey,
      body: {
        owner: { id: "team-a", name: "Équipe Paiements" },
        name: "checkout",
        metadata: { "cost.center": "4711" },
      },
    });
    assert.equal(fine.status, 201, fine.text);
  });

  it("has none of them in any answer, Redis key or value, audit entry or the AOF", async () => {
    const audit = await send(h, "GET", "/v1/audit", { key: h.adminKey });
    assert.equal(audit.status, 200);
    const stored = await dumpRedis(h.redis);
    const aof = readTree(h.redisServer.dir);
    assert.ok(aof.includes("found in a public gist"), "the AOF is where the test looks");
    for (const secret of secrets) {
      for (const res of answers) assert.ok(!res.text.includes(secret), `answer ${res.status} repeats a secret`);
      assert.ok(!stored.includes(secret), "a Redis key or value holds a secret");
      assert.ok(!aof.includes(secret), "the AOF holds a secret");
    }
  });
});
