/**
 * Puts findings on the findings queue, idempotently and in batches: BullMQ's cost (a job's add,
 * fetch, lock and finish) is per job, so one job carries up to {@link FINDING_BATCH_SIZE}
 * findings. A finding already sent is not sent again: each one sent leaves a marker
 * (`<prefix>:findings-seen:<findingId>`, kept as long as a completed job), and a finding that
 * still sits on the queue as a job of its own (job id = findingId, as older producers sent them)
 * counts as sent too. The marker is written after the batch is stored, so a producer that dies in
 * between sends the finding again on its next run: delivery is at-least-once, the worker's effect
 * once per finding. Failed jobs are kept until a person looks (`leakstop report failed`).
 * Works on one Redis or a Cluster: the queue prefix's hash tag keeps every key in one slot.
 */
import { Queue } from "bullmq";
import { sha256Hex } from "../lib/hash.js";
import type { RedisClient } from "../redis/cluster.js";
import { FINDING_BATCH_JOB, type FindingBatchJob, type FindingJob, JOB_SCHEMA_VERSION } from "./jobs.js";
import { FINDINGS_QUEUE, QUEUE_EVENTS_KEPT, queuePrefix } from "./names.js";

/** How long a completed finding job (and a sent finding's marker) is kept: a resend within it has no effect. */
export const FINDING_RETENTION_SECONDS = 7 * 24 * 3600;

/** Findings per job: large enough that BullMQ's per-job cost fades, small enough to retry cheaply. */
export const FINDING_BATCH_SIZE = 100;

/** Options of every finding job (retries with backoff are the worker's safety net). */
export const FINDING_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: "exponential", delay: 500 },
  removeOnComplete: { age: FINDING_RETENTION_SECONDS },
  removeOnFail: false,
} as const;

/** What an enqueue did: findings added now, and findings already sent (or twice in the input). */
export interface EnqueueResult {
  added: number;
  duplicates: number;
}

/** The marker a sent finding leaves (same hash tag as the queue's keys). */
export function findingSeenKey(namespace: string, findingId: string): string {
  return `${queuePrefix(namespace)}:${FINDINGS_QUEUE}-seen:${findingId}`;
}

/**
 * The job id of a batch: derived from its findingIds, so the same batch sent twice (a retry
 * after a lost reply) is one job. Three ":"-separated parts, as BullMQ wants of custom ids.
 */
export function batchJobId(findings: readonly FindingJob[]): string {
  return `batch:${sha256Hex(findings.map((f) => f.findingId).join(",")).slice(0, 40)}:${findings.length}`;
}

/** How many findings are checked against the queue per round trip. */
const CHUNK = 500;

/** A producer on the findings queue; `redis` stays open (the caller owns it). */
export class FindingsProducer {
  private readonly queue: Queue<FindingBatchJob>;

  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string,
    private readonly batchSize = FINDING_BATCH_SIZE,
  ) {
    this.queue = new Queue<FindingBatchJob>(FINDINGS_QUEUE, {
      connection: redis,
      prefix: queuePrefix(namespace),
      skipVersionCheck: true,
      streams: { events: { maxLen: QUEUE_EVENTS_KEPT } },
    });
  }

  /** Adds the findings not sent yet, `batchSize` to a job. Returns the ids of the batch jobs added too. */
  async enqueue(jobs: readonly FindingJob[]): Promise<EnqueueResult & { batches: string[] }> {
    let added = 0;
    let duplicates = 0;
    const batches: string[] = [];
    for (let i = 0; i < jobs.length; i += CHUNK) {
      // One id twice in the input is one finding.
      const unique = [...new Map(jobs.slice(i, i + CHUNK).map((j) => [j.findingId, j])).values()];
      duplicates += Math.min(CHUNK, jobs.length - i) - unique.length;
      const check = this.redis.pipeline();
      for (const j of unique) check.exists(this.queue.toKey(j.findingId), findingSeenKey(this.namespace, j.findingId));
      const seen = (await check.exec()) ?? [];
      // A check that failed must not pass for "already sent": that would drop the finding.
      const failed = seen.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
      const fresh = unique.filter((_, k) => seen[k]?.[1] === 0);
      duplicates += unique.length - fresh.length;
      if (fresh.length === 0) continue;
      const chunkBatches: { id: string; findings: FindingJob[] }[] = [];
      for (let b = 0; b < fresh.length; b += this.batchSize) {
        const findings = fresh.slice(b, b + this.batchSize);
        chunkBatches.push({ id: batchJobId(findings), findings });
      }
      await this.queue.addBulk(
        chunkBatches.map(({ id, findings }) => ({
          name: FINDING_BATCH_JOB,
          data: { v: JOB_SCHEMA_VERSION, findings },
          opts: { ...FINDING_JOB_OPTIONS, jobId: id },
        })),
      );
      const mark = this.redis.pipeline();
      for (const { id, findings } of chunkBatches) {
        for (const f of findings)
          mark.set(findingSeenKey(this.namespace, f.findingId), id, "EX", FINDING_RETENTION_SECONDS);
      }
      // A marker that did not stick only lets a later resend through (to no further effect).
      await mark.exec();
      added += fresh.length;
      batches.push(...chunkBatches.map((b) => b.id));
    }
    return { added, duplicates, batches };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Adds the findings that were not sent yet (see {@link FindingsProducer}). `redis` stays open. */
export async function enqueueFindings(
  redis: RedisClient,
  namespace: string,
  jobs: FindingJob[],
): Promise<EnqueueResult> {
  const producer = new FindingsProducer(redis, namespace);
  try {
    const { added, duplicates } = await producer.enqueue(jobs);
    return { added, duplicates };
  } finally {
    await producer.close();
  }
}
