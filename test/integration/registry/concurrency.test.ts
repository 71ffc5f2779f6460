import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isLeakstopError } from "../../../src/lib/errors.js";
import { sha256Hex } from "../../../src/lib/hash.js";
import { Registry } from "../../../src/registry/index.js";
import { type RegistryFixture, startRegistry } from "./fixture.js";

let f: RegistryFixture;
let other: Registry;
before(async () => {
  f = await startRegistry();
  // A second client: its commands really interleave with the first one's on the server.
  other = new Registry(f.connect(), { issuer: "lsk", now: f.clock.now });
});
after(async () => {
  await f.close();
});

const owner = { id: "race" };

describe("races on one key", () => {
  it("two rotations: exactly one wins, the other is told the key was already rotated", async () => {
    for (let round = 0; round < 25; round++) {
      const { key, record } = await f.registry.create({ owner }, "t");
      const results = await Promise.allSettled([
        f.registry.rotate(record.id, { overlapSeconds: 60 }, "a"),
        other.rotate(record.id, { overlapSeconds: 60 }, "b"),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      assert.equal(won.length, 1, `round ${round}`);
      assert.ok(isLeakstopError(lost[0]?.reason) && lost[0].reason.code === "LS_KEY_STATE");
      const winner = won[0]?.status === "fulfilled" ? won[0].value : null;
      const old = await f.registry.get(record.id);
      assert.equal(old?.rotatedTo, winner?.record.id, "the old key links to the winner only");
      assert.equal((await f.registry.verify(key)).valid, true, "old key still in its overlap");
      assert.equal((await f.registry.verify(winner?.key ?? "")).valid, true);
    }
    assert.equal((await f.audit.verify()).ok, true);
  });

  it("a rotation and a revocation: the outcome is one of the two serial orders", async () => {
    const seen = new Set<string>();
    for (let round = 0; round < 25; round++) {
      const { key, record } = await f.registry.create({ owner }, "t");
      const [rot, rev] = await Promise.allSettled([
        f.registry.rotate(record.id, { overlapSeconds: 60 }, "a"),
        other.revoke(record.id, "leaked", "b"),
      ]);
      assert.equal(rev.status, "fulfilled", "revoking always succeeds");
      const old = await f.registry.get(record.id);
      assert.equal(old?.status, "revoked");
      assert.equal((await f.registry.verify(key)).reason, "revoked");
      if (rot.status === "fulfilled") {
        seen.add("rotate-then-revoke");
        assert.equal(old?.rotatedTo, rot.value.record.id);
        assert.equal((await f.registry.verify(rot.value.key)).valid, true, "the successor survives");
      } else {
        seen.add("revoke-then-rotate");
        assert.equal(old?.rotatedTo, null);
        assert.match(String(rot.reason.message), /revoked/);
      }
    }
    assert.ok(seen.size >= 1);
    const chain = await f.audit.verify();
    assert.equal(chain.ok, true, JSON.stringify(chain));
  });

  it("many writers and verifiers at once keep the audit chain whole", async () => {
    const before = await f.audit.length();
    const made = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? f.registry : other).create({ owner }, "t")),
    );
    await Promise.all([
      ...made.map(({ key }) => other.verify(key)),
      ...made.slice(0, 50).map(({ record }, i) => (i % 2 ? f.registry : other).revoke(record.id, "bulk", "t")),
      ...made.slice(0, 50).map(({ key }) => f.registry.revokeByHash(sha256Hex(key), "bulk", "p")),
    ]);
    const chain = await f.audit.verify();
    assert.equal(chain.ok, true, JSON.stringify(chain));
    const actions = new Map<string, string[]>();
    let index = 0;
    for await (const e of f.audit.export()) {
      if (index++ < before || !e.keyId) continue;
      actions.set(e.keyId, [...(actions.get(e.keyId) ?? []), e.action]);
    }
    for (const [i, { record }] of made.entries()) {
      const got = actions.get(record.id) ?? [];
      assert.equal(got[0], "key.create");
      // Exactly one revocation per revoked key, whoever came first; a later revokeByHash is recorded as a repeat.
      assert.equal(got.filter((a) => a === "key.revoke").length, i < 50 ? 1 : 0, record.id);
      assert.ok(got.filter((a) => a === "key.revoke_repeat").length <= 1);
    }
  });
});
