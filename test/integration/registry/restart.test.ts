/**
 * Redis restarts (SIGKILL, then a graceful one) with AOF on in the middle of a
 * run: every acknowledged change survives, the audit chain still verifies, and
 * the scripts work again although Redis forgot its script cache.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type RegistryFixture, startRegistry } from "./fixture.js";

let f: RegistryFixture;
before(async () => {
  f = await startRegistry({ appendonly: true });
});
after(async () => {
  await f.close();
});

interface Issued {
  id: string;
  key: string;
  revoked: boolean;
  rotatedTo: string | null;
}

describe("Redis restart with AOF during a run", () => {
  it("loses no acknowledged change", async () => {
    const issued: Issued[] = [];
    let failures = 0;
    let restart: Promise<void> | null = null;
    const pids = new Set([f.server.pid]);
    for (let i = 0; i < 240; i++) {
      if (i === 80) restart = f.server.restart({ hard: true });
      if (i === 160) {
        await restart;
        pids.add(f.server.pid);
        restart = f.server.restart({ hard: false });
      }
      try {
        const { key, record } = await f.registry.create({ owner: { id: "restart" }, scopes: ["keys:read"] }, "t");
        const entry: Issued = { id: record.id, key, revoked: false, rotatedTo: null };
        issued.push(entry);
        assert.equal((await f.registry.verify(key)).valid, true);
        if (i % 4 === 0) {
          const r = await f.registry.rotate(record.id, { overlapSeconds: 3600 }, "t");
          entry.rotatedTo = r.record.id;
          issued.push({ id: r.record.id, key: r.key, revoked: false, rotatedTo: null });
        }
        if (i % 6 === 0) {
          await f.registry.revoke(record.id, "test", "t");
          entry.revoked = true;
        }
      } catch (err) {
        // A command caught by the crash may fail; it must not have half-applied (checked below).
        failures++;
        assert.ok(err instanceof Error);
      }
    }
    await restart;
    pids.add(f.server.pid);
    assert.equal(pids.size, 3, "the server really was restarted twice");
    process.stderr.write(`restart run: ${issued.length} keys issued, ${failures} operations failed around restarts\n`);
    assert.ok(failures < 20, `too many failures around the restarts: ${failures}`);

    for (const k of issued) {
      const record = await f.registry.get(k.id);
      assert.ok(record, `${k.id} survived`);
      if (k.revoked) assert.equal(record.status, "revoked", k.id);
      if (k.rotatedTo) assert.equal(record.rotatedTo, k.rotatedTo, k.id);
      const v = await f.registry.verify(k.key);
      assert.equal(v.valid, !k.revoked, `${k.id}: ${v.reason}`);
    }
    const chain = await f.audit.verify();
    assert.equal(chain.ok, true, JSON.stringify(chain));
    const changes = issued.length + issued.filter((k) => k.revoked).length;
    assert.ok((await f.audit.length()) >= changes, "every acknowledged change has its audit entry");
  });
});
