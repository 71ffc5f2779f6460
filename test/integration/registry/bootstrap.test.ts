/** Bootstrap admin in one script: what counts as an active admin key. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ROLE_SCOPES } from "../../../src/registry/index.js";
import { type RegistryFixture, startRegistry } from "./fixture.js";

const admin = { owner: { id: "admin" }, scopes: ROLE_SCOPES.admin };

describe("registry create onlyIfNoAdmin", () => {
  let f: RegistryFixture;
  before(async () => {
    f = await startRegistry();
  });
  after(async () => {
    await f?.close();
  });

  it("is refused while an admin key is active, allowed once it expired, refused again for a rotated admin's successor", async () => {
    const first = await f.registry.create({ ...admin, expiresInSeconds: 60 }, "test", { onlyIfNoAdmin: true });
    await assert.rejects(f.registry.create(admin, "test", { onlyIfNoAdmin: true }), { code: "LS_KEY_STATE" });
    f.clock.advance(61);
    const second = await f.registry.create(admin, "test", { onlyIfNoAdmin: true });
    assert.notEqual(second.record.id, first.record.id);
    await f.registry.rotate(second.record.id, { overlapSeconds: 10 }, "test");
    await assert.rejects(f.registry.create(admin, "test", { onlyIfNoAdmin: true }), { code: "LS_KEY_STATE" });
    assert.equal((await f.registry.list({})).items.length, 3, "the refused calls wrote nothing");
  });

  it("ignores keys that are not admins", async () => {
    const g = await startRegistry();
    try {
      await g.registry.create({ owner: { id: "x" }, scopes: ROLE_SCOPES.issuer }, "test");
      await g.registry.create(admin, "test", { onlyIfNoAdmin: true });
    } finally {
      await g.close();
    }
  });
});
