/**
 * The BullMQ processor of the provider-revoke queue: opens the sealed secret (only here, only in
 * memory, only for the call), hands it to the named revoker, and tells the security contact
 * (LEAKSTOP_SECURITY_CONTACT: an e-mail address or a webhook URL) what happened through a
 * NotifyJob: "provider-revoked", or "security-alert" when the provider refused, no revoker
 * exists, the box does not open, or the last retry failed. A "failed" answer is retried by
 * BullMQ with backoff. The notify job id is `notify:<findingId>:<channel>`, so a job run again
 * after a crash cannot notify twice.
 */
import { type Job, UnrecoverableError } from "bullmq";
import { isLeakstopError, LeakstopError } from "../../lib/errors.js";
import { enqueueNotify, type JobAdder, type NotifyRetry } from "../../notify/notify-queue.js";
import { JOB_SCHEMA_VERSION, type NotifyJob, type ProviderRevokeJob, type SealedSecret } from "../../queue/jobs.js";
import type { RevokerRegistry } from "./index.js";

/** What {@link providerRevokeProcessor} needs. */
export interface ProviderRevokeDeps {
  revokers: RevokerRegistry;
  /** Opens a sealed secret (lib/sealed-box.ts `unseal` with LEAKSTOP_REPORT_PRIVATE_KEY). */
  unseal: (box: SealedSecret) => string;
  /** The notify queue. */
  notify: JobAdder<NotifyJob>;
  /** LEAKSTOP_SECURITY_CONTACT: e-mail address or http(s) webhook URL. */
  securityContact: string | undefined;
  /** Retry options of the notify jobs it enqueues (tests shorten them). */
  notifyRetry?: NotifyRetry;
  now?: () => Date;
}

/** What a processed job returns (kept with the completed job; never the secret). */
export interface ProviderRevokeResult {
  outcome: "revoked" | "rejected" | "failed" | "unrevocable";
  detail: string;
  /** The notify job id, or null when nobody is configured to hear a success. */
  notifyJobId: string | null;
}

/** The channel for a contact: an http(s) URL is a webhook, anything else an e-mail address. */
export function contactChannel(contact: string): NotifyJob["channel"] {
  return /^https?:\/\//i.test(contact) ? "webhook" : "email";
}

/** The processor for `new Worker(PROVIDER_REVOKE_QUEUE, providerRevokeProcessor(deps), ...)`. */
export function providerRevokeProcessor(
  deps: ProviderRevokeDeps,
): (job: Job<ProviderRevokeJob>) => Promise<ProviderRevokeResult> {
  return async (job) => {
    const data = job.data;
    if (data?.v !== JOB_SCHEMA_VERSION) {
      throw new UnrecoverableError(
        `provider-revoke job of schema version ${String(data?.v)} (this worker knows ${JOB_SCHEMA_VERSION})`,
      );
    }
    const revoker = deps.revokers.get(data.revoker);
    if (!revoker) return tell(deps, data, "unrevocable", `no revoker named "${data.revoker}"`);
    let secret: string;
    try {
      secret = deps.unseal(data.sealedSecret);
    } catch (err) {
      const why = isLeakstopError(err) ? `${err.code}: ${err.message}` : "the sealed secret does not open";
      return tell(deps, data, "unrevocable", why);
    }
    let answer: Awaited<ReturnType<typeof revoker.revoke>>;
    try {
      answer = await revoker.revoke(secret, data.ruleId);
    } catch (err) {
      // A revoker should answer "failed"; one that throws is treated alike, its message redacted.
      answer = { outcome: "failed", detail: oneLine(err, secret) };
    }
    if (answer.outcome === "failed") {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!last) throw new LeakstopError("LS_PROVIDER_REVOKE_FAILED", `${revoker.name}: ${answer.detail}`);
      return tell(deps, data, "failed", `${answer.detail} (after ${job.attemptsMade + 1} attempts)`);
    }
    return tell(deps, data, answer.outcome, answer.detail, revoker.name);
  };
}

const ACTIONS = {
  revoked: (by: string, d: string) => `revoked by ${by}: ${d}`,
  rejected: (_: string, d: string) => `not revoked: ${d}; raised to the security contact`,
  failed: (_: string, d: string) =>
    `not revoked: the revocation API kept failing (${d}); raised to the security contact`,
  unrevocable: (_: string, d: string) => `not revocable: ${d}; raised to the security contact`,
} as const;

async function tell(
  deps: ProviderRevokeDeps,
  data: ProviderRevokeJob,
  outcome: ProviderRevokeResult["outcome"],
  detail: string,
  by = data.revoker,
): Promise<ProviderRevokeResult> {
  const contact = deps.securityContact?.trim();
  const kind: NotifyJob["kind"] = outcome === "revoked" ? "provider-revoked" : "security-alert";
  if (!contact) {
    if (kind === "provider-revoked") return { outcome, detail, notifyJobId: null };
    // Kept as a failed job (never dropped) until the contact is configured and the job retried.
    throw new UnrecoverableError(`LS_CONFIG_INVALID: LEAKSTOP_SECURITY_CONTACT is not set; cannot raise: ${detail}`);
  }
  const notify: NotifyJob = {
    v: JOB_SCHEMA_VERSION,
    kind,
    eventId: data.findingId,
    channel: contactChannel(contact),
    to: contact,
    ruleId: data.ruleId,
    provider: data.provider,
    location: data.location,
    detectedAt: data.detectedAt,
    actedAt: (deps.now?.() ?? new Date()).toISOString(),
    action: ACTIONS[outcome](by, detail),
  };
  const notifyJobId = await enqueueNotify(deps.notify, notify, deps.notifyRetry);
  return { outcome, detail, notifyJobId };
}

function oneLine(err: unknown, secret: string): string {
  const text = (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
  return (secret.length >= 4 ? text.split(secret).join("***") : text).slice(0, 200);
}
