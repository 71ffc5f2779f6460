/**
 * Puts FindingJobs on the findings queue, idempotently: the job id is the findingId, so a job
 * already there (waiting, active or completed within the retention) is not added again.
 * Completed jobs are kept for a week for exactly that dedupe; failed ones until a person looks.
 * Works on one Redis or a Cluster: the queue prefix's hash tag keeps every key in one slot.
 */
import { Queue } from "bullmq";
import type { RedisClient } from "../redis/cluster.js";
import type { FindingJob } from "./jobs.js";
import { FINDINGS_QUEUE, QUEUE_EVENTS_KEPT, queuePrefix } from "./names.js";

/** How long a completed finding job (and so its id) is kept: a resend within it has no effect. */
export const FINDING_RETENTION_SECONDS = 7 * 24 * 3600;

/** Options of every finding job (retries with backoff are the worker's safety net). */
export const FINDING_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: "exponential", delay: 500 },
  removeOnComplete: { age: FINDING_RETENTION_SECONDS },
  removeOnFail: false,
} as const;

/** What an enqueue did: jobs added now, and jobs whose id was already on the queue. */
export interface EnqueueResult {
  added: number;
  duplicates: number;
}

const CHUNK = 500;

/** Adds the jobs that are not on the queue yet. `redis` stays open (the caller owns it). */
export async function enqueueFindings(
  redis: RedisClient,
  namespace: string,
  jobs: FindingJob[],
): Promise<EnqueueResult> {
  const queue = new Queue<FindingJob>(FINDINGS_QUEUE, {
    connection: redis,
    prefix: queuePrefix(namespace),
    skipVersionCheck: true,
    streams: { events: { maxLen: QUEUE_EVENTS_KEPT } },
  });
  try {
    let added = 0;
    let duplicates = 0;
    for (let i = 0; i < jobs.length; i += CHUNK) {
      // One id twice in a batch is one job.
      const unique = [...new Map(jobs.slice(i, i + CHUNK).map((j) => [j.findingId, j])).values()];
      duplicates += Math.min(CHUNK, jobs.length - i) - unique.length;
      const pipeline = redis.pipeline();
      for (const j of unique) pipeline.exists(queue.toKey(j.findingId));
      const seen = (await pipeline.exec()) ?? [];
      const fresh = unique.filter((_, k) => seen[k]?.[1] !== 1);
      duplicates += unique.length - fresh.length;
      if (fresh.length === 0) continue;
      await queue.addBulk(
        fresh.map((data) => ({ name: "finding", data, opts: { ...FINDING_JOB_OPTIONS, jobId: data.findingId } })),
      );
      added += fresh.length;
    }
    return { added, duplicates };
  } finally {
    await queue.close();
  }
}
