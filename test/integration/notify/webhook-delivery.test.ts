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
import { sendWebhook } from "../../../src/notify/webhook-sender.js";
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

describe("webhook delivery and DNS", () => {
  it("a name that now resolves to 127.0.0.1 is refused; when allowed, the socket goes to the checked address", async () => {
    const rx = await startReceiver(() => 204);
    try {
      const url = `http://hooks.example.test:${rx.port}/in?sig=abc`;
      const job = sampleNotify("evt-dns", "webhook", url);
      let lookups = 0;
      const lookup = async () => {
        lookups++;
        return [{ address: "127.0.0.1", family: 4 }];
      };
      await assert.rejects(sendWebhook(job, { secret: SECRET, allow: NO_WEBHOOK_ALLOW, lookup }), (err: Error) => {
        assert.equal((err as { code?: string }).code, "LS_WEBHOOK_REFUSED");
        assert.equal(
          err.message,
          `webhook to http://hooks.example.test:${rx.port}: webhook URL refused: its host resolves to 127.0.0.1; it points at a loopback, link-local, private or reserved address (allow it with LEAKSTOP_WEBHOOK_ALLOW)`,
        );
        return true;
      });
      assert.equal(rx.received.length, 0);
      // Allowed: delivered to the address the policy checked (the system resolver is never asked).
      const sent = await sendWebhook(job, { secret: SECRET, allow: parseWebhookAllow("127.0.0.1"), lookup });
      assert.equal(sent.status, 204);
      assert.equal(lookups, 2);
      assert.equal(rx.received.length, 1);
      assert.equal(rx.received[0]!.headers.host, `hooks.example.test:${rx.port}`);
      // A name that does not resolve is a retryable failure, not a refusal.
      const nx = async () => {
        throw Object.assign(new Error("nx"), { code: "ENOTFOUND" });
      };
      await assert.rejects(sendWebhook(job, { secret: SECRET, allow: NO_WEBHOOK_ALLOW, lookup: nx }), {
        code: "LS_WEBHOOK_FAILED",
        message: `webhook to http://hooks.example.test:${rx.port}: webhook host does not resolve (ENOTFOUND)`,
      });
    } finally {
      await rx.close();
    }
  });

  it("a receiver that does not answer in time is a failure naming the timeout", async () => {
    const rx = await startReceiver(() => 200);
    const { createServer } = await import("node:net");
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      const job = sampleNotify("evt-slow", "webhook", `http://127.0.0.1:${port}/x`);
      await assert.rejects(
        sendWebhook(job, { secret: SECRET, allow: parseWebhookAllow("127.0.0.1"), timeoutMs: 300 }),
        { code: "LS_WEBHOOK_FAILED", message: `webhook to http://127.0.0.1:${port} failed (timed out after 300 ms)` },
      );
    } finally {
      silent.close();
      await rx.close();
    }
  });
});
