/**
 * Scheduled org scans in a worker process: a BullMQ worker on ORG_SCAN_QUEUE (ticks and
 * repository jobs, `concurrency` at a time: a history scan uses every thread) and, when a
 * schedule is configured, the job schedulers synced on start. Any number of processes on any
 * number of hosts may run it; BullMQ hands each job to one of them. close() stops the git commands
 * of the repository jobs in flight (and their helpers; temporary clones are removed), puts those
 * jobs back to wait with their attempts untouched, and returns once nothing of them runs.
 */
import { hostname } from "node:os";
import { type JobsOptions, Queue, Worker } from "bullmq";
import { enqueueFindings } from "../queue/findings-queue.js";
import { ORG_SCAN_QUEUE, queuePrefix } from "../queue/names.js";
import type { RedisClient } from "../redis/cluster.js";
import { type OrgScanProcessorDeps, orgScanProcessor, type ScanPart } from "./org-scan-processor.js";
import { gitHubRepoLister } from "./org-tick.js";
import type { OrgScanSchedule } from "./schedule-config.js";
import { type SchedulerSync, syncOrgScanSchedulers } from "./schedulers.js";

/** Settings of {@link startOrgScanService}. */
export interface OrgScanServiceOptions {
  /** BullMQ's connection (maxRetriesPerRequest: null, no command timeout). */
  bull: RedisClient;
  /** A plain connection (scan state, finding jobs). */
  client: RedisClient;
  namespace: string;
  /** The schedule to sync, or null to leave the schedulers as they are. */
  schedule: OrgScanSchedule | null;
  /** Repository jobs at once in this process (default 1). */
  concurrency?: number;
  /** How long a job stays locked to its worker without renewal (default 5 min: fetches are slow). */
  lockDurationMs?: number;
  /** The scan settings; loaded on the first repository job (a worker without any never loads the rules). */
  scanDeps: () => Promise<ScanPart>;
  /** The GitHub API for listing (from the environment by default). */
  github: { apiUrl: string; token: string | null };
  onFailed?: (jobId: string | undefined, err: Error) => void;
  /** Options of the repository jobs ticks add (default: 3 attempts, backoff from 1 min). */
  repoJobOptions?: JobsOptions;
  /** This worker's name, kept on the jobs it processes as `processedBy` (default `<host>-<pid>`). */
  name?: string;
}

/** A running org-scan worker. */
export interface OrgScanService {
  readonly worker: Worker;
  readonly schedulers: SchedulerSync | null;
  close(): Promise<void>;
}

export async function startOrgScanService(opts: OrgScanServiceOptions): Promise<OrgScanService> {
  const prefix = queuePrefix(opts.namespace);
  const queue = new Queue(ORG_SCAN_QUEUE, { connection: opts.bull, prefix });
  let schedulers: SchedulerSync | null = null;
  try {
    schedulers = opts.schedule ? await syncOrgScanSchedulers(queue, opts.schedule) : null;
  } catch (err) {
    await queue.close();
    throw err;
  }
  // close(): the repository jobs in flight stop their git commands and go back to wait.
  const stopping = new AbortController();
  const deps: OrgScanProcessorDeps = {
    signal: stopping.signal,
    scan: opts.scanDeps,
    redis: opts.client,
    namespace: opts.namespace,
    enqueue: async (jobs) => void (await enqueueFindings(opts.client, opts.namespace, jobs)),
    listRepos: gitHubRepoLister(opts.github.apiUrl, opts.github.token),
    orgScanQueue: queue,
    ...(opts.repoJobOptions ? { repoJobOptions: opts.repoJobOptions } : {}),
  };
  const worker = new Worker(ORG_SCAN_QUEUE, orgScanProcessor(deps), {
    connection: opts.bull,
    prefix,
    concurrency: opts.concurrency ?? 1,
    lockDuration: opts.lockDurationMs ?? 5 * 60_000,
    name: opts.name ?? `${hostname()}-${process.pid}`,
  });
  worker.on("error", () => {}); // connection errors surface through the jobs; BullMQ reconnects
  if (opts.onFailed) worker.on("failed", (job, err) => opts.onFailed!(job?.id, err));
  let closing: Promise<void> | null = null;
  return {
    worker,
    schedulers,
    close() {
      closing ??= (async () => {
        stopping.abort();
        await worker.close();
        await queue.close();
      })();
      return closing;
    },
  };
}
