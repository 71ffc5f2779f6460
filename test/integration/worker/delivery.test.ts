/**
 * The whole flow in `leakstop worker` processes: a leaked key is revoked and its owner's webhook
 * (a local receiver that fails its first two tries) gets one signed message, retried with backoff
 * under one Leakstop-Delivery id; a failed notification is counted in the metrics. A third-party
 * secret nobody can revoke reaches the security contact's webhook.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyWebhookSignature } from "../../../src/notify/webhook-signature.js";
import { parseWebhookAllow } from "../../../src/notify/webhook-url.js";
import { Registry } from "../../../src/registry/index.js";
import { startReceiver, waitFor } from "../notify/fixture.js";
import { findingFor, startWorkerFixture, type WorkerFixture } from "./harness.js";

const SECRET = "whsec-test-1";
const env = { LEAKSTOP_WEBHOOK_ALLOW: "127.0.0.1", LEAKSTOP_WEBHOOK_SECRET: SECRET };

let f: WorkerFixture;
let registry: Registry;
before(async () => {
  f = await startWorkerFixture();
  registry = new Registry(f.redis, { issuer: "lsk", auditSigner: null, webhookAllow: parseWebhookAllow("127.0.0.1") });
});
after(async () => {
  await registry.close();
  await f.close();
});

describe("worker delivery", () => {
  it("revokes, then delivers one signed webhook to the owner through two failed tries", async () => {
    const receiver = await startReceiver((n) => (n < 2 ? 500 : 200));
    const w = f.startWorker(["--metrics-port", "0"], env);
    const ready = await w.ready;
    try {
      const { key, record } = await registry.create({ owner: { id: "acme", webhook: receiver.url } }, "t");
      const finding = findingFor(key);
      await f.findings.add("finding", finding, { jobId: finding.findingId });
      await waitFor("three tries", () => receiver.received.length >= 3, 30_000);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(receiver.received.length, 3);
      const revoke = (await f.entriesOf(record.id)).find((e) => e.action === "key.revoke");
      for (const got of receiver.received) {
        assert.equal(got.headers["leakstop-delivery"], revoke?.id);
        assert.ok(verifyWebhookSignature(got.body, String(got.headers["leakstop-signature"]), SECRET));
        assert.ok(!got.body.includes(key));
      }
      const body = JSON.parse(receiver.received[2]?.body ?? "{}");
      assert.equal(body.type, "key-revoked");
      assert.equal(body.key.id, record.id);
      assert.equal(body.action, "revoked");
      const text = await (await fetch(String(ready.metrics))).text();
      assert.match(text, /^leakstop_notification_failures_total\{channel="webhook",final="false"\} 2$/m);
    } finally {
      w.child.kill("SIGTERM");
      assert.equal(await w.exited, 0);
      await receiver.close();
    }
  });

  it("raises a third-party secret nobody can revoke to the security contact's webhook", async () => {
    const receiver = await startReceiver(() => 200);
    const w = f.startWorker([], { ...env, LEAKSTOP_SECURITY_CONTACT: receiver.url });
    await w.ready;
    try {
      const finding = findingFor("sk_live_notreal", "app.env", 9, { ruleId: "stripe-secret-key", provider: "stripe" });
      await f.findings.add("finding", finding, { jobId: finding.findingId });
      await waitFor("the alert", () => receiver.received.length >= 1, 20_000);
      const body = JSON.parse(receiver.received[0]?.body ?? "{}");
      assert.equal(body.type, "security-alert");
      assert.equal(body.eventId, finding.findingId);
      assert.equal(body.ruleId, "stripe-secret-key");
    } finally {
      w.child.kill("SIGTERM");
      assert.equal(await w.exited, 0);
      await receiver.close();
    }
  });

  it("--queues splits the work: the findings process revokes and delivers nothing, the delivery process sends it", async () => {
    const receiver = await startReceiver(() => 204);
    const revoker = f.startWorker(["--queues", "findings"], env);
    let sender: ReturnType<typeof f.startWorker> | null = null;
    try {
      assert.deepEqual((await revoker.ready).queues, ["findings"]);
      const { key, record } = await registry.create({ owner: { id: "split", webhook: receiver.url } }, "t");
      const finding = findingFor(key, "split.ts");
      await f.findings.add("finding", finding, { jobId: finding.findingId });
      await waitFor("the revocation", async () => (await registry.get(record.id))?.status === "revoked", 20_000);
      const [eventId] = (await f.entriesOf(record.id)).filter((e) => e.action === "key.revoke").map((e) => e.id);
      await waitFor("the notify job", async () => (await f.notify.getJob(`notify:${eventId}:webhook`)) !== undefined);
      // Nobody delivers until a delivery process runs; then exactly one message arrives.
      assert.equal(receiver.received.length, 0);
      sender = f.startWorker(["--queues", "delivery"], env);
      assert.deepEqual((await sender.ready).queues, ["delivery"]);
      await waitFor("the webhook", () => receiver.received.length >= 1, 20_000);
      assert.equal(JSON.parse(receiver.received[0]?.body ?? "{}").eventId, eventId);
    } finally {
      for (const w of [revoker, sender]) {
        if (!w) continue;
        w.child.kill("SIGTERM");
        assert.equal(await w.exited, 0);
      }
      await receiver.close();
    }
  });
});
