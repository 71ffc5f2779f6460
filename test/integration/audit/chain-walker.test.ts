/** Property test of the chain walker: any single edit, drop, swap or move is caught at the right entry. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ChainWalker } from "../../../src/audit/chain.js";
import { auditPayload, entryHash, GENESIS_HASH } from "../../../src/audit/entry.js";
import type { AuditVerifyResult } from "../../../src/audit/types.js";

/** Builds stored entries exactly as src/audit/lua/append.lua does. */
function buildChain(n: number): { raw: string[]; ids: string[]; head: { seq: number; hash: string } | null } {
  const raw: string[] = [];
  const ids: string[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const payload = auditPayload({
      ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      action: seq % 2 ? "key.create" : "key.revoke",
      actor: "prop",
      keyId: `key_${seq}`,
      hint: "lsk_live_…abcd",
      details: { n: seq },
    });
    const hash = entryHash(prev, seq, payload);
    raw.push(`{"seq":${seq},"prevHash":"${prev}","hash":"${hash}",${payload.slice(1)}`);
    ids.push(JSON.parse(payload).id);
    prev = hash;
  }
  return { raw, ids, head: n > 0 ? { seq: n, hash: prev } : null };
}

function walk(raw: string[], head: { seq: number; hash: string } | null): AuditVerifyResult {
  const walker = new ChainWalker(head);
  for (const r of raw) walker.push(r);
  return walker.result();
}

const tamper = fc.record({
  n: fc.integer({ min: 2, max: 30 }),
  at: fc.nat(),
  op: fc.constantFrom("edit", "drop", "swap", "move-to-end"),
});

describe("ChainWalker", () => {
  it("accepts every intact chain", () => {
    for (const n of [0, 1, 2, 17]) {
      const { raw, head } = buildChain(n);
      assert.deepEqual(walk(raw, head), { ok: true, count: n });
    }
  });

  it("names the first tampered entry for any single edit, drop, swap or move", () => {
    fc.assert(
      fc.property(tamper, ({ n, at, op }) => {
        const { raw, ids, head } = buildChain(n);
        const i = at % (op === "swap" || op === "move-to-end" ? n - 1 : n);
        const t = [...raw];
        let expected: AuditVerifyResult;
        if (op === "edit") {
          t[i] = (t[i] as string).replace('"actor":"prop"', '"actor":"mallory"');
          expected = { ok: false, index: i, entryId: ids[i] as string, problem: "edited" };
        } else if (op === "drop") {
          t.splice(i, 1);
          expected = { ok: false, index: i, entryId: i < n - 1 ? (ids[i + 1] as string) : "", problem: "dropped" };
        } else if (op === "swap") {
          [t[i], t[i + 1]] = [t[i + 1] as string, t[i] as string];
          expected = { ok: false, index: i, entryId: ids[i + 1] as string, problem: "reordered" };
        } else {
          t.push(...t.splice(i, 1));
          expected = { ok: false, index: i, entryId: ids[i + 1] as string, problem: "reordered" };
        }
        assert.deepEqual(walk(t, head), expected);
      }),
      { numRuns: 500 },
    );
  });

  it("checks entries past the head read before the walk against the head read after it", () => {
    const { raw, ids } = buildChain(6);
    const headAt = (seq: number) => ({ seq, hash: JSON.parse(raw[seq - 1] as string).hash as string });
    assert.deepEqual(walk(raw, null), { ok: true, count: 6 }, "no head: everything is checked");
    // Two appends landed during the walk: the head read after it covers them.
    const during = new ChainWalker(headAt(4));
    for (const r of raw) during.push(r);
    assert.deepEqual(during.result(headAt(6)), { ok: true, count: 6 });
    // The same two entries with the head still at 4: written to the list behind the registry's back.
    const forged = new ChainWalker(headAt(4));
    for (const r of raw) forged.push(r);
    assert.deepEqual(forged.result(headAt(4)), { ok: false, index: 4, entryId: ids[4], problem: "inserted" });
    const noHead = new ChainWalker(null);
    for (const r of raw) noHead.push(r);
    assert.deepEqual(noHead.result(null), { ok: false, index: 0, entryId: ids[0], problem: "inserted" });
    assert.deepEqual(walk(raw.slice(0, 3), headAt(4)), { ok: false, index: 3, entryId: "", problem: "dropped" });
  });
});
