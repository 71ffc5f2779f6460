/**
 * The audit chain: intact it verifies; editing, deleting or reordering one entry
 * makes verify fail and name that entry.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { chainEntry, entryHash, GENESIS_HASH } from "../../../src/audit/entry.js";
import { Registry } from "../../../src/registry/index.js";
import { registryScripts } from "../../../src/registry/lua-script.js";
import { type AuditFixture, startAudit, writeChain } from "./fixture.js";

const LOG = "leakstop:audit:log";
let f: AuditFixture;
beforeEach(async () => {
  f = await startAudit();
  await writeChain(f.registry, 12);
});
afterEach(async () => {
  await f.close();
});

async function entryAt(i: number): Promise<Record<string, unknown>> {
  return JSON.parse((await f.redis.lindex(LOG, i)) ?? "null");
}

describe("audit chain", () => {
  it("verifies when intact and links every entry to the previous one", async () => {
    assert.deepEqual(await f.audit.verify(), { ok: true, count: 12 });
    let prev = GENESIS_HASH;
    let seq = 0;
    for await (const e of f.audit.export()) {
      assert.equal(e.seq, ++seq);
      assert.equal(e.prevHash, prev);
      prev = e.hash;
    }
    assert.deepEqual(await f.audit.head(), { seq: 12, hash: prev });
  });

  it("names an edited entry", async () => {
    const e = await entryAt(5);
    await f.redis.lset(LOG, 5, JSON.stringify({ ...e, actor: "someone-else" }));
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 5, entryId: e.id, problem: "edited" });
  });

  it("names an entry edited and rehashed (the link to the next one breaks)", async () => {
    const e = await entryAt(4);
    const { seq, prevHash, hash: _h, ...rest } = e as { seq: number; prevHash: string; hash: string };
    const forged = { ...rest, details: { reason: "nothing to see" } };
    const hash = entryHash(prevHash, seq, JSON.stringify(forged));
    await f.redis.lset(LOG, 4, JSON.stringify({ seq, prevHash, hash, ...forged }));
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 4, entryId: e.id, problem: "edited" });
  });

  it("names the place of a dropped entry", async () => {
    const gone = await entryAt(6);
    const next = await entryAt(7);
    await f.redis.lrem(LOG, 1, JSON.stringify(gone));
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 6, entryId: next.id, problem: "dropped" });
  });

  it("detects a dropped first entry and dropped last entries", async () => {
    await f.redis.lpop(LOG);
    const first = await entryAt(0);
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 0, entryId: first.id, problem: "dropped" });
    await f.close();
    f = await startAudit();
    await writeChain(f.registry, 5);
    await f.redis.rpop(LOG);
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 4, entryId: "", problem: "dropped" });
  });

  it("names reordered entries (a swap, and an entry moved to the end)", async () => {
    const a = await entryAt(3);
    const b = await entryAt(4);
    await f.redis.lset(LOG, 3, JSON.stringify(b));
    await f.redis.lset(LOG, 4, JSON.stringify(a));
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 3, entryId: b.id, problem: "reordered" });
    await f.redis.lset(LOG, 3, JSON.stringify(a));
    await f.redis.lset(LOG, 4, JSON.stringify(b));
    assert.equal((await f.audit.verify()).ok, true, "swapped back, it verifies again");

    const moved = await entryAt(2);
    const after = await entryAt(3);
    await f.redis.lrem(LOG, 1, JSON.stringify(moved));
    await f.redis.rpush(LOG, JSON.stringify(moved));
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 2, entryId: after.id, problem: "reordered" });
  });

  it("names an entry appended to the list without the append script, garbled or correctly chained", async () => {
    await f.redis.rpush(LOG, "not an entry");
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 12, entryId: "", problem: "edited" });
    await f.redis.rpop(LOG);
    // A forger who chains the entry properly but cannot move the head in the same step.
    const head = (await f.audit.head()) as { seq: number; hash: string };
    const payload = JSON.stringify({
      id: "forged",
      ts: new Date().toISOString(),
      action: "key.revoke",
      actor: "cli:someone",
      keyId: null,
      hint: null,
      details: {},
    });
    const seq = head.seq + 1;
    const hash = entryHash(head.hash, seq, payload);
    await f.redis.rpush(LOG, `{"seq":${seq},"prevHash":"${head.hash}","hash":"${hash}",${payload.slice(1)}`);
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 12, entryId: "forged", problem: "inserted" });
    await f.redis.rpop(LOG);
    assert.deepEqual(await f.audit.verify(), { ok: true, count: 12 });
  });

  it("rejects an entry that is not JSON", async () => {
    await f.redis.lset(LOG, 8, "garbage");
    assert.deepEqual(await f.audit.verify(), { ok: false, index: 8, entryId: "", problem: "edited" });
  });

  it("exports since a date", async () => {
    const all = [];
    for await (const e of f.audit.export()) all.push(e);
    const cut = all[6]?.ts ?? "";
    const since = [];
    for await (const e of f.audit.export({ since: cut })) since.push(e);
    assert.deepEqual(
      since.map((e) => e.seq),
      all.filter((e) => e.ts >= cut).map((e) => e.seq),
    );
    await assert.rejects(
      async () => {
        for await (const _ of f.audit.export({ since: "not a date" })) break;
      },
      { code: "LS_USAGE" },
    );
  });
});

describe("entries hashed in node, the tip checked in the script", () => {
  it("a revocation chained onto a stale tip writes nothing; the registry chains it again and it lands once", async () => {
    const { record } = await f.registry.create({ owner: { id: "stale" } }, "t");
    const head = await f.audit.head();
    assert.ok(head);
    const stale = chainEntry({ seq: head.seq - 1, hash: GENESIS_HASH }, '{"id":"x","ts":"t","action":"key.revoke"}');
    const reply = await registryScripts().revoke.run(
      f.redis,
      [`leakstop:key:{${record.keyHash}}`, LOG, "leakstop:audit:head", `leakstop:key:{${record.keyHash}}:findings`],
      [record.id, new Date().toISOString(), "stale", "t", stale.text, "", "x", ""],
    );
    assert.deepEqual(reply, [-9, "audit-moved", String(head.seq), head.hash]);
    assert.equal((await f.registry.get(record.id))?.status, "active");
    assert.equal(await f.audit.length(), head.seq);
    // Another client appends behind this registry's back: its next revocation still chains on.
    const other = new Registry(f.redis, { issuer: "lsk", auditSigner: null });
    await other.create({ owner: { id: "stale" } }, "t");
    const revoked = await f.registry.revoke(record.id, "leaked", "t");
    assert.equal(revoked.status, "revoked");
    assert.deepEqual(await f.audit.verify(), { ok: true, count: head.seq + 2 });
  });
});
