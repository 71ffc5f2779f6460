/**
 * handleFinding against a real registry (private redis-server) with recording queues: each kind
 * of finding leads to the jobs the pipeline contract names, and a retry after a crash between
 * the revocation and the enqueue finds the same eventId.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { JobsOptions } from "bullmq";
import { generateKey } from "../../../src/keyformat/key-format.js";
import type { NotifyJob, ProviderRevokeJob, SealedSecret } from "../../../src/queue/jobs.js";
import { revokerFor } from "../../../src/queue/revocable-rules.js";
import { type FindingDeps, handleFinding } from "../../../src/worker/finding-processor.js";
import { findingFor, startWorkerFixture, type WorkerFixture } from "./harness.js";

class Recorder<T> {
  added: { name: string; data: T; opts?: JobsOptions }[] = [];
  failNext = false;
  async add(name: string, data: T, opts?: JobsOptions): Promise<unknown> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("Connection is closed.");
    }
    this.added.push({ name, data, ...(opts ? { opts } : {}) });
    return {};
  }
  ids(): string[] {
    return this.added.map((a) => String(a.opts?.jobId));
  }
}

const sealed: SealedSecret = { alg: "x25519-hkdf-sha256-aes256gcm", keyId: "k", epk: "e", iv: "i", ct: "c", tag: "t" };

let f: WorkerFixture;
let notify: Recorder<NotifyJob>;
let providerRevoke: Recorder<ProviderRevokeJob>;
let deps: FindingDeps;
before(async () => {
  f = await startWorkerFixture();
});
after(async () => {
  await f.close();
});

function freshDeps(securityContact?: string): FindingDeps {
  notify = new Recorder();
  providerRevoke = new Recorder();
  deps = {
    registry: f.registry,
    notify,
    providerRevoke,
    revokerFor: (r) => revokerFor(r) ?? undefined,
    now: () => new Date("2026-03-01T00:00:00Z"),
    ...(securityContact !== undefined ? { securityContact } : {}),
  };
  return deps;
}

describe("handleFinding", () => {
  it("revokes an own key and notifies each of the owner's contacts under notify:<eventId>:<channel>", async () => {
    const { key, record } = await f.registry.create(
      { owner: { id: "o", email: "a@o.test", webhook: "https://o.test/h" } },
      "t",
    );
    const r = await handleFinding(findingFor(key), freshDeps());
    assert.equal(r.outcome, "revoked");
    const entry = (await f.entriesOf(record.id)).find((e) => e.action === "key.revoke");
    assert.equal(r.eventId, entry?.id);
    assert.deepEqual(notify.ids(), [`notify:${entry?.id}:webhook`, `notify:${entry?.id}:email`]);
    assert.equal(notify.added[0]?.data.actedAt, (await f.registry.get(record.id))?.revokedAt);
    assert.equal(notify.added[0]?.opts?.attempts, 8);
  });

  it("revokes also when the path holds control characters or bidi overrides (kept out of the reason)", async () => {
    const { key, record } = await f.registry.create({ owner: { id: "o" } }, "t");
    const r = await handleFinding(findingFor(key, "evil\u202e\u0085\u2028\u001b[31m.ts"), freshDeps());
    assert.equal(r.outcome, "revoked");
    assert.equal((await f.registry.get(record.id))?.revokeReason, "leaked: leakstop-key at acme/app:evil [31m.ts:3");
  });

  it("a crash between revoke and enqueue: the retry enqueues the same eventId, and only once more", async () => {
    const { key, record } = await f.registry.create({ owner: { id: "o", webhook: "https://o.test/h" } }, "t");
    const finding = findingFor(key);
    freshDeps();
    notify.failNext = true;
    await assert.rejects(handleFinding(finding, deps), /Connection is closed/);
    assert.equal((await f.registry.get(record.id))?.status, "revoked");
    const retry = await handleFinding(finding, deps);
    assert.equal(retry.outcome, "revoked-retry");
    const again = await handleFinding(finding, deps);
    const entry = (await f.entriesOf(record.id)).find((e) => e.action === "key.revoke");
    assert.deepEqual(notify.ids(), [`notify:${entry?.id}:webhook`, `notify:${entry?.id}:webhook`]);
    assert.equal(again.eventId, entry?.id);
    // Redeliveries of the revoking finding are not repeats.
    assert.deepEqual(
      (await f.entriesOf(record.id)).map((e) => e.action),
      ["key.create", "key.revoke"],
    );
  });

  it("another finding of a revoked key is a repeat: recorded once, never notified", async () => {
    const { key, record } = await f.registry.create({ owner: { id: "o", webhook: "https://o.test/h" } }, "t");
    await handleFinding(findingFor(key, "one.ts"), freshDeps());
    const second = findingFor(key, "two.ts");
    assert.equal((await handleFinding(second, deps)).outcome, "repeat");
    assert.equal((await handleFinding(second, deps)).outcome, "repeat");
    assert.equal(notify.added.length, 1);
    assert.deepEqual(
      (await f.entriesOf(record.id)).map((e) => [e.action, e.details.findingId ?? null]),
      [
        ["key.create", null],
        ["key.revoke", findingFor(key, "one.ts").findingId],
        ["key.revoke_repeat", second.findingId],
      ],
    );
  });

  it("an expired key is left alone; an own-format key the registry does not know is only counted", async () => {
    const { key, record } = await f.registry.create({ owner: { id: "o" }, expiresInSeconds: 1 }, "t");
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await handleFinding(findingFor(key), freshDeps())).outcome, "inactive");
    assert.deepEqual(
      (await f.entriesOf(record.id)).map((e) => e.action),
      ["key.create"],
    );
    assert.equal((await handleFinding(findingFor(generateKey("lsk")), deps)).outcome, "unknown-own-key");
    assert.deepEqual([notify.added.length, providerRevoke.added.length], [0, 0]);
  });

  it("a third-party secret with a revoker and its sealed box goes to the provider-revoke queue", async () => {
    const finding = findingFor("ghp_x", "ci.yml", 1, {
      ruleId: "github-pat",
      provider: "github",
      sealedSecret: sealed,
    });
    const r = await handleFinding(finding, freshDeps("sec@acme.test"));
    assert.equal(r.outcome, "provider-revoke");
    assert.deepEqual(providerRevoke.ids(), [`revoke:${finding.findingId}:github`]);
    assert.equal(providerRevoke.added[0]?.data.revoker, "github");
    assert.deepEqual(providerRevoke.added[0]?.data.sealedSecret, sealed);
    assert.equal(notify.added.length, 0);
  });

  it("a third-party secret nothing can revoke alerts the security contact (e-mail or webhook), or is only counted", async () => {
    const finding = findingFor("sk_x", "app.env", 2, { ruleId: "stripe-secret-key", provider: "stripe" });
    assert.equal((await handleFinding(finding, freshDeps("sec@acme.test"))).outcome, "security-alert");
    assert.deepEqual(notify.ids(), [`notify:${finding.findingId}:email`]);
    assert.equal(notify.added[0]?.data.kind, "security-alert");
    assert.equal(
      notify.added[0]?.data.action,
      "not revocable: no revoker for stripe-secret-key; raised to the security contact",
    );
    await handleFinding(finding, freshDeps("https://sec.acme.test/hook"));
    assert.deepEqual(notify.ids(), [`notify:${finding.findingId}:webhook`]);
    // A GitHub token reported without its sealed box cannot be revoked either.
    const unsealed = findingFor("ghp_y", "ci.yml", 1, { ruleId: "github-pat", provider: "github" });
    assert.equal((await handleFinding(unsealed, freshDeps("sec@acme.test"))).outcome, "security-alert");
    assert.equal((await handleFinding(finding, freshDeps())).outcome, "unrevocable-no-contact");
    assert.equal(notify.added.length, 0);
  });
});
