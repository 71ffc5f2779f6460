/**
 * How notifications sit on their queues: job ids (one job per event and channel, so a resend is
 * a no-op), retry options (BullMQ attempts with exponential backoff) and the dead-letter ids
 * derived from them. BullMQ refuses custom ids with a ":" unless they have exactly three parts,
 * so every id here is `<kind>:<event>:<channel[~suffix]>` with ":" kept out of the parts.
 */
import { createHash } from "node:crypto";
import type { JobsOptions } from "bullmq";
import type { NotifyJob } from "../queue/jobs.js";

/** Tries per notification before it is dead-lettered (default). */
export const NOTIFY_ATTEMPTS = 8;
/** First retry delay; each next one doubles: 2, 4, 8 … 128 s, about 4 minutes in all (default). */
export const NOTIFY_BACKOFF_MS = 2000;
/** Completed jobs are kept this long so that a resend with the same job id stays a no-op. */
export const KEEP_COMPLETED_S = 7 * 24 * 3600;

/** Retry options of a notify job. */
export interface NotifyRetry {
  attempts?: number;
  backoffMs?: number;
}

/** The BullMQ options of a notify job: attempts, exponential backoff, retention. */
export function notifyJobOptions(retry: NotifyRetry = {}): JobsOptions {
  return {
    attempts: retry.attempts ?? NOTIFY_ATTEMPTS,
    backoff: { type: "exponential", delay: retry.backoffMs ?? NOTIFY_BACKOFF_MS },
    removeOnComplete: { age: KEEP_COMPLETED_S },
    // Failed jobs stay too: their ids keep deduping, and each one already has its dead letter.
    removeOnFail: { age: 4 * KEEP_COMPLETED_S },
  };
}

function idPart(text: string): string {
  return text.replaceAll(":", "_");
}

/** `notify:<eventId>:<channel>`: at most one notification per event and channel. */
export function notifyJobId(eventId: string, channel: NotifyJob["channel"]): string {
  return `notify:${idPart(eventId)}:${channel}`;
}

/**
 * The id of a replay of a dead letter: a new job (fresh attempts; the first one may still be
 * kept as failed), deterministic per dead letter so a replay repeated after a crash is one job.
 */
export function replayJobId(notify: NotifyJob, deadLetterId: string): string {
  const tag = createHash("sha256").update(deadLetterId).digest("hex").slice(0, 12);
  return `notify:${idPart(notify.eventId)}:${notify.channel}~r${tag}`;
}

/** The dead letter's job id for a notify job id: one dead letter per notify job, whoever writes it. */
export function deadLetterJobId(notifyJobId: string): string {
  const parts = notifyJobId.split(":");
  if (parts.length === 3 && parts[0] === "notify") return `dead:${parts[1]}:${parts[2]}`;
  return `dead:${createHash("sha256").update(notifyJobId).digest("hex").slice(0, 32)}:x`;
}

/** The minimal queue surface the pipeline needs to enqueue (a BullMQ Queue fits). */
export interface JobAdder<T> {
  add(name: string, data: T, opts?: JobsOptions): Promise<unknown>;
  /** Several jobs in one round trip, when the queue can (a BullMQ Queue can). */
  addBulk?(jobs: { name: string; data: T; opts?: JobsOptions }[]): Promise<unknown>;
}

/** Enqueues a notification under its deterministic id; a second call for the same event and channel changes nothing. */
export async function enqueueNotify(queue: JobAdder<NotifyJob>, job: NotifyJob, retry?: NotifyRetry): Promise<string> {
  const jobId = notifyJobId(job.eventId, job.channel);
  await queue.add(job.kind, job, { ...notifyJobOptions(retry), jobId });
  return jobId;
}
