import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KeyRecord, ListFilter } from "../../../src/registry/index.js";
import { type RegistryFixture, startRegistry } from "./fixture.js";

let f: RegistryFixture;
const created: KeyRecord[] = [];
before(async () => {
  f = await startRegistry();
  // 30 keys, one second apart (two share each second to exercise ties), three owners, both envs.
  for (let i = 0; i < 30; i++) {
    if (i % 2 === 0) f.clock.advance(1);
    const env = i % 3 === 0 ? "test" : "live";
    const { record } = await f.registry.create({ owner: { id: `owner${i % 3}` }, env }, "t");
    created.push(record);
  }
  for (const r of created.slice(0, 5)) await f.registry.revoke(r.id, "cleanup", "t");
});
after(async () => {
  await f.close();
});

async function all(filter: ListFilter): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await f.registry.list({ ...filter, ...(cursor ? { cursor } : {}) });
    assert.ok(page.items.length <= (filter.limit ?? 50));
    ids.push(...page.items.map((r) => r.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("pagination did not end");
}

const sortedIds = (records: KeyRecord[]) =>
  [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((r) => r.id);

describe("list", () => {
  it("pages through every key exactly once, oldest first", async () => {
    assert.deepEqual(await all({ limit: 7 }), sortedIds(created));
    assert.deepEqual(await all({ limit: 1 }), sortedIds(created));
    assert.deepEqual(await all({}), sortedIds(created));
  });

  it("filters by owner, env and status", async () => {
    assert.deepEqual(
      await all({ owner: "owner1", limit: 3 }),
      sortedIds(created.filter((r) => r.owner.id === "owner1")),
    );
    assert.deepEqual(await all({ env: "test", limit: 4 }), sortedIds(created.filter((r) => r.env === "test")));
    assert.deepEqual(await all({ status: "revoked", limit: 2 }), sortedIds(created.slice(0, 5)));
    assert.equal((await all({ status: "active" })).length, 25);
    assert.deepEqual(await all({ owner: "nobody" }), []);
  });

  it("filters by age", async () => {
    const pivot = created[10] as KeyRecord;
    const after = await all({ createdAfter: pivot.createdAt, limit: 4 });
    assert.deepEqual(after, sortedIds(created.filter((r) => r.createdAt > pivot.createdAt)));
    const before = await all({ createdBefore: pivot.createdAt });
    assert.deepEqual(before, sortedIds(created.filter((r) => r.createdAt < pivot.createdAt)));
  });

  it("keeps a cursor valid while keys are added", async () => {
    const first = await f.registry.list({ limit: 10 });
    f.clock.advance(10);
    const { record } = await f.registry.create({ owner: { id: "late" } }, "t");
    const rest = await all({ limit: 10, cursor: first.nextCursor ?? "" });
    assert.deepEqual([...first.items.map((r) => r.id), ...rest], [...sortedIds(created), record.id]);
  });

  it("rejects bad filters with LS_USAGE", async () => {
    for (const filter of [
      { cursor: "bm90LWEtY3Vyc29y" },
      { limit: 0 },
      { limit: 5000 },
      { status: "gone" },
      { env: "prod" },
      { createdAfter: "yesterday" },
    ]) {
      await assert.rejects(f.registry.list(filter), { code: "LS_USAGE" }, JSON.stringify(filter));
    }
  });
});
