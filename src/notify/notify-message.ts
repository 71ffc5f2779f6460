/**
 * What a notification says, for both channels: the webhook's JSON body and the e-mail's subject
 * and plain text. Built only from the NotifyJob, which names the key by id and hint (never the
 * key), so nothing here can carry a secret. The body is a pure function of the job: a retry sends
 * the same bytes, and a receiver can dedupe on `eventId` (also sent as `Leakstop-Delivery`).
 */
import type { LeakLocation, NotifyJob } from "../queue/jobs.js";

/** Version of the webhook body; a receiver can refuse one it does not know. */
export const WEBHOOK_BODY_VERSION = 1;

/** The webhook's JSON body (SPEC §7). */
export interface WebhookBody {
  v: typeof WEBHOOK_BODY_VERSION;
  /** "key-revoked", "provider-revoked" or "security-alert". */
  type: NotifyJob["kind"];
  eventId: string;
  /** The leaked key by id and hint; absent for third-party secrets. */
  key?: { id: string; hint?: string; ownerId?: string };
  ruleId: string;
  provider: string;
  /** Where it leaked. */
  location: LeakLocation;
  /** When the scanner saw it (ISO-8601). */
  detectedAt: string;
  /** When the action was taken (ISO-8601). */
  actedAt: string;
  /** What was done, in words. */
  action: string;
}

/** The JSON body of the webhook for a job. */
export function webhookBody(job: NotifyJob): WebhookBody {
  const body: WebhookBody = {
    v: WEBHOOK_BODY_VERSION,
    type: job.kind,
    eventId: job.eventId,
    ruleId: job.ruleId,
    provider: job.provider,
    location: job.location,
    detectedAt: job.detectedAt,
    actedAt: job.actedAt,
    action: job.action,
  };
  if (job.keyId !== undefined) {
    body.key = { id: job.keyId };
    if (job.hint !== undefined) body.key.hint = job.hint;
    if (job.ownerId !== undefined) body.key.ownerId = job.ownerId;
  }
  return body;
}

const TITLES: Record<NotifyJob["kind"], string> = {
  "key-revoked": "leaked key revoked",
  "provider-revoked": "leaked third-party secret revoked by its provider",
  "security-alert": "leaked secret that leakstop could not revoke",
};

/** "path:line:column in repo at commit", the place a human reads. */
export function describeLocation(loc: LeakLocation): string {
  const where = `${loc.path}:${loc.startLine}:${loc.startColumn}`;
  const repo = loc.repository ? ` in ${loc.repository}` : "";
  const commit = loc.commit ? ` at commit ${loc.commit.slice(0, 12)}` : "";
  return `${where}${repo}${commit} (${loc.source})`;
}

/** The e-mail subject line. */
export function emailSubject(job: NotifyJob): string {
  const key = job.keyId ? ` ${job.keyId}${job.hint ? ` (${job.hint})` : ""}` : ` (${job.ruleId})`;
  return `[leakstop] ${TITLES[job.kind]}:${key}`;
}

/** The e-mail's plain-text body: the same facts as the webhook. */
export function emailText(job: NotifyJob): string {
  const lines = [`leakstop: ${TITLES[job.kind]}.`, ""];
  if (job.keyId) lines.push(`Key:       ${job.keyId}${job.hint ? ` (hint ${job.hint})` : ""}`);
  if (job.ownerId) lines.push(`Owner:     ${job.ownerId}`);
  lines.push(`Detector:  ${job.ruleId} (${job.provider})`, `Where:     ${describeLocation(job.location)}`);
  if (job.location.url) lines.push(`Link:      ${job.location.url}`);
  lines.push(
    `Detected:  ${job.detectedAt}`,
    `Action:    ${job.action}`,
    `Acted at:  ${job.actedAt}`,
    `Event id:  ${job.eventId}`,
    "",
    job.kind === "security-alert"
      ? "Revoke or rotate this secret with its provider now, and remove it from the place above."
      : "Issue a replacement if it is still needed, and remove the leaked value from the place above.",
  );
  return `${lines.join("\n")}\n`;
}
