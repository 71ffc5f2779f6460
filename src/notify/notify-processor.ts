/**
 * The BullMQ processor of the notify queue: delivers one NotifyJob by webhook or e-mail. A
 * failure is thrown so BullMQ retries it with backoff; the last failed try (or a failure no retry
 * can fix, such as a URL the policy refuses) first writes exactly one DeadLetterJob — its id is
 * derived from the notify job's id — and only then fails the job, so nothing is ever dropped.
 */
import { type Job, UnrecoverableError } from "bullmq";
import { isLeakstopError, stripUrlCredentials } from "../lib/errors.js";
import { type DeadLetterJob, JOB_SCHEMA_VERSION, type NotifyJob } from "../queue/jobs.js";
import type { EmailSender } from "./email-sender.js";
import { deadLetterJobId, type JobAdder } from "./notify-queue.js";
import { sendWebhook, type WebhookSenderOptions } from "./webhook-sender.js";

/** What {@link notifyProcessor} needs. */
export interface NotifyDeps {
  /** The dead-letter queue (DEAD_LETTER_QUEUE). */
  deadLetters: JobAdder<DeadLetterJob>;
  webhook: WebhookSenderOptions;
  email: EmailSender;
  now?: () => Date;
  /** Told about every failed try (metrics: notification failures; logs). `final` = dead-lettered. */
  onFailure?: (job: NotifyJob, message: string, final: boolean) => void;
  /** Told about every delivery. */
  onDelivered?: (job: NotifyJob) => void;
}

/** What a processed notify job returns (kept with the completed job). */
export interface NotifyResult {
  channel: NotifyJob["channel"];
  status?: number;
}

/** Codes no retry can fix: the URL policy refused, the SMTP server said 5xx, or the service lacks its configuration. */
const PERMANENT = new Set(["LS_WEBHOOK_REFUSED", "LS_EMAIL_REJECTED", "LS_CONFIG_INVALID"]);

/** The processor for BullMQ `new Worker(NOTIFY_QUEUE, notifyProcessor(deps), ...)`. */
export function notifyProcessor(deps: NotifyDeps): (job: Job<NotifyJob>) => Promise<NotifyResult> {
  return async (job) => {
    const data = job.data;
    try {
      if (data?.v !== JOB_SCHEMA_VERSION) {
        throw new UnrecoverableError(
          `notify job of schema version ${String(data?.v)} (this worker knows ${JOB_SCHEMA_VERSION})`,
        );
      }
      const result: NotifyResult = { channel: data.channel };
      if (data.channel === "webhook") result.status = (await sendWebhook(data, deps.webhook)).status;
      else if (data.channel === "email") await deps.email(data);
      else throw new UnrecoverableError(`notify job with unknown channel "${String(data.channel)}"`);
      deps.onDelivered?.(data);
      return result;
    } catch (err) {
      const message = failureLine(err);
      const permanent = err instanceof UnrecoverableError || (isLeakstopError(err) && PERMANENT.has(err.code));
      const final = permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      deps.onFailure?.(data, message, final);
      if (!final) throw new Error(message);
      await recordDeadLetter(deps.deadLetters, job, message, job.attemptsMade + 1, deps.now?.() ?? new Date());
      throw new UnrecoverableError(message);
    }
  };
}

/**
 * Writes the dead letter of a notify job that will not be tried again. Idempotent (the id is
 * derived from the notify job's id). The worker also calls it from its `failed` event, for a job
 * BullMQ failed without running the processor (stalled too often).
 */
export async function recordDeadLetter(
  deadLetters: JobAdder<DeadLetterJob>,
  job: Pick<Job<NotifyJob>, "id" | "data">,
  lastError: string,
  attempts: number,
  at: Date = new Date(),
): Promise<string> {
  const id = deadLetterJobId(String(job.id));
  const letter: DeadLetterJob = {
    v: JOB_SCHEMA_VERSION,
    notify: job.data,
    lastError: failureLine(lastError),
    attempts,
    failedAt: at.toISOString(),
  };
  // Dead letters are never removed automatically: only a replay takes one away.
  await deadLetters.add("dead-letter", letter, { jobId: id, removeOnComplete: false, removeOnFail: false });
  return id;
}

/** One line (with the LS_* code when there is one), URL credentials stripped; the senders already keep paths, queries and secrets out. */
function failureLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const text = isLeakstopError(err) ? `${err.code}: ${msg}` : msg;
  return stripUrlCredentials(text.split("\n")[0] ?? "").slice(0, 500);
}
