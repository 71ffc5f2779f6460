/**
 * Sends one notification e-mail through SMTP with nodemailer (LEAKSTOP_SMTP_URL,
 * LEAKSTOP_MAIL_FROM): plain text, the same facts as the webhook. The Message-ID is derived from
 * the event, so a mail that was delivered although its answer was lost and is sent again can be
 * recognised as the same message. Messages never repeat the SMTP URL (it may carry a password).
 */
import { createTransport, type Transporter } from "nodemailer";
import { LeakstopError } from "../lib/errors.js";
import type { NotifyJob } from "../queue/jobs.js";
import { emailSubject, emailText } from "./notify-message.js";

/** Options of {@link createEmailSender}. */
export interface EmailSenderOptions {
  /** smtp://[user:pass@]host:port or smtps://... (LEAKSTOP_SMTP_URL). */
  smtpUrl: string | undefined;
  /** The From address (LEAKSTOP_MAIL_FROM; default leakstop@<smtp host>). */
  from?: string;
  /** Milliseconds for connect, greeting and each socket wait (default 10 s). */
  timeoutMs?: number;
}

/**
 * Sends one e-mail for a job; throws LS_EMAIL_REJECTED on a permanent (5xx) answer, LS_EMAIL_FAILED
 * on anything a retry may fix, LS_CONFIG_INVALID without an SMTP URL.
 */
export type EmailSender = (job: NotifyJob) => Promise<void>;

/** A sender with one transport, reused for every mail; `close` releases it. */
export function createEmailSender(opts: EmailSenderOptions): EmailSender & { close(): void } {
  let transport: Transporter | null = null;
  let from = opts.from;
  const send = async (job: NotifyJob) => {
    if (!opts.smtpUrl) {
      throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_SMTP_URL is not set: cannot send e-mail notifications");
    }
    if (!transport) {
      const url = parseSmtpUrl(opts.smtpUrl);
      const t = opts.timeoutMs ?? 10_000;
      transport = createTransport({
        url: opts.smtpUrl,
        connectionTimeout: t,
        greetingTimeout: t,
        socketTimeout: t,
      } as Parameters<typeof createTransport>[0]);
      from ??= `leakstop@${url.hostname}`;
    }
    try {
      await transport.sendMail({
        from,
        to: job.to,
        subject: emailSubject(job),
        text: emailText(job),
        messageId: `<${job.eventId}.${job.kind}@leakstop>`,
        headers: { "Leakstop-Delivery": job.eventId },
      });
    } catch (err) {
      // 5xx is the server's final word (RFC 5321 §4.2.1): no retry will change it; 4xx and silence may pass.
      const code = (err as { responseCode?: number }).responseCode ?? 0;
      if (code >= 500 && code < 600) {
        throw new LeakstopError("LS_EMAIL_REJECTED", `e-mail to ${job.to} refused (${smtpReason(err)})`, {
          cause: err,
        });
      }
      throw new LeakstopError("LS_EMAIL_FAILED", `e-mail to ${job.to} failed (${smtpReason(err)})`, { cause: err });
    }
  };
  return Object.assign(send, {
    close() {
      transport?.close();
      transport = null;
    },
  });
}

function parseSmtpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_SMTP_URL is not a URL (smtp://[user:pass@]host:port)");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_SMTP_URL must be an smtp:// or smtps:// URL");
  }
  return url;
}

/** ECONNECTION, "550 ...": the code and the server's answer, never the URL or credentials. */
function smtpReason(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; response?: string; cause?: { code?: string } };
  const parts: string[] = [];
  if (e.code) parts.push(e.code);
  // ESOCKET alone hides why: the socket's own errno (ECONNREFUSED, ETIMEDOUT...) is in the message.
  const errno = /\bE[A-Z]{4,}\b/.exec(err instanceof Error ? err.message : "")?.[0] ?? e.cause?.code;
  if (errno && errno !== e.code) parts.push(errno);
  if (e.responseCode) parts.push(`${e.responseCode} ${(e.response ?? "").split("\n")[0]?.slice(0, 120) ?? ""}`.trim());
  return parts.length > 0 ? parts.join(": ") : "SMTP error";
}
