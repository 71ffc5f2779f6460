/**
 * The notifier's settings from the environment, read in this one place (until the service
 * configuration gathers them): LEAKSTOP_WEBHOOK_SECRET, LEAKSTOP_WEBHOOK_ALLOW,
 * LEAKSTOP_SMTP_URL, LEAKSTOP_MAIL_FROM. Nothing is required up front: a webhook job without a
 * secret, or an e-mail job without an SMTP URL, is dead-lettered with a message naming the variable.
 */
import { LeakstopError } from "../lib/errors.js";
import type { EmailSenderOptions } from "./email-sender.js";
import type { WebhookSenderOptions } from "./webhook-sender.js";
import { webhookAllowFrom } from "./webhook-url.js";

/** Settings of both senders. */
export interface NotifyOptions {
  webhook: WebhookSenderOptions;
  email: EmailSenderOptions;
}

/** Reads the senders' settings; throws LS_CONFIG_INVALID for a malformed LEAKSTOP_WEBHOOK_ALLOW. */
export function notifyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): NotifyOptions {
  let allow: WebhookSenderOptions["allow"];
  try {
    allow = webhookAllowFrom(env);
  } catch (err) {
    throw new LeakstopError("LS_CONFIG_INVALID", `LEAKSTOP_WEBHOOK_ALLOW: ${(err as Error).message}`);
  }
  return {
    webhook: { secret: env.LEAKSTOP_WEBHOOK_SECRET || undefined, allow },
    email: { smtpUrl: env.LEAKSTOP_SMTP_URL || undefined, from: env.LEAKSTOP_MAIL_FROM || undefined },
  };
}
