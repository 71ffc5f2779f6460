/**
 * E-mail through a real SMTP server (the smtp-server package on 127.0.0.1): while it is down the
 * notify job fails and is retried with backoff; once it is up exactly one e-mail arrives, in
 * plain text, naming the key by id and hint, where it leaked, when, and what was done.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SMTPServer } from "smtp-server";
import { createEmailSender } from "../../../src/notify/email-sender.js";
import { notifyProcessor } from "../../../src/notify/notify-processor.js";
import { enqueueNotify } from "../../../src/notify/notify-queue.js";
import { NO_WEBHOOK_ALLOW } from "../../../src/notify/webhook-url.js";
import { NOTIFY_QUEUE } from "../../../src/queue/names.js";
import { freePort } from "../../helpers/redis-server.js";
import { type Mail, startSmtp, stopSmtp } from "../../helpers/smtp-server.js";
import { type PipelineFixture, sampleNotify, startPipeline, waitFor } from "./fixture.js";

/** Bytes from quoted-printable text (`=E2=80=A6`), as UTF-8. */
function qp(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "=" && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Unfolded headers with RFC 2047 words decoded, and the quoted-printable body decoded. */
function decodeMail(data: string): { headers: string; body: string } {
  const split = data.indexOf("\r\n\r\n");
  const headers = data
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, " ")
    .replace(/\?= =\?UTF-8\?Q\?/g, "")
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/g, (_m, w: string) => qp(w.replaceAll("_", " ")));
  const body = qp(data.slice(split + 4).replace(/=\r\n/g, ""));
  return { headers, body };
}

describe("e-mail delivery", () => {
  let p: PipelineFixture;
  before(async () => {
    p = await startPipeline();
  });
  after(async () => {
    await p.close();
  });

  it("an SMTP server that is down, then up, gets exactly one e-mail", async () => {
    const port = await freePort();
    const mails: Mail[] = [];
    const failures: string[] = [];
    const email = createEmailSender({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: "leakstop@example.test",
      timeoutMs: 3000,
    });
    const worker = p.work(
      NOTIFY_QUEUE,
      notifyProcessor({
        deadLetters: p.deadLetters,
        webhook: { secret: "unused", allow: NO_WEBHOOK_ALLOW },
        email,
        onFailure: (_job, message) => failures.push(message),
      }),
    );
    let smtp: SMTPServer | undefined;
    try {
      const id = await enqueueNotify(p.notify, sampleNotify("evt-mail-1", "email", "owner@acme.test"), {
        attempts: 8,
        backoffMs: 100,
      });
      await waitFor("two failed tries while SMTP is down", () => failures.length >= 2);
      smtp = await startSmtp(port, mails);
      await waitFor("the job to complete", async () => (await p.notify.getJobState(id)) === "completed");
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(mails.length, 1);
      const [mail] = mails;
      assert.equal(mail!.from, "leakstop@example.test");
      assert.deepEqual(mail!.to, ["owner@acme.test"]);
      const { headers, body } = decodeMail(mail!.data);
      assert.match(headers, /^Subject: \[leakstop\] leaked key revoked: key_7f3a9c \(lsk_live_…9Qx2\)$/m);
      assert.match(headers, /^Content-Type: text\/plain/m);
      assert.match(headers, /^Message-ID: <evt-mail-1\.key-revoked@leakstop>$/m);
      assert.match(headers, /^Leakstop-Delivery: evt-mail-1$/m);
      assert.match(body, /^Key: {7}key_7f3a9c \(hint lsk_live_…9Qx2\)$/m);
      assert.match(body, /^Where: {5}config\/prod\.env:3:12 in acme\/api at commit 0123456789ab \(history\)$/m);
      assert.match(body, /^Detected: {2}2026-12-06T10:00:00\.000Z$/m);
      assert.match(body, /^Action: {4}revoked$/m);
      assert.equal(await p.deadLetters.count(), 0);
      for (const f of failures)
        assert.match(f, /^LS_EMAIL_FAILED: e-mail to owner@acme\.test failed \(ESOCKET: ECONNREFUSED\)$/);
    } finally {
      await worker.close();
      email.close();
      await stopSmtp(smtp);
    }
  });
});
