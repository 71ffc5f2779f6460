/**
 * How the findings processor puts jobs on the notify and provider-revoke queues: deterministic
 * job ids (`notify:<eventId>:<channel>`, `revoke:<findingId>:<revoker>`), so enqueueing the same
 * event twice is one job, retries with exponential backoff, and completed jobs kept 7 days so
 * the id keeps deduping. BullMQ accepts a ":" in a custom id only with exactly three parts.
 */
import type { JobsOptions } from "bullmq";
import type { NotifyJob, ProviderRevokeJob } from "../queue/jobs.js";

/** The queue surface needed to enqueue (a BullMQ Queue fits; tests pass a recorder). */
export interface JobAdder<T> {
  add(name: string, data: T, opts?: JobsOptions): Promise<unknown>;
}

const KEEP_COMPLETED_S = 7 * 24 * 3600;

function idPart(text: string): string {
  return text.replaceAll(":", "_");
}

/** `notify:<eventId>:<channel>`: at most one notification per event and channel. */
export function notifyJobId(eventId: string, channel: NotifyJob["channel"]): string {
  return `notify:${idPart(eventId)}:${channel}`;
}

/** Enqueues a notification under its deterministic id; returns the id. */
export async function enqueueNotify(queue: JobAdder<NotifyJob>, job: NotifyJob): Promise<string> {
  const jobId = notifyJobId(job.eventId, job.channel);
  await queue.add(job.kind, job, {
    jobId,
    attempts: 8,
    backoff: { type: "exponential", delay: 2000 },
    removeOnComplete: { age: KEEP_COMPLETED_S },
    removeOnFail: { age: 4 * KEEP_COMPLETED_S },
  });
  return jobId;
}

/** `revoke:<findingId>:<revoker>`: at most one job per finding and revoker. */
export function providerRevokeJobId(job: Pick<ProviderRevokeJob, "findingId" | "revoker">): string {
  return `revoke:${idPart(job.findingId)}:${idPart(job.revoker)}`;
}

/** Enqueues a third-party secret for its provider's revoker; returns the id. */
export async function enqueueProviderRevoke(
  queue: JobAdder<ProviderRevokeJob>,
  job: ProviderRevokeJob,
): Promise<string> {
  const jobId = providerRevokeJobId(job);
  await queue.add(job.revoker, job, {
    jobId,
    attempts: 6,
    backoff: { type: "exponential", delay: 5000 },
    removeOnComplete: { age: KEEP_COMPLETED_S },
    removeOnFail: false,
  });
  return jobId;
}
