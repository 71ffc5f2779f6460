/**
 * The delivery side of a worker process: BullMQ workers on the notify queue (owner webhooks and
 * e-mails, security alerts: notify/notify-processor.ts) and the provider-revoke queue
 * (third-party revokers: revoke/providers/provider-revoke-processor.ts). Their settings come
 * from the environment (notify/notify-options.ts, revoke/providers/index.ts); the sealed-secret
 * key is read on the first third-party job only, so a worker without one still delivers.
 */
import { type Job, type Queue, Worker, type WorkerOptions } from "bullmq";
import { createEmailSender } from "../notify/email-sender.js";
import { notifyOptionsFromEnv } from "../notify/notify-options.js";
import { notifyProcessor, recordDeadLetter } from "../notify/notify-processor.js";
import type { DeadLetterJob, NotifyJob, ProviderRevokeJob, SealedSecret } from "../queue/jobs.js";
import { NOTIFY_QUEUE, PROVIDER_REVOKE_QUEUE } from "../queue/names.js";
import { providerRevokersFromEnv, unsealerFromEnv } from "../revoke/providers/index.js";
import { providerRevokeProcessor } from "../revoke/providers/provider-revoke-processor.js";
import type { Logger } from "./log.js";
import type { WorkerMetrics } from "./metrics.js";

/** What {@link startDeliveryWorkers} needs. */
export interface DeliveryOptions {
  /** BullMQ worker options shared with the findings worker (connection, prefix, locks, concurrency). */
  workerOptions: WorkerOptions;
  notify: Queue<NotifyJob>;
  deadLetters: Queue<DeadLetterJob>;
  securityContact?: string;
  env?: NodeJS.ProcessEnv;
  log: Logger;
  metrics: WorkerMetrics;
}

/** The running delivery workers. */
export interface DeliveryWorkers {
  /** Stops taking jobs and waits for the active ones. */
  close(): Promise<void>;
}

/** A job BullMQ failed for good without the processor's last word (it stalled too often). */
function failedForGood(job: Job, err: Error): boolean {
  return job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled more than/i.test(err.message);
}

/** Reads the settings (LS_CONFIG_INVALID when one is malformed) and starts both workers. */
export function startDeliveryWorkers(opts: DeliveryOptions): DeliveryWorkers {
  const { log, metrics } = opts;
  const env = opts.env ?? process.env;
  const settings = notifyOptionsFromEnv(env);
  const revokers = providerRevokersFromEnv(env);
  const email = createEmailSender(settings.email);
  const notifyWorker = new Worker<NotifyJob>(
    NOTIFY_QUEUE,
    notifyProcessor({
      deadLetters: opts.deadLetters,
      webhook: settings.webhook,
      email,
      onFailure: (job, message, final) => {
        metrics.notifyFailures.inc({ channel: job?.channel ?? "unknown", final: String(final) });
        log.warn(
          { eventId: job?.eventId, channel: job?.channel, kind: job?.kind, final, error: message },
          "notification failed",
        );
      },
      onDelivered: (job) =>
        log.info({ eventId: job.eventId, channel: job.channel, kind: job.kind }, "notification sent"),
    }),
    opts.workerOptions,
  );
  notifyWorker.on("error", (err) => log.error({ err }, "notify worker error"));
  notifyWorker.on("failed", (job, err) => {
    if (!job || !failedForGood(job, err)) return;
    // The processor writes the dead letter itself; this covers a job that stalled too often. Same id: never twice.
    recordDeadLetter(opts.deadLetters, job, err.message, job.attemptsMade).catch((e) =>
      log.error({ err: e, jobId: job.id }, "dead letter not written"),
    );
  });
  let unseal: ((box: SealedSecret) => string) | null = null;
  const revokeWorker = new Worker<ProviderRevokeJob>(
    PROVIDER_REVOKE_QUEUE,
    providerRevokeProcessor({
      revokers,
      unseal: (box) => {
        unseal ??= unsealerFromEnv(env);
        return unseal(box);
      },
      notify: opts.notify,
      securityContact: opts.securityContact,
    }),
    opts.workerOptions,
  );
  revokeWorker.on("error", (err) => log.error({ err }, "provider-revoke worker error"));
  revokeWorker.on("failed", (job, err) => log.warn({ jobId: job?.id, err }, "provider-revoke job failed"));
  revokeWorker.on("completed", (job, result: { outcome?: string }) =>
    log.info({ findingId: job.data.findingId, revoker: job.data.revoker, outcome: result?.outcome }, "provider revoke"),
  );
  return {
    async close() {
      await Promise.all([notifyWorker.close(), revokeWorker.close()]);
      email.close();
    },
  };
}
