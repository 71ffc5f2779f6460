/**
 * The notifier's settings, from the service configuration (flags > env > config file):
 * [webhooks] secret/allow (LEAKSTOP_WEBHOOK_SECRET, LEAKSTOP_WEBHOOK_ALLOW) and [smtp] url/from
 * (LEAKSTOP_SMTP_URL, LEAKSTOP_MAIL_FROM). Nothing is required up front: a webhook job without a
 * secret, or an e-mail job without an SMTP URL, is dead-lettered with a message naming the variable.
 */
import { loadServiceConfig, type ServiceConfig, serviceConfig } from "../config/service-config.js";
import type { EmailSenderOptions } from "./email-sender.js";
import type { WebhookSenderOptions } from "./webhook-sender.js";
import { configuredWebhookAllow } from "./webhook-url.js";

/** Settings of both senders. */
export interface NotifyOptions {
  webhook: WebhookSenderOptions;
  email: EmailSenderOptions;
}

/** The senders' settings from a resolved service config; LS_CONFIG_INVALID for a malformed allow list. */
export function notifyOptionsFromConfig(config: ServiceConfig = serviceConfig()): NotifyOptions {
  return {
    webhook: { secret: config.webhooks.secret, allow: configuredWebhookAllow(config) },
    email: { smtpUrl: config.smtp.url, from: config.smtp.from },
  };
}

/**
 * The same from an environment: process.env goes through the installed service config (with
 * its flags and file); another env object (tests) is resolved on its own.
 */
export function notifyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): NotifyOptions {
  return notifyOptionsFromConfig(env === process.env ? serviceConfig() : loadServiceConfig({ env }));
}
