import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateKey } from "../../../src/keyformat/key-format.js";
import { sha256Hex } from "../../../src/lib/hash.js";
import { startExpirySweep } from "../../../src/registry/index.js";
import { type RegistryFixture, startRegistry } from "./fixture.js";

let f: RegistryFixture;
before(async () => {
  f = await startRegistry();
});
after(async () => {
  await f.close();
});

const owner = { id: "acme", name: "Acme Ltd", email: "sec@acme.test", webhook: "https://acme.test/hook" };

describe("create", () => {
  it("returns the key once and stores only its hash and hint", async () => {
    const { key, record } = await f.registry.create({ owner, scopes: ["keys:read"], name: "ci" }, "test");
    assert.match(key, /^lsk_live_[0-9A-Za-z]{38}$/);
    assert.equal(record.keyHash, sha256Hex(key));
    assert.equal(record.hint, `lsk_live_…${key.slice(-4)}`);
    assert.equal(record.status, "active");
    assert.deepEqual(record.metadata, { name: "ci" });
    const stored = await f.registry.get(record.id);
    assert.deepEqual(stored, record);
    assert.ok(!JSON.stringify(stored).includes(key));
  });

  it("issues test-env keys", async () => {
    const { key, record } = await f.registry.create({ owner, env: "test" }, "test");
    assert.match(key, /^lsk_test_/);
    assert.equal(record.env, "test");
    assert.equal((await f.registry.verify(key)).env, "test");
  });

  it("rejects bad input with LS_USAGE before touching Redis", async () => {
    const bad = [
      { owner: { id: "" } },
      { owner: { id: "has space" } },
      { owner: { id: "x", email: "not-an-email" } },
      { owner: { id: "x", webhook: "ftp://x" } },
      { owner: { id: "x" }, scopes: ["bad scope"] },
      { owner: { id: "x" }, cidrs: ["10.0.0.0/33"] },
      { owner: { id: "x" }, cidrs: ["300.1.1.1"] },
      { owner: { id: "x" }, rateLimit: { limit: 0, windowSeconds: 60 } },
      { owner: { id: "x" }, expiresInSeconds: -5 },
      { owner: { id: "x" }, env: "prod" as "live" },
    ];
    const before = await f.audit.length();
    for (const input of bad) {
      await assert.rejects(f.registry.create(input, "test"), { code: "LS_USAGE" }, JSON.stringify(input));
    }
    assert.equal(await f.audit.length(), before);
  });
});

describe("getManyByHash", () => {
  it("reads what the pipeline needs of many keys' records in one call, in order, as getByHash has it; null for unknown or malformed hashes", async () => {
    const a = await f.registry.create({ owner, scopes: ["keys:read"] }, "test");
    const b = await f.registry.create({ owner, expiresInSeconds: 3600 }, "test");
    await f.registry.revoke(b.record.id, "leaked", "test");
    const hashes = [b.record.keyHash, "0".repeat(64), "not a hash", a.record.keyHash, a.record.keyHash];
    const many = await f.registry.getManyByHash(hashes);
    const one = await Promise.all(hashes.map((h) => f.registry.getByHash(h)));
    const pick = (r: (typeof one)[number]) =>
      r && { id: r.id, keyHash: r.keyHash, hint: r.hint, owner: r.owner, status: r.status, revokedAt: r.revokedAt };
    assert.deepEqual(many, one.map(pick));
    assert.ok(many[0]?.revokedAt && many[0].owner.webhook === owner.webhook);
    assert.deepEqual(
      many.map((r) => r?.status ?? null),
      ["revoked", null, null, "active", "active"],
    );
    assert.deepEqual(await f.registry.getManyByHash([]), []);
    assert.deepEqual(await f.registry.getManyByHash(["nope"]), [null]);
    // An active key past its expiry reads as expired, as getByHash says.
    const c = await f.registry.create({ owner, expiresInSeconds: 5 }, "test");
    f.clock.advance(10);
    assert.equal((await f.registry.getManyByHash([c.record.keyHash]))[0]?.status, "expired");
    assert.equal((await f.registry.getByHash(c.record.keyHash))?.status, "expired");
  });
});

describe("lifecycle: create, verify, rotate with overlap, revoke", () => {
  it("follows the issue's acceptance path", async () => {
    const { key, record } = await f.registry.create({ owner, scopes: ["findings:write"] }, "test");
    const ok = await f.registry.verify(key);
    assert.equal(ok.valid, true);
    assert.equal(ok.keyId, record.id);
    assert.deepEqual(ok.owner, owner);
    assert.deepEqual(ok.scopes, ["findings:write"]);

    const rotated = await f.registry.rotate(record.id, { overlapSeconds: 3600 }, "test");
    assert.notEqual(rotated.key, key);
    assert.equal(rotated.record.rotatedFrom, record.id);
    assert.equal(rotated.previous.rotatedTo, rotated.record.id);
    assert.deepEqual(rotated.record.scopes, record.scopes);
    assert.deepEqual(rotated.record.owner, record.owner);

    f.clock.advance(3599);
    assert.equal((await f.registry.verify(key)).valid, true, "old key verifies during the overlap");
    assert.equal((await f.registry.verify(rotated.key)).valid, true);

    f.clock.advance(1);
    assert.deepEqual(
      { valid: (await f.registry.verify(key)).valid, reason: (await f.registry.verify(key)).reason },
      { valid: false, reason: "rotated" },
    );
    assert.equal((await f.registry.verify(rotated.key)).valid, true);
    assert.equal((await f.registry.get(record.id))?.status, "expired");
    await f.registry.expireDue();
    assert.equal((await f.registry.verify(key)).reason, "rotated", "still says rotated once the sweep stored it");

    const revoked = await f.registry.revoke(rotated.record.id, "leaked in a public repo", "alice");
    assert.equal(revoked.status, "revoked");
    assert.equal(revoked.revokeReason, "leaked in a public repo");
    assert.equal(revoked.revokedBy, "alice");
    const denied = await f.registry.verify(rotated.key);
    assert.equal(denied.valid, false);
    assert.equal(denied.reason, "revoked");
    assert.equal(denied.keyId, rotated.record.id);
  });

  it("rotation with no overlap retires the old key at once", async () => {
    const { key, record } = await f.registry.create({ owner }, "test");
    const r = await f.registry.rotate(record.id, { overlapSeconds: 0 }, "test");
    assert.equal((await f.registry.verify(key)).reason, "rotated");
    assert.equal((await f.registry.verify(r.key)).valid, true);
  });

  it("keeps the expiry duration across a rotation", async () => {
    const { record } = await f.registry.create({ owner, expiresInSeconds: 86_400 }, "test");
    f.clock.advance(100);
    const r = await f.registry.rotate(record.id, { overlapSeconds: 60 }, "test");
    assert.equal(Date.parse(r.record.expiresAt ?? "") - Date.parse(r.record.createdAt), 86_400_000);
  });

  it("refuses to rotate a revoked, rotated, expired or unknown key", async () => {
    const a = await f.registry.create({ owner }, "test");
    await f.registry.revoke(a.record.id, "test", "test");
    await assert.rejects(f.registry.rotate(a.record.id, { overlapSeconds: 1 }, "t"), { code: "LS_KEY_STATE" });
    const b = await f.registry.create({ owner }, "test");
    await f.registry.rotate(b.record.id, { overlapSeconds: 100 }, "t");
    await assert.rejects(f.registry.rotate(b.record.id, { overlapSeconds: 1 }, "t"), /already rotated/);
    const c = await f.registry.create({ owner, expiresInSeconds: 10 }, "test");
    f.clock.advance(10);
    await assert.rejects(f.registry.rotate(c.record.id, { overlapSeconds: 1 }, "t"), /expired/);
    await assert.rejects(f.registry.rotate("key_nope", { overlapSeconds: 1 }, "t"), { code: "LS_KEY_NOT_FOUND" });
    await assert.rejects(f.registry.rotate(b.record.id, { overlapSeconds: -1 }, "t"), { code: "LS_USAGE" });
  });

  it("revoking twice changes nothing the second time", async () => {
    const { record } = await f.registry.create({ owner }, "test");
    const first = await f.registry.revoke(record.id, "one", "a");
    f.clock.advance(5);
    const second = await f.registry.revoke(record.id, "two", "b");
    assert.deepEqual(second, first);
    await assert.rejects(f.registry.revoke(record.id, "", "a"), { code: "LS_USAGE" });
    await assert.rejects(f.registry.revoke(record.id, "two\nlines", "a"), { code: "LS_USAGE" });
    await assert.rejects(f.registry.revoke("key_nope", "x", "a"), { code: "LS_KEY_NOT_FOUND" });
  });
});

describe("expiry", () => {
  it("an expired key fails, reads as expired, and expireDue records it once", async () => {
    const { key, record } = await f.registry.create({ owner, expiresInSeconds: 60 }, "test");
    assert.equal((await f.registry.verify(key)).valid, true);
    f.clock.advance(60);
    const v = await f.registry.verify(key);
    assert.equal(v.valid, false);
    assert.equal(v.reason, "expired");
    assert.equal((await f.registry.get(record.id))?.status, "expired");
    const auditBefore = await f.audit.length();
    assert.ok((await f.registry.expireDue()) >= 1);
    assert.equal(await f.registry.expireDue(), 0, "a second sweep finds nothing");
    const entries = [];
    for await (const e of f.audit.export()) entries.push(e);
    const mine = entries.slice(auditBefore).filter((e) => e.keyId === record.id);
    assert.deepEqual(
      mine.map((e) => e.action),
      ["key.expire"],
    );
  });
});

describe("startExpirySweep", () => {
  it("expires due keys in the background", async () => {
    const { record } = await f.registry.create({ owner, expiresInSeconds: 5 }, "test");
    f.clock.advance(5);
    const sweep = startExpirySweep(f.registry, { intervalMs: 5 });
    try {
      let stored: string | null = null;
      for (let i = 0; i < 400 && stored !== "expired"; i++) {
        await new Promise((r) => setTimeout(r, 5));
        stored = await f.redis.hget(`leakstop:key:{${record.keyHash}}`, "status");
      }
      assert.equal(stored, "expired");
    } finally {
      sweep.stop();
    }
  });
});

describe("revokeByHash (the revocation pipeline)", () => {
  it("has an exactly-once effect and records repeats", async () => {
    const { key, record } = await f.registry.create({ owner }, "test");
    const hash = sha256Hex(key);
    const first = await f.registry.revokeByHash(hash, "found in acme/app", "pipeline");
    assert.equal(first.revoked, true);
    assert.equal(first.record?.status, "revoked");
    const second = await f.registry.revokeByHash(hash, "found again", "pipeline");
    assert.equal(second.revoked, false);
    assert.equal(second.record?.revokeReason, "found in acme/app");
    const actions = [];
    for await (const e of f.audit.export()) if (e.keyId === record.id) actions.push(e.action);
    assert.deepEqual(actions, ["key.create", "key.revoke", "key.revoke_repeat"]);
  });

  it("records a repeat once per findingId, never for a redelivery, and keeps the revocation's eventId", async () => {
    const { key, record } = await f.registry.create({ owner }, "test");
    const hash = sha256Hex(key);
    const first = await f.registry.revokeByHash(hash, "leaked: r at a", "leakstop-worker", { findingId: "f1" });
    assert.equal(first.revoked, true);
    assert.match(first.eventId ?? "", /^[0-9a-f-]{36}$/);
    const again = await f.registry.revokeByHash(hash, "leaked: r at a", "leakstop-worker", { findingId: "f1" });
    assert.deepEqual(
      { ...again, record: null },
      {
        revoked: false,
        eventId: first.eventId,
        revokedByFinding: "f1",
        repeatRecorded: false,
        revokedAt: first.revokedAt,
        record: null,
      },
    );
    for (const fid of ["f2", "f3", "f2", "f3", "f2"]) {
      await f.registry.revokeByHash(hash, "leaked: r at b", "leakstop-worker", { findingId: fid });
    }
    const entries = [];
    for await (const e of f.audit.export()) if (e.keyId === record.id) entries.push(e);
    assert.deepEqual(
      entries.map((e) => [e.action, e.details.findingId ?? null]),
      [
        ["key.create", null],
        ["key.revoke", "f1"],
        ["key.revoke_repeat", "f2"],
        ["key.revoke_repeat", "f3"],
      ],
    );
    assert.equal(entries[1]?.id, first.eventId);
  });

  it("ignores hashes that are not in the registry and rejects malformed ones", async () => {
    assert.deepEqual(await f.registry.revokeByHash(sha256Hex(generateKey()), "x", "p"), {
      revoked: false,
      record: null,
    });
    await assert.rejects(f.registry.revokeByHash("abc", "x", "p"), { code: "LS_USAGE" });
  });
});

describe("verify of keys that are not ours", () => {
  it("says malformed for a bad checksum and unknown for an unregistered or foreign key", async () => {
    const { key } = await f.registry.create({ owner }, "test");
    const last = key.at(-1) === "A" ? "B" : "A";
    assert.equal((await f.registry.verify(key.slice(0, -1) + last)).reason, "malformed");
    assert.equal((await f.registry.verify("")).reason, "malformed");
    assert.equal((await f.registry.verify(generateKey("lsk"))).reason, "unknown");
    assert.equal((await f.registry.verify(generateKey("other"))).reason, "unknown");
  });

  it("the audit chain of this whole suite verifies", async () => {
    const result = await f.audit.verify();
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});
