/**
 * One worker process: BullMQ workers on the pipeline's findings, notify and provider-revoke
 * queues (worker/delivery-workers.ts), sharing one Redis. `roles` picks what a process takes:
 * findings only keeps revocation latency free of webhook and SMTP round trips, which then run
 * in processes of their own (`leakstop worker --queues delivery`). Stalled-job recovery is
 * BullMQ's: a job whose worker died keeps its lock only `lockDurationMs`, then any worker's
 * stalled check (every `stalledIntervalMs`) moves it back to wait, up to `maxStalledCount` times.
 * close() stops taking jobs, lets the active ones finish, then closes every connection.
 */
import { Queue, Worker, type WorkerOptions } from "bullmq";
import type { DeadLetterJob, FindingBatchJob, FindingJob, NotifyJob, ProviderRevokeJob } from "../queue/jobs.js";
import {
  DEAD_LETTER_QUEUE,
  FINDINGS_QUEUE,
  NOTIFY_QUEUE,
  PROVIDER_REVOKE_QUEUE,
  QUEUE_EVENTS_KEPT,
  queuePrefix,
} from "../queue/names.js";
import { revokerFor } from "../queue/revocable-rules.js";
import { closeRedisClient as closeRedis, connectRedisClient, type RedisClient } from "../redis/cluster.js";
import { Registry } from "../registry/index.js";
import { type OrgScanService, type OrgScanServiceOptions, startOrgScanService } from "../scheduler/org-scan-service.js";
import { type DeliveryWorkers, startDeliveryWorkers } from "./delivery-workers.js";
import { type FindingDeps, findingProcessor } from "./finding-processor.js";
import type { Logger } from "./log.js";
import { createWorkerMetrics, type WorkerMetrics } from "./metrics.js";
import { type MetricsServer, startMetricsServer } from "./metrics-server.js";

/** Settings of {@link startWorkerService}. */
export interface WorkerServiceOptions {
  /** Redis URL (default REDIS_URL, else redis://127.0.0.1:6379). */
  redisUrl?: string;
  /** Key and queue namespace (default "leakstop"). */
  namespace?: string;
  /** Jobs processed at once per queue (default 32). */
  concurrency?: number;
  /** The queues this process takes (default both): findings, and delivery (notify + provider-revoke). */
  roles?: { findings: boolean; delivery: boolean };
  /** How long a job stays locked to its worker without a renewal (default 30 s). */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (default 30 s). */
  stalledIntervalMs?: number;
  /** How many times a job may stall before it fails (default 3). */
  maxStalledCount?: number;
  /** Serve Prometheus metrics on this port (0: any free one); none when undefined. */
  metricsPort?: number;
  metricsHost?: string;
  /** LEAKSTOP_SECURITY_CONTACT. */
  securityContact?: string;
  /** The revoker for a third-party rule (default: queue/revocable-rules.ts). */
  revokerFor?: (ruleId: string) => string | undefined;
  /** Scheduled org scans in this process (ticks and repository jobs); off when undefined. */
  orgScans?: Pick<OrgScanServiceOptions, "concurrency" | "schedule" | "github" | "scanDeps">;
  log: Logger;
}

/** A running worker process. */
export interface WorkerService {
  readonly metrics: WorkerMetrics;
  /** `http://host:port/metrics`, when serving metrics. */
  readonly metricsUrl: string | null;
  /** Stops taking jobs, waits for active ones, closes connections. Idempotent. */
  close(): Promise<void>;
}

/** Completed finding jobs are kept this long: a resend with the same findingId stays one job. */
const KEEP_COMPLETED_S = 7 * 24 * 3600;

/** A delivery-only process: every BullMQ method the findings worker would call, doing nothing. */
const NO_WORKER = { close: async (_force?: boolean) => undefined };

/** Connects (LS_REDIS_UNREACHABLE when Redis does not answer), starts the workers and the metrics server. */
export async function startWorkerService(opts: WorkerServiceOptions): Promise<WorkerService> {
  const { log } = opts;
  // One Redis or a Cluster (several URLs or LEAKSTOP_REDIS_CLUSTER=1): see redis/cluster.ts.
  // Auto-pipelining: the lookups and revocations of the jobs running at once go out in one write
  // per tick instead of one each (fewer system calls here and in Redis). Order per connection is
  // kept, so the audit appends still run in the order they were chained (audit/chain-tip.ts).
  const client = await connectRedisClient({ url: opts.redisUrl, redisOptions: { enableAutoPipelining: true } });
  // BullMQ's connection: no per-command timeout (workers block on Redis) and endless retries.
  let bull: RedisClient;
  try {
    bull = await connectRedisClient({
      url: opts.redisUrl,
      redisOptions: { maxRetriesPerRequest: null, commandTimeout: undefined, enableOfflineQueue: true },
    });
  } catch (err) {
    await closeRedis(client);
    throw err;
  }
  const prefix = queuePrefix(opts.namespace);
  // The version check is one INFO per queue at start; the event streams are kept short.
  const queueOpts = {
    connection: bull,
    prefix,
    skipVersionCheck: true,
    streams: { events: { maxLen: QUEUE_EVENTS_KEPT } },
  };
  const roles = opts.roles ?? { findings: true, delivery: true };
  const notify = new Queue<NotifyJob>(NOTIFY_QUEUE, queueOpts);
  const providerRevoke = new Queue<ProviderRevokeJob>(PROVIDER_REVOKE_QUEUE, queueOpts);
  const findings = new Queue<FindingJob>(FINDINGS_QUEUE, queueOpts);
  const deadLetters = new Queue<DeadLetterJob>(DEAD_LETTER_QUEUE, queueOpts);
  const queues = [findings, notify, providerRevoke, deadLetters];
  for (const q of queues) q.on("error", (err) => log.error({ err, queue: q.name }, "queue error"));
  const metrics = createWorkerMetrics(queues);
  const registry = new Registry(client, { namespace: opts.namespace });
  const deps: FindingDeps = {
    registry,
    notify,
    providerRevoke,
    revokerFor: opts.revokerFor ?? ((ruleId) => revokerFor(ruleId) ?? undefined),
    securityContact: opts.securityContact,
    log,
    metrics,
  };
  let orgScans: OrgScanService | null = null;
  if (opts.orgScans) {
    try {
      orgScans = await startOrgScanService({
        ...opts.orgScans,
        bull,
        client,
        namespace: opts.namespace ?? "leakstop",
        onFailed: (jobId, err) => log.warn({ jobId, err }, "org-scan job failed"),
      });
    } catch (err) {
      await Promise.all(queues.map((q) => q.close()));
      await registry.close();
      await Promise.all([closeRedis(client), closeRedis(bull)]);
      throw err;
    }
  }
  const workerOptions: WorkerOptions = {
    connection: bull,
    prefix,
    skipVersionCheck: true,
    concurrency: opts.concurrency ?? 32,
    lockDuration: opts.lockDurationMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 3,
  };
  let delivery: DeliveryWorkers = NO_WORKER;
  try {
    if (roles.delivery)
      delivery = startDeliveryWorkers({
        workerOptions,
        notify,
        deadLetters,
        securityContact: opts.securityContact,
        log,
        metrics,
      });
  } catch (err) {
    await orgScans?.close();
    await Promise.all(queues.map((q) => q.close()));
    await registry.close();
    await Promise.all([closeRedis(client), closeRedis(bull)]);
    throw err;
  }
  const worker = roles.findings ? startFindingsWorker(deps, workerOptions, log) : NO_WORKER;
  let server: MetricsServer | null = null;
  if (opts.metricsPort !== undefined) {
    try {
      server = await startMetricsServer(metrics.registry, opts.metricsHost ?? "127.0.0.1", opts.metricsPort);
    } catch (err) {
      await delivery.close();
      await orgScans?.close();
      await worker.close(true);
      await Promise.all(queues.map((q) => q.close()));
      await registry.close();
      await Promise.all([closeRedis(client), closeRedis(bull)]);
      throw err;
    }
  }
  let closing: Promise<void> | null = null;
  const close = async () => {
    await Promise.all([worker.close(), delivery.close(), orgScans?.close()]);
    await server?.close();
    await Promise.all(queues.map((q) => q.close()));
    await registry.close().catch(() => undefined);
    await Promise.all([closeRedis(client), closeRedis(bull)]);
  };
  return {
    metrics,
    metricsUrl: server?.url ?? null,
    close() {
      closing ??= close();
      return closing;
    },
  };
}

/** The findings worker: match, revoke with the audit entry, enqueue the notifications. */
function startFindingsWorker(
  deps: FindingDeps,
  workerOptions: WorkerOptions,
  log: Logger,
): Worker<FindingJob | FindingBatchJob> {
  const worker = new Worker<FindingJob | FindingBatchJob>(FINDINGS_QUEUE, findingProcessor(deps), {
    ...workerOptions,
    removeOnComplete: { age: KEEP_COMPLETED_S },
  });
  worker.on("error", (err) => log.error({ err }, "findings worker error"));
  worker.on("failed", (job, err) => log.warn({ jobId: job?.id, err }, "finding job failed"));
  worker.on("stalled", (jobId) => log.warn({ jobId }, "finding job stalled (its worker stopped); back to wait"));
  return worker;
}
