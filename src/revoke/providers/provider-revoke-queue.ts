/** How third-party secrets sit on the provider-revoke queue: one job per finding and revoker, retried with backoff. */
import type { JobsOptions } from "bullmq";
import type { JobAdder } from "../../notify/notify-queue.js";
import type { ProviderRevokeJob } from "../../queue/jobs.js";

/** Tries before the security contact is told the provider's API kept failing (default). */
export const PROVIDER_REVOKE_ATTEMPTS = 6;
/** First retry delay, doubling: 5, 10, 20, 40, 80 s (default). */
export const PROVIDER_REVOKE_BACKOFF_MS = 5000;

/** The BullMQ options of a provider-revoke job. */
export function providerRevokeJobOptions(retry: { attempts?: number; backoffMs?: number } = {}): JobsOptions {
  return {
    attempts: retry.attempts ?? PROVIDER_REVOKE_ATTEMPTS,
    backoff: { type: "exponential", delay: retry.backoffMs ?? PROVIDER_REVOKE_BACKOFF_MS },
    // Kept 7 days so a resent finding stays one job; failed ones are kept until someone looks.
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: false,
  };
}

/** `revoke:<findingId>:<revoker>`: at most one job per finding and revoker. */
export function providerRevokeJobId(job: Pick<ProviderRevokeJob, "findingId" | "revoker">): string {
  return `revoke:${job.findingId.replaceAll(":", "_")}:${job.revoker.replaceAll(":", "_")}`;
}

/** Enqueues a third-party secret under its deterministic id. */
export async function enqueueProviderRevoke(
  queue: JobAdder<ProviderRevokeJob>,
  job: ProviderRevokeJob,
  retry?: { attempts?: number; backoffMs?: number },
): Promise<string> {
  const jobId = providerRevokeJobId(job);
  await queue.add(job.revoker, job, { ...providerRevokeJobOptions(retry), jobId });
  return jobId;
}
