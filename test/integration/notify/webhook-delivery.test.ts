/**
 * Webhooks over real sockets through a real BullMQ worker: a receiver that fails its first two
 * tries gets exactly one successful delivery whose signature verifies and whose Leakstop-Delivery
 * stays the same on every try; a URL on 127.0.0.1 is refused at delivery without
 * LEAKSTOP_WEBHOOK_ALLOW (nothing reaches it; one dead letter, no retries).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEmailSender } from "../../../src/notify/email-sender.js";
import { type NotifyDeps, notifyProcessor } from "../../../src/notify/notify-processor.js";
import { enqueueNotify, notifyJobId } from "../../../src/notify/notify-queue.js";
import { verifyWebhookSignature } from "../../../src/notify/webhook-signature.js";
import { NO_WEBHOOK_ALLOW, parseWebhookAllow } from "../../../src/notify/webhook-url.js";
import { NOTIFY_QUEUE } from "../../../src/queue/names.js";
import { type PipelineFixture, sampleNotify, startPipeline, startReceiver, waitFor } from "./fixture.js";

const SECRET = "whsec_test_5b1f0c";
const FAST = { attempts: 5, backoffMs: 30 };

describe("webhook delivery", () => {
  let p: PipelineFixture;
  const failures: { message: string; final: boolean }[] = [];
  before(async () => {
    p = await startPipeline();
  });
  after(async () => {
    await p.close();
  });

  function deps(allow = parseWebhookAllow("127.0.0.1")): NotifyDeps {
    return {
      deadLetters: p.deadLetters,
      webhook: { secret: SECRET, allow, timeoutMs: 2000 },
      email: createEmailSender({ smtpUrl: undefined }),
      onFailure: (_job, message, final) => failures.push({ message, final }),
    };
  }

  it("a receiver failing its first two tries gets exactly one successful, verifiable delivery", async () => {
    const rx = await startReceiver((n) => (n < 2 ? 503 : 200));
    try {
      const worker = p.work(NOTIFY_QUEUE, notifyProcessor(deps()));
      const id = await enqueueNotify(p.notify, sampleNotify("evt-retry-1", "webhook", rx.url), FAST);
      assert.equal(id, notifyJobId("evt-retry-1", "webhook"));
      await waitFor("the job to complete", async () => (await p.notify.getJobState(id)) === "completed");
      // A resend of the same event and channel is the same job: nothing more is delivered.
      await enqueueNotify(p.notify, sampleNotify("evt-retry-1", "webhook", rx.url), FAST);
      await new Promise((r) => setTimeout(r, 300));
      await worker.close();

      assert.deepEqual(
        rx.received.map((r) => r.status),
        [503, 503, 200],
      );
      assert.deepEqual(new Set(rx.received.map((r) => r.headers["leakstop-delivery"])), new Set(["evt-retry-1"]));
      const ok = rx.received[2]!;
      assert.equal(ok.headers["content-type"], "application/json");
      assert.ok(verifyWebhookSignature(ok.body, ok.headers["leakstop-signature"] as string, SECRET, 300));
      assert.ok(!verifyWebhookSignature(ok.body, ok.headers["leakstop-signature"] as string, "another", 300));
      assert.ok(!verifyWebhookSignature(`${ok.body} `, ok.headers["leakstop-signature"] as string, SECRET, 300));
      const body = JSON.parse(ok.body);
      assert.equal(body.type, "key-revoked");
      assert.deepEqual(body.key, { id: "key_7f3a9c", hint: "lsk_live_…9Qx2", ownerId: "owner_acme" });
      assert.equal(body.location.path, "config/prod.env");
      assert.equal(body.action, "revoked");
      assert.equal(await p.deadLetters.count(), 0);
      assert.equal(failures.length, 2);
      // Failure messages name the receiver by scheme and host only: never its path or query token.
      for (const f of failures) {
        assert.match(f.message, /^LS_WEBHOOK_FAILED: webhook to http:\/\/127\.0\.0\.1:\d+ answered 503/);
        assert.doesNotMatch(f.message, /query-secret|hooks\/leakstop/);
        assert.equal(f.final, false);
      }
    } finally {
      await rx.close();
    }
  });

  it("a URL on 127.0.0.1 is refused at delivery without LEAKSTOP_WEBHOOK_ALLOW: one dead letter, no request", async () => {
    const rx = await startReceiver(() => 200);
    failures.length = 0;
    try {
      const worker = p.work(NOTIFY_QUEUE, notifyProcessor(deps(NO_WEBHOOK_ALLOW)));
      const id = await enqueueNotify(p.notify, sampleNotify("evt-refused", "webhook", rx.url), FAST);
      await waitFor("the job to fail", async () => (await p.notify.getJobState(id)) === "failed");
      await worker.close();
      assert.equal(rx.received.length, 0);
      const job = await p.notify.getJob(id);
      assert.equal(job?.attemptsMade, 1, "a refused URL is not retried");
      const letters = await p.deadLetters.getJobs(["wait"]);
      assert.equal(letters.length, 1);
      assert.equal(letters[0]!.id, "dead:evt-refused:webhook");
      assert.match(
        letters[0]!.data.lastError,
        /^LS_WEBHOOK_REFUSED: webhook to http:\/\/127\.0\.0\.1:\d+: webhook URL refused: it points at a loopback.*LEAKSTOP_WEBHOOK_ALLOW/,
      );
      assert.doesNotMatch(letters[0]!.data.lastError, /query-secret/);
      assert.deepEqual(
        failures.map((f) => f.final),
        [true],
      );
      await p.deadLetters.obliterate({ force: true });
    } finally {
      await rx.close();
    }
  });

  it("without LEAKSTOP_WEBHOOK_SECRET nothing is sent unsigned", async () => {
    const rx = await startReceiver(() => 200);
    try {
      const d = deps();
      d.webhook = { ...d.webhook, secret: undefined };
      const worker = p.work(NOTIFY_QUEUE, notifyProcessor(d));
      const id = await enqueueNotify(p.notify, sampleNotify("evt-nosecret", "webhook", rx.url), FAST);
      await waitFor("the job to fail", async () => (await p.notify.getJobState(id)) === "failed");
      await worker.close();
      assert.equal(rx.received.length, 0);
      const [letter] = await p.deadLetters.getJobs(["wait"]);
      assert.match(letter!.data.lastError, /^LS_CONFIG_INVALID: LEAKSTOP_WEBHOOK_SECRET is not set/);
      await p.deadLetters.obliterate({ force: true });
    } finally {
      await rx.close();
    }
  });
});
