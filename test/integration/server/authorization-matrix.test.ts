/**
 * Least privilege, route x caller x target: every cell over real HTTP on loopback
 * against a real Redis. The expected answers are written out by hand, not derived
 * from the policy under test.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type CreateKeyInput, ROLE_SCOPES } from "../../../src/registry/index.js";
import { type Answer, call, type Harness, startHarness } from "./harness.js";

type Spec = Pick<CreateKeyInput, "owner" | "scopes" | "manages">;

const CALLERS: Record<string, Spec> = {
  admin: { owner: { id: "ops" }, scopes: ROLE_SCOPES.admin },
  issuerAll: { owner: { id: "ops" }, scopes: ROLE_SCOPES.issuer, manages: ["*"] },
  issuerA: { owner: { id: "team-a" }, scopes: ROLE_SCOPES.issuer },
  auditor: { owner: { id: "ops" }, scopes: ROLE_SCOPES.auditor, manages: ["*"] },
  /** Reads only: an auditor of one team (manages defaults to its own owner). */
  auditorA: { owner: { id: "team-a" }, scopes: ROLE_SCOPES.auditor },
  scanner: { owner: { id: "ops" }, scopes: ROLE_SCOPES.scanner, manages: ["*"] },
};

const TARGETS: Record<string, Spec> = {
  admin: { owner: { id: "ops" }, scopes: ROLE_SCOPES.admin },
  issuerAll: { owner: { id: "ops" }, scopes: ROLE_SCOPES.issuer, manages: ["*"] },
  issuerPeerA: { owner: { id: "team-a" }, scopes: ROLE_SCOPES.issuer, manages: ["team-a"] },
  customerA: { owner: { id: "team-a" }, scopes: ["orders:read"] },
  customerB: { owner: { id: "team-b" }, scopes: ["orders:read"] },
  auditorA: { owner: { id: "team-a" }, scopes: ROLE_SCOPES.auditor },
  scannerA: { owner: { id: "team-a" }, scopes: ROLE_SCOPES.scanner },
};

/** Rotate and revoke: the status each caller gets on each target. */
const CHANGE: Record<string, Record<string, number>> = {
  admin: { admin: 200, issuerAll: 200, issuerPeerA: 200, customerA: 200, customerB: 200, auditorA: 200, scannerA: 200 },
  issuerAll: {
    admin: 403,
    issuerAll: 200,
    issuerPeerA: 200,
    customerA: 200,
    customerB: 200,
    auditorA: 403,
    scannerA: 403,
  },
  issuerA: {
    admin: 403,
    issuerAll: 403,
    issuerPeerA: 200,
    customerA: 200,
    customerB: 403,
    auditorA: 403,
    scannerA: 403,
  },
  auditor: {
    admin: 403,
    issuerAll: 403,
    issuerPeerA: 403,
    customerA: 403,
    customerB: 403,
    auditorA: 403,
    scannerA: 403,
  },
  scanner: {
    admin: 403,
    issuerAll: 403,
    issuerPeerA: 403,
    customerA: 403,
    customerB: 403,
    auditorA: 403,
    scannerA: 403,
  },
};

/** POST /v1/keys bodies, and the status each caller gets. */
const CREATE: Record<string, { body: Record<string, unknown>; expect: Record<string, number> }> = {
  adminForOps: {
    body: { owner: { id: "ops" }, role: "admin" },
    expect: { admin: 201, issuerAll: 403, issuerA: 403, auditor: 403, scanner: 403 },
  },
  issuerManagingAll: {
    body: { owner: { id: "ops" }, role: "issuer", manages: ["*"] },
    expect: { admin: 201, issuerAll: 201, issuerA: 403, auditor: 403, scanner: 403 },
  },
  issuerForTeamA: {
    body: { owner: { id: "team-a" }, role: "issuer" },
    expect: { admin: 201, issuerAll: 201, issuerA: 201, auditor: 403, scanner: 403 },
  },
  issuerForTeamAManagingB: {
    body: { owner: { id: "team-a" }, role: "issuer", manages: ["team-a", "team-b"] },
    expect: { admin: 201, issuerAll: 201, issuerA: 403, auditor: 403, scanner: 403 },
  },
  customerA: {
    body: { owner: { id: "team-a" }, scopes: ["orders:read"] },
    expect: { admin: 201, issuerAll: 201, issuerA: 201, auditor: 403, scanner: 403 },
  },
  customerB: {
    body: { owner: { id: "team-b" }, scopes: ["orders:read"] },
    expect: { admin: 201, issuerAll: 201, issuerA: 403, auditor: 403, scanner: 403 },
  },
  auditorForTeamA: {
    body: { owner: { id: "team-a" }, role: "auditor" },
    expect: { admin: 201, issuerAll: 403, issuerA: 403, auditor: 403, scanner: 403 },
  },
};

/** Who learns owner, scopes and env from POST /v1/keys/verify. */
const VERIFY_REVEALS: Record<string, boolean> = {
  admin: true,
  issuerAll: true,
  issuerA: true,
  auditor: true,
  scanner: false,
};

describe("authorization matrix", () => {
  let h: Harness;
  const callerKeys: Record<string, string> = {};

  before(async () => {
    h = await startHarness();
    for (const [name, spec] of Object.entries(CALLERS)) callerKeys[name] = (await h.registry.create(spec, "test")).key;
  });
  after(async () => {
    await h?.close();
  });

  const target = async (name: string) => (await h.registry.create(TARGETS[name] as Spec, "test")).record;
  const label = (res: Answer) => `${res.status} ${res.text.slice(0, 200)}`;

  for (const action of ["rotate", "revoke"] as const) {
    for (const [callerName, row] of Object.entries(CHANGE)) {
      it(`${action}: ${callerName} caller on every target`, async () => {
        for (const [targetName, expected] of Object.entries(row)) {
          const t = await target(targetName);
          const body = action === "rotate" ? { overlapSeconds: 0 } : { reason: "matrix" };
          const res = await call(h, "POST", `/v1/keys/${t.id}/${action}`, { key: callerKeys[callerName], body });
          assert.equal(res.status, expected, `${callerName} ${action} ${targetName}: ${label(res)}`);
          const after = await h.registry.get(t.id);
          if (expected === 403) {
            assert.equal(res.body.error.code, "LS_FORBIDDEN");
            assert.equal(after?.status, "active", "a refused change leaves the target untouched");
            assert.equal(after?.rotatedTo, null);
            assert.equal(res.body.key, undefined);
          } else if (action === "revoke") {
            assert.equal(after?.status, "revoked");
          } else {
            assert.match(res.body.key, /^lsk_live_/);
            assert.deepEqual(res.body.record.manages, after?.manages, "the successor manages what its parent did");
          }
        }
      });
    }
  }

  for (const [specName, { body, expect }] of Object.entries(CREATE)) {
    it(`create ${specName}: every caller`, async () => {
      for (const [callerName, expected] of Object.entries(expect)) {
        const res = await call(h, "POST", "/v1/keys", { key: callerKeys[callerName], body });
        assert.equal(res.status, expected, `${callerName} creates ${specName}: ${label(res)}`);
        if (expected === 403) assert.equal(res.body.key, undefined);
      }
    });
  }

  it("verify tells owner, scopes and env only to callers holding keys:read", async () => {
    const t = await h.registry.create({ owner: { id: "team-a", name: "Team A" }, scopes: ["orders:read"] }, "test");
    for (const [callerName, reveals] of Object.entries(VERIFY_REVEALS)) {
      const res = await call(h, "POST", "/v1/keys/verify", { key: callerKeys[callerName], body: { key: t.key } });
      assert.equal(res.status, 200);
      assert.equal(res.body.valid, true);
      if (reveals) {
        assert.equal(res.body.owner.id, "team-a", callerName);
        assert.deepEqual(res.body.scopes, ["orders:read"]);
        assert.equal(res.body.env, "live");
      } else {
        for (const field of ["owner", "scopes", "env", "keyId"]) assert.equal(res.body[field], undefined, field);
      }
    }
  });

  it("show (GET /v1/keys/:id): keys:read, and only keys of owners the caller manages", async () => {
    const expected: Record<string, Record<string, number>> = {
      customerA: { admin: 200, issuerAll: 200, issuerA: 200, auditor: 200, auditorA: 200, scanner: 403 },
      customerB: { admin: 200, issuerAll: 200, issuerA: 403, auditor: 200, auditorA: 403, scanner: 403 },
      admin: { admin: 200, issuerAll: 200, issuerA: 403, auditor: 200, auditorA: 403, scanner: 403 },
    };
    for (const [targetName, row] of Object.entries(expected)) {
      const t = await target(targetName);
      for (const [callerName, status] of Object.entries(row)) {
        const res = await call(h, "GET", `/v1/keys/${t.id}`, { key: callerKeys[callerName] });
        assert.equal(res.status, status, `${callerName} shows ${targetName}: ${label(res)}`);
        if (status === 403) {
          assert.equal(res.body.error.code, "LS_FORBIDDEN");
          assert.equal(res.body.owner, undefined);
          assert.doesNotMatch(res.text, /team-b|"ops"/, "a refused read does not name the owner");
        }
      }
    }
  });

  it("list (GET /v1/keys): keys:read, and only keys of owners the caller manages", async () => {
    for (const name of ["customerA", "customerB", "admin"]) await target(name);
    // The owners whose keys each caller sees in a full listing (the harness's own key is test-ops'),
    // and the status of ?owner=team-b.
    const expected: Record<string, { owners: string[] | null; teamB: number }> = {
      admin: { owners: ["ops", "team-a", "team-b", "test-ops"], teamB: 200 },
      issuerAll: { owners: ["ops", "team-a", "team-b", "test-ops"], teamB: 200 },
      issuerA: { owners: ["team-a"], teamB: 403 },
      auditor: { owners: ["ops", "team-a", "team-b", "test-ops"], teamB: 200 },
      auditorA: { owners: ["team-a"], teamB: 403 },
      scanner: { owners: null, teamB: 403 },
    };
    for (const [callerName, { owners, teamB }] of Object.entries(expected)) {
      const all = await call(h, "GET", "/v1/keys?limit=1000", { key: callerKeys[callerName] });
      if (owners === null) {
        assert.equal(all.status, 403, `${callerName} lists: ${label(all)}`);
      } else {
        assert.equal(all.status, 200, `${callerName} lists: ${label(all)}`);
        const seen = [...new Set(all.body.items.map((r: { owner: { id: string } }) => r.owner.id))].sort();
        assert.deepEqual(seen, owners, `${callerName} sees the keys of`);
      }
      const byOwner = await call(h, "GET", "/v1/keys?owner=team-b", { key: callerKeys[callerName] });
      assert.equal(byOwner.status, teamB, `${callerName} lists team-b: ${label(byOwner)}`);
      if (teamB === 200) assert.ok(byOwner.body.items.every((r: { owner: { id: string } }) => r.owner.id === "team-b"));
    }
  });

  it("an issuer that rotated its peer cannot then reach further through the successor", async () => {
    const peer = await target("issuerPeerA");
    const rotated = await call(h, "POST", `/v1/keys/${peer.id}/rotate`, { key: callerKeys.issuerA, body: {} });
    assert.equal(rotated.status, 200);
    const viaSuccessor = await call(h, "POST", "/v1/keys", {
      key: rotated.body.key,
      body: { owner: { id: "team-b" }, scopes: ["orders:read"] },
    });
    assert.equal(viaSuccessor.status, 403);
  });
});

describe("authorization on a public verify endpoint", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ verifyAccess: "public" });
  });
  after(async () => {
    await h?.close();
  });

  it("tells an anonymous caller only whether the key is valid", async () => {
    const { key } = await h.registry.create({ owner: { id: "team-a" }, scopes: ["orders:read"] }, "test");
    const res = await call(h, "POST", "/v1/keys/verify", { body: { key } });
    assert.equal(res.status, 200);
    assert.equal(res.body.valid, true);
    for (const field of ["owner", "scopes", "env", "keyId"]) assert.equal(res.body[field], undefined, field);
  });
});
