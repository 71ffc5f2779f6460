/**
 * E-mail from `leakstop worker` processes through a real SMTP server on 127.0.0.1: while it is
 * down every owner's mail is retried with backoff, and once it is up every owner whose key leaked
 * gets exactly one e-mail; a recipient the server refuses for good (550) is dead-lettered after
 * one try instead of being retried for minutes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Queue } from "bullmq";
import type { DeadLetterJob } from "../../../src/queue/jobs.js";
import { DEAD_LETTER_QUEUE, queuePrefix } from "../../../src/queue/names.js";
import { freePort } from "../../helpers/redis-server.js";
import { type Mail, startSmtp, stopSmtp } from "../../helpers/smtp-server.js";
import { waitFor } from "../notify/fixture.js";
import { findingFor, startWorkerFixture, type WorkerFixture } from "./harness.js";

let f: WorkerFixture;
let deadLetters: Queue<DeadLetterJob>;
before(async () => {
  f = await startWorkerFixture();
  deadLetters = new Queue<DeadLetterJob>(DEAD_LETTER_QUEUE, { connection: f.redis, prefix: queuePrefix() });
});
after(async () => {
  await deadLetters.close();
  await f.close();
});

const smtpEnv = (port: number) => ({
  LEAKSTOP_SMTP_URL: `smtp://127.0.0.1:${port}`,
  LEAKSTOP_MAIL_FROM: "leakstop@example.test",
});

describe("leakstop worker sending e-mail", () => {
  it("an SMTP server down, then up: every owner whose key leaked gets exactly one e-mail", async () => {
    const port = await freePort();
    const mails: Mail[] = [];
    const w = f.startWorker([], smtpEnv(port));
    let smtp: Awaited<ReturnType<typeof startSmtp>> | undefined;
    try {
      await w.ready;
      const owners = ["ana", "bo", "cy", "di"].map((id) => ({ id, email: `${id}@acme.test` }));
      for (const owner of owners) {
        const { key } = await f.registry.create({ owner }, "t");
        const finding = findingFor(key, `${owner.id}.env`);
        await f.findings.add("finding", finding, { jobId: finding.findingId });
      }
      await f.waitCompleted(owners.length);
      // Every mail failed at least once while nothing listened.
      await waitFor(
        "a failed try of every mail",
        async () => {
          const jobs = await f.notify.getJobs(["delayed", "wait", "active", "completed", "failed"]);
          return jobs.length === owners.length && jobs.every((j) => j.attemptsMade >= 1 && !j.finishedOn);
        },
        20_000,
      );
      smtp = await startSmtp(port, mails);
      await waitFor(
        "every mail",
        async () => ((await f.notify.getJobCounts("completed")).completed ?? 0) === owners.length,
        30_000,
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(mails.map((m) => m.to.join(",")).sort(), owners.map((o) => o.email).sort());
      assert.equal(await deadLetters.count(), 0);
    } finally {
      w.child.kill("SIGTERM");
      assert.equal(await w.exited, 0);
      await stopSmtp(smtp);
      await f.notify.obliterate({ force: true });
      await f.findings.obliterate({ force: true });
    }
  });

  it("a permanent 5xx answer is dead-lettered after one try; the other owner still gets the mail", async () => {
    const port = await freePort();
    const mails: Mail[] = [];
    const smtp = await startSmtp(port, mails, { reject: (to) => to === "gone@acme.test" });
    const w = f.startWorker([], smtpEnv(port));
    try {
      await w.ready;
      for (const owner of [
        { id: "gone", email: "gone@acme.test" },
        { id: "here", email: "here@acme.test" },
      ]) {
        const { key } = await f.registry.create({ owner }, "t");
        const finding = findingFor(key, `${owner.id}.env`);
        await f.findings.add("finding", finding, { jobId: finding.findingId });
      }
      const [letter] =
        (await waitFor(
          "the dead letter",
          async () => {
            const jobs = await deadLetters.getJobs(["wait"]);
            return jobs.length > 0 ? jobs : null;
          },
          20_000,
        )) ?? [];
      assert.equal(letter?.data.notify.to, "gone@acme.test");
      assert.equal(letter?.data.attempts, 1);
      assert.match(
        letter?.data.lastError ?? "",
        /^LS_EMAIL_REJECTED: e-mail to gone@acme\.test refused \(EENVELOPE: 550 /,
      );
      await waitFor("the other mail", () => mails.length === 1);
      assert.deepEqual(mails[0]?.to, ["here@acme.test"]);
      const failed = await f.notify.getJobs(["failed"]);
      assert.deepEqual(
        failed.map((j) => [j.data.to, j.attemptsMade]),
        [["gone@acme.test", 1]],
      );
    } finally {
      w.child.kill("SIGTERM");
      assert.equal(await w.exited, 0);
      await stopSmtp(smtp);
    }
  });
});
