/**
 * The signed audit trail against an attacker with Redis write access but not the
 * audit key: forged, unsigned, rehashed, truncated and wiped chains are caught by
 * the public key and by checkpoints kept outside Redis; an untouched chain passes.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { type LoadedCheckpoint, makeCheckpoint } from "../../../src/audit/checkpoint.js";
import { entryHash } from "../../../src/audit/entry.js";
import { type AuditSigner, generateAuditKeyPair, verifierFor } from "../../../src/audit/signing.js";
import { Registry } from "../../../src/registry/index.js";
import { type AuditFixture, signerFromPem, startAudit, writeChain } from "./fixture.js";

const LOG = "leakstop:audit:log";
const HEAD = "leakstop:audit:head";
let f: AuditFixture;
let signer: AuditSigner;
let anchor: LoadedCheckpoint;

beforeEach(async () => {
  signer = signerFromPem(generateAuditKeyPair().privatePem);
  f = await startAudit({ signer });
  await writeChain(f.registry, 9);
  anchor = { file: "anchor.json", checkpoint: makeCheckpoint(await f.audit.head(), { namespace: "leakstop", signer }) };
});
afterEach(async () => {
  await f.close();
});

const verifier = () => verifierFor(signer.publicKey);

/** Rewrites the whole chain from `entries` (payload objects), hashing it as a forger would, head included. */
async function rebuildChain(entries: Record<string, unknown>[]): Promise<void> {
  await f.redis.del(LOG, HEAD);
  let prev = "0".repeat(64);
  let seq = 0;
  for (const payload of entries) {
    seq++;
    const text = JSON.stringify(payload);
    const hash = entryHash(prev, seq, text);
    await f.redis.rpush(LOG, `{"seq":${seq},"prevHash":"${prev}","hash":"${hash}",${text.slice(1)}`);
    prev = hash;
  }
  if (seq > 0) await f.redis.hset(HEAD, "seq", String(seq), "hash", prev);
}

async function payloads(): Promise<Record<string, unknown>[]> {
  return (await f.redis.lrange(LOG, 0, -1)).map((raw) => {
    const { seq: _s, prevHash: _p, hash: _h, ...rest } = JSON.parse(raw);
    return rest;
  });
}

describe("signed audit trail", () => {
  it("signs every entry and verifies untouched, with the public key and an anchor", async () => {
    for (const p of await payloads()) assert.equal(typeof p.sig, "string");
    assert.deepEqual(await f.audit.verify({ verifier: verifier(), anchors: [anchor] }), { ok: true, count: 9 });
    await writeChain(f.registry, 2, "later");
    assert.deepEqual(await f.audit.verify({ verifier: verifier(), anchors: [anchor] }), { ok: true, count: 11 });
  });

  it("names an entry appended by someone without the key (unsigned) and one whose signature is not the key's (forged)", async () => {
    const unsigned = new Registry(f.redis, { issuer: "lsk", auditSigner: null });
    const { record } = await unsigned.create({ owner: { id: "mallory" } }, "mallory");
    const r = await f.audit.verify({ verifier: verifier(), anchors: [anchor] });
    assert.equal(r.ok, false);
    assert.deepEqual(r, { ok: false, index: 9, entryId: (await payloads())[9]?.id, problem: "unsigned" });
    assert.equal((await payloads())[9]?.keyId, record.id);
    // Without the public key the same chain passes: that is what the key is for.
    assert.deepEqual(await f.audit.verify({ anchors: [anchor] }), { ok: true, count: 10 });

    await f.close();
    f = await startAudit({ signer: signerFromPem(generateAuditKeyPair().privatePem) });
    await writeChain(f.registry, 3);
    const r2 = await f.audit.verify({ verifier: verifier() });
    assert.deepEqual(r2, { ok: false, index: 0, entryId: (await payloads())[0]?.id, problem: "forged" });
  });

  it("catches an entry edited and the chain rehashed: forged with the key, rewritten against the anchor", async () => {
    const entries = await payloads();
    const edited = entries.map((p, i) => (i === 4 ? { ...p, actor: "someone-else" } : p));
    await rebuildChain(edited);
    assert.deepEqual(await f.audit.verify(), { ok: true, count: 9 }, "the bare hash chain cannot see it");
    assert.deepEqual(await f.audit.verify({ verifier: verifier() }), {
      ok: false,
      index: 4,
      entryId: entries[4]?.id,
      problem: "forged",
    });
    assert.deepEqual(await f.audit.verify({ anchors: [anchor] }), {
      ok: false,
      index: 8,
      entryId: "",
      problem: "rewritten",
      anchor: "anchor.json",
    });
  });

  it("catches a dropped entry with the chain renumbered and rehashed (every signature still valid) by the anchor", async () => {
    const entries = await payloads();
    await rebuildChain([...entries.slice(0, 3), ...entries.slice(4)]);
    assert.deepEqual(await f.audit.verify({ verifier: verifier() }), { ok: true, count: 8 });
    const r = await f.audit.verify({ verifier: verifier(), anchors: [anchor] });
    assert.deepEqual(r, { ok: false, index: 8, entryId: "", problem: "truncated", anchor: "anchor.json" });
    // Padded back to the anchored length with a re-signed copy is still not the anchored chain.
    await rebuildChain([...entries.slice(0, 3), ...entries.slice(4), entries[8] as Record<string, unknown>]);
    const r2 = await f.audit.verify({ verifier: verifier(), anchors: [anchor] });
    assert.equal(r2.ok === false && r2.problem, "rewritten");
  });

  it("catches a truncated tail (head moved back) and a wiped chain (DEL of log and head)", async () => {
    const entries = await payloads();
    await rebuildChain(entries.slice(0, 6));
    assert.deepEqual(await f.audit.verify({ verifier: verifier() }), { ok: true, count: 6 });
    assert.deepEqual(await f.audit.verify({ verifier: verifier(), anchors: [anchor] }), {
      ok: false,
      index: 6,
      entryId: "",
      problem: "truncated",
      anchor: "anchor.json",
    });
    await f.redis.del(LOG, HEAD);
    assert.deepEqual(await f.audit.verify({ verifier: verifier() }), { ok: true, count: 0 });
    assert.deepEqual(await f.audit.verify({ anchors: [anchor] }), {
      ok: false,
      index: 0,
      entryId: "",
      problem: "wiped",
      anchor: "anchor.json",
    });
  });

  it("accepts unsigned entries a signed anchor covers (written before the key was set up), not those after it", async () => {
    await f.close();
    f = await startAudit({ signer: null });
    await writeChain(f.registry, 4);
    const legacy = {
      file: "a.json",
      checkpoint: makeCheckpoint(await f.audit.head(), { namespace: "leakstop", signer }),
    };
    assert.equal((await f.audit.verify({ verifier: verifier() })).ok, false, "unsigned and not covered");
    assert.deepEqual(await f.audit.verify({ verifier: verifier(), anchors: [legacy] }), { ok: true, count: 4 });
    await new Registry(f.redis, { issuer: "lsk", auditSigner: signer }).create({ owner: { id: "x" } }, "t");
    assert.deepEqual(await f.audit.verify({ verifier: verifier(), anchors: [legacy] }), { ok: true, count: 5 });
    await new Registry(f.redis, { issuer: "lsk", auditSigner: null }).create({ owner: { id: "y" } }, "t");
    const r = await f.audit.verify({ verifier: verifier(), anchors: [legacy] });
    assert.equal(r.ok === false && r.problem, "unsigned");
  });

  it("refuses an anchor whose signature does not verify, or of another namespace", async () => {
    const edited = { file: "x.json", checkpoint: { ...anchor.checkpoint, seq: 2 } };
    await assert.rejects(f.audit.verify({ verifier: verifier(), anchors: [edited] }), {
      code: "LS_AUDIT_ANCHOR_INVALID",
      message: /x\.json: its signature does not verify/,
    });
    const other = { file: "y.json", checkpoint: { ...anchor.checkpoint, namespace: "other" } };
    await assert.rejects(f.audit.verify({ anchors: [other] }), { code: "LS_AUDIT_ANCHOR_INVALID" });
  });

  it("names a duplicated entry 'inserted'", async () => {
    const third = (await f.redis.lindex(LOG, 2)) as string;
    await f.redis.linsert(LOG, "AFTER", third, third);
    const r = await f.audit.verify();
    assert.deepEqual(r, { ok: false, index: 3, entryId: JSON.parse(third).id, problem: "inserted" });
  });
});
