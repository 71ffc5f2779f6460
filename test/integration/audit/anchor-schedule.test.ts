/**
 * The server's scheduled checkpoints: written while the chain checks out, withheld
 * (and reported) once someone without the key appended to it or cut it short.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { startAnchorSchedule } from "../../../src/audit/anchor-schedule.js";
import { loadCheckpoints } from "../../../src/audit/checkpoint.js";
import { generateAuditKeyPair, verifierFor } from "../../../src/audit/signing.js";
import { Registry } from "../../../src/registry/index.js";
import { type AuditFixture, signerFromPem, startAudit, writeChain } from "./fixture.js";

let f: AuditFixture;
let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "leakstop-anchors-"));
});
afterEach(async () => {
  await f.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("scheduled audit checkpoints", () => {
  it("writes a signed checkpoint when the head moved, and none for a chain extended without the key", async () => {
    const signer = signerFromPem(generateAuditKeyPair().privatePem);
    f = await startAudit({ signer });
    await writeChain(f.registry, 3);
    const errors: string[] = [];
    const schedule = startAnchorSchedule(f.audit, {
      dir,
      everyMs: 3_600_000,
      signer,
      onError: (err) => errors.push((err as Error).message),
    });
    await schedule.tick();
    await schedule.tick(); // head unchanged: nothing new
    assert.deepEqual(errors, []);
    assert.equal(readdirSync(dir).length, 1);
    await writeChain(f.registry, 2, "more");
    await schedule.tick();
    const written = loadCheckpoints(dir);
    assert.deepEqual(
      written.map((c) => c.checkpoint.seq),
      [3, 5],
    );
    assert.deepEqual(await f.audit.verify({ verifier: verifierFor(signer.publicKey), anchors: written }), {
      ok: true,
      count: 5,
    });

    await new Registry(f.redis, { issuer: "lsk", auditSigner: null }).create({ owner: { id: "m" } }, "mallory");
    await schedule.tick();
    assert.equal(readdirSync(dir).length, 2, "no checkpoint blesses the unsigned entry");
    assert.match(errors[0] ?? "", /entry #6 .* is not signed by the audit key/);

    await f.redis.rpop("leakstop:audit:log");
    await f.redis.rpop("leakstop:audit:log");
    await f.redis.hset("leakstop:audit:head", "seq", "4");
    await schedule.tick();
    assert.match(errors[1] ?? "", /shrank from 5 to 4/);
    await schedule.stop();
  });
});
