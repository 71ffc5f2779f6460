/**
 * GET /v1/audit/verify runs the checks of `leakstop audit verify --public-key
 * --anchor`: with the audit public key and the server's anchor directory, a chain
 * wiped, truncated or rehashed by someone with Redis write access (but not the
 * audit key, nor the checkpoint files) is named over HTTP; an untouched one passes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { AuditLog } from "../../../src/audit/audit-log.js";
import { makeCheckpoint, writeCheckpointFile } from "../../../src/audit/checkpoint.js";
import { entryHash } from "../../../src/audit/entry.js";
import { type AuditSigner, generateAuditKeyPair, verifierFor } from "../../../src/audit/signing.js";
import { signerFromPem, writeChain } from "../audit/fixture.js";
import { type Answer, call, type Harness, startHarness } from "./harness.js";

const LOG = "leakstop:audit:log";
const HEAD = "leakstop:audit:head";

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * A server whose registry signs with a fresh audit key, 9 entries written and anchored in a
 * checkpoint directory. `publicKey: false` leaves the server without the public key.
 */
async function start(
  opts: { publicKey?: boolean } = {},
): Promise<{ h: Harness; signer: AuditSigner; auditor: string }> {
  const signer = signerFromPem(generateAuditKeyPair().privatePem);
  dir = mkdtempSync(join(tmpdir(), "leakstop-anchors-"));
  const verifier = opts.publicKey === false ? null : verifierFor(signer.publicKey);
  h = await startHarness({ auditTrust: { verifier, anchorDir: dir } }, undefined, {}, { auditSigner: signer });
  await writeChain(h.registry, 7);
  const auditor = (await h.keyWithRole("auditor")).key;
  const head = await new AuditLog(h.redis).head();
  writeCheckpointFile(dir, makeCheckpoint(head, { namespace: "leakstop", signer }));
  return { h, signer, auditor };
}

async function verify(auditor: string): Promise<Answer> {
  const res = await call(h as Harness, "GET", "/v1/audit/verify", { key: auditor });
  assert.equal(res.status, 200, res.text);
  return res;
}

/** Rewrites the chain from its payloads after `edit`, hashing it as a forger without the key would, head included. */
async function rehash(edit: (payloads: Record<string, unknown>[]) => void): Promise<void> {
  const redis = (h as Harness).redis;
  const payloads = (await redis.lrange(LOG, 0, -1)).map((raw) => {
    const { seq: _s, prevHash: _p, hash: _h, ...rest } = JSON.parse(raw);
    return rest as Record<string, unknown>;
  });
  edit(payloads);
  await redis.del(LOG, HEAD);
  let prev = "0".repeat(64);
  for (const [i, payload] of payloads.entries()) {
    const text = JSON.stringify(payload);
    const hash = entryHash(prev, i + 1, text);
    await redis.rpush(LOG, `{"seq":${i + 1},"prevHash":"${prev}","hash":"${hash}",${text.slice(1)}`);
    prev = hash;
  }
  await redis.hset(HEAD, "seq", String(payloads.length), "hash", prev);
}

describe("GET /v1/audit/verify with the audit public key and the anchor directory", () => {
  it("passes an untouched chain, naming the key and the checkpoint it checked, also after later appends", async () => {
    const { signer, auditor } = await start();
    const res = await verify(auditor);
    assert.equal(res.body.ok, true);
    assert.equal(res.body.count, 9);
    assert.equal(res.body.signatures, signer.keyId);
    assert.equal(res.body.checkpoint.seq, 9);
    assert.match(res.body.checkpoint.file, /^checkpoint-000000000009-/, "the file name, not the server's path");
    assert.match(res.body.message, /^audit trail intact: 9 entries; signatures checked with key [0-9a-f]{16}; matches/);
    await writeChain((h as Harness).registry, 2, "later");
    const later = await verify(auditor);
    assert.equal(later.body.ok, true);
    assert.equal(later.body.count, 11);
  });

  it("names a wiped chain (log and head deleted)", async () => {
    const { auditor } = await start();
    await (h as Harness).redis.del(LOG, HEAD);
    const res = await verify(auditor);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.problem, "wiped");
    assert.match(res.body.message, /the chain is empty, but checkpoint-\S+ anchors 9 entries/);
  });

  it("names a truncated chain whose head was moved back to match", async () => {
    const { auditor } = await start();
    const redis = (h as Harness).redis;
    await redis.ltrim(LOG, 0, 5);
    const last = JSON.parse((await redis.lindex(LOG, -1)) as string);
    await redis.hset(HEAD, "seq", "6", "hash", last.hash);
    const res = await verify(auditor);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.problem, "truncated");
    assert.match(res.body.message, /holds 6 entries, but checkpoint-\S+ anchors 9: its tail was cut off/);
  });

  it("names an edited, rehashed chain: forged with the public key", async () => {
    const { auditor } = await start();
    await rehash((p) => {
      (p[2] as Record<string, unknown>).actor = "someone-else";
    });
    const res = await verify(auditor);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.problem, "forged");
    assert.equal(res.body.index, 2);
    assert.match(res.body.message, /^entry #3 \(\S+\) has a signature that does not verify/);
  });

  it("names an entry past the checkpoint rewritten without its signature: unsigned", async () => {
    const { auditor } = await start();
    await writeChain((h as Harness).registry, 2, "later");
    await rehash((payloads) => {
      delete payloads[9]?.sig;
    });
    const res = await verify(auditor);
    assert.equal(res.body.problem, "unsigned");
    assert.equal(res.body.index, 9);
  });

  it("names a chain whose signatures were all stripped and rehashed: rewritten since the checkpoint", async () => {
    const { auditor } = await start();
    await rehash((payloads) => {
      for (const p of payloads) delete p.sig;
    });
    // Unsigned entries under a signed checkpoint are allowed (written before the key), but not changed ones.
    assert.equal((await verify(auditor)).body.problem, "rewritten");
  });

  it("without the public key, the checkpoint still catches a rehashed chain: rewritten", async () => {
    const { auditor } = await start({ publicKey: false });
    await rehash((p) => {
      (p[4] as Record<string, unknown>).actor = "someone-else";
    });
    const res = await verify(auditor);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.problem, "rewritten");
    assert.equal(res.body.signatures, null);
    assert.match(res.body.message, /^entry #9 no longer has the hash [0-9a-f]{16}… that checkpoint-\S+ anchors/);
  });

  it("refuses a checkpoint edited to fit a rewritten chain: anchor_invalid", async () => {
    const { auditor } = await start();
    const file = readdirSync(dir as string)[0] as string;
    const path = join(dir as string, file);
    const checkpoint = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...checkpoint, seq: 3 }));
    const res = await verify(auditor);
    assert.equal(res.body.ok, false);
    assert.equal(res.body.problem, "anchor_invalid");
    assert.match(
      res.body.message,
      /^checkpoint checkpoint-\S+: its signature does not verify with the audit public key/,
    );
  });
});

describe("GET /v1/audit/verify without key or checkpoints", () => {
  it("says what it could not prove", async () => {
    h = await startHarness();
    const auditor = (await h.keyWithRole("auditor")).key;
    const res = await verify(auditor);
    assert.equal(res.body.ok, true);
    assert.equal(res.body.signatures, null);
    assert.equal(res.body.checkpoint, null);
    assert.match(res.body.message, /signatures not checked .*; no checkpoint to compare with/);
  });
});
