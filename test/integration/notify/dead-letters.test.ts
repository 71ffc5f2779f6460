/**
 * A receiver that always fails: after the last attempt exactly one dead letter (never dropped),
 * `leakstop report dead-letters` lists it (text and json) without the URL's path or query token,
 * and `--replay` re-enqueues it under a new job id so it is delivered once the receiver is fixed.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEmailSender } from "../../../src/notify/email-sender.js";
import { notifyProcessor } from "../../../src/notify/notify-processor.js";
import { enqueueNotify } from "../../../src/notify/notify-queue.js";
import { verifyWebhookSignature } from "../../../src/notify/webhook-signature.js";
import { parseWebhookAllow } from "../../../src/notify/webhook-url.js";
import { NOTIFY_QUEUE } from "../../../src/queue/names.js";
import { leakstopAsync as cli } from "../../e2e/cli.js";
import { type PipelineFixture, sampleNotify, startPipeline, startReceiver, waitFor } from "./fixture.js";

const SECRET = "whsec_dead_letter_test";

describe("dead letters", () => {
  let p: PipelineFixture;
  before(async () => {
    p = await startPipeline();
  });
  after(async () => {
    await p.close();
  });

  it("the last failed attempt leaves exactly one dead letter; report dead-letters lists it; --replay delivers it", async () => {
    const rx = await startReceiver(() => 500);
    const env = { REDIS_URL: p.server.url, LEAKSTOP_NAMESPACE: p.namespace };
    try {
      const worker = p.work(
        NOTIFY_QUEUE,
        notifyProcessor({
          deadLetters: p.deadLetters,
          webhook: { secret: SECRET, allow: parseWebhookAllow("127.0.0.1"), timeoutMs: 2000 },
          email: createEmailSender({ smtpUrl: undefined }),
        }),
      );
      const id = await enqueueNotify(p.notify, sampleNotify("evt-dead-1", "webhook", rx.url), {
        attempts: 3,
        backoffMs: 20,
      });
      await waitFor("the job to fail", async () => (await p.notify.getJobState(id)) === "failed");
      assert.equal(rx.received.length, 3, "every attempt reached the receiver");
      const letters = await p.deadLetters.getJobs(["wait"]);
      assert.equal(letters.length, 1);
      assert.equal(letters[0]!.id, "dead:evt-dead-1:webhook");
      assert.equal(letters[0]!.data.attempts, 3);
      assert.equal(letters[0]!.data.notify.eventId, "evt-dead-1");

      const text = await cli(["report", "dead-letters"], env);
      assert.equal(text.code, 0, text.stderr);
      assert.match(
        text.stdout,
        /^dead:evt-dead-1:webhook {2}key-revoked by webhook to http:\/\/127\.0\.0\.1:\d+: key key_7f3a9c \(lsk_live_…9Qx2\)$/m,
      );
      assert.match(
        text.stdout,
        /after 3 attempt\(s\): LS_WEBHOOK_FAILED: webhook to http:\/\/127\.0\.0\.1:\d+ answered 500/,
      );
      assert.match(text.stdout, /^1 dead letter\(s\)$/m);
      const json = await cli(["report", "dead-letters", "--format", "json"], env);
      assert.equal(json.code, 0, json.stderr);
      const listed = JSON.parse(json.stdout);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].id, "dead:evt-dead-1:webhook");
      assert.equal(listed[0].to, `http://127.0.0.1:${rx.port}`);
      for (const out of [text.stdout, json.stdout]) {
        assert.doesNotMatch(out, /query-secret|\/hooks\/leakstop/, "the URL's path and query are never shown");
        assert.doesNotMatch(out, new RegExp(SECRET));
      }

      // The receiver is fixed; the replay is a new job with fresh attempts, delivered once.
      rx.plan = () => 200;
      const replay = await cli(["report", "dead-letters", "--replay"], env);
      assert.equal(replay.code, 0, replay.stderr);
      const m = /^replayed dead:evt-dead-1:webhook as (notify:evt-dead-1:webhook~r[0-9a-f]+)$/m.exec(replay.stdout);
      assert.ok(m, replay.stdout);
      const newId = m[1]!;
      await waitFor("the replay to complete", async () => (await p.notify.getJobState(newId)) === "completed");
      assert.equal(await p.deadLetters.count(), 0, "the replayed letter left the dead letters");
      const ok = rx.received.filter((r) => r.status === 200);
      assert.equal(ok.length, 1);
      assert.equal(ok[0]!.headers["leakstop-delivery"], "evt-dead-1");
      assert.ok(verifyWebhookSignature(ok[0]!.body, ok[0]!.headers["leakstop-signature"] as string, SECRET));
      await worker.close();

      const empty = await cli(["report", "dead-letters"], env);
      assert.equal(empty.stdout, "no dead letters\n");
      const missing = await cli(["report", "dead-letters", "--replay", "--id", "dead:nope:webhook"], env);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no dead letter "dead:nope:webhook"/);
    } finally {
      await rx.close();
    }
  });

  it("report dead-letters refuses bad flags with a one-line usage error", async () => {
    const r = await cli(["report", "dead-letters", "--format", "xml"], {});
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'leakstop: report dead-letters: unknown --format "xml" (text, json)\n');
    const r2 = await cli(["report", "dead-letters", "--id", "x"], {});
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--id goes with --replay/);
  });
});
