/**
 * Jobs the pipeline keeps failed for a person (`leakstop report failed [--retry]`): findings
 * (batches or single findings) refused, or not raisable without a security contact, or out of
 * retries; provider-revoke jobs likewise. Nothing removes them (removeOnFail: false). A retry
 * moves a failed job back to wait with fresh attempts; re-running it is safe, since every step of
 * the pipeline is idempotent per finding (worker/finding-processor.ts).
 */
import type { Job, Queue } from "bullmq";
import type { FindingBatchJob, FindingJob, ProviderRevokeJob } from "../queue/jobs.js";
import { scrubKeys } from "../revoke/scrub-keys.js";

/** One failed job as listed (ids, counts and the reason only: never a payload). */
export interface FailedJob {
  queue: string;
  id: string;
  /** The job's name ("batch", "finding", "revoke" …). */
  name: string;
  /** Findings it carries (a batch: many; otherwise 1). */
  findings: number;
  attempts: number;
  failedAt: string | null;
  /** BullMQ's failedReason, one line, leakstop-format keys blanked, at most 300 characters. */
  reason: string;
}

type AnyJob = FindingJob | FindingBatchJob | ProviderRevokeJob;

function findingsIn(data: unknown): number {
  const list = (data as Partial<FindingBatchJob> | null)?.findings;
  return Array.isArray(list) ? list.length : 1;
}

function oneLine(text: string): string {
  const s = scrubKeys(text.replace(/[\r\n\t]+/g, " ")).trim();
  return s.length <= 300 ? s : `${s.slice(0, 299)}…`;
}

function describe(queue: string, job: Job): FailedJob {
  return {
    queue,
    id: String(job.id),
    name: job.name,
    findings: findingsIn(job.data),
    attempts: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    reason: oneLine(job.failedReason ?? ""),
  };
}

/** Every failed job of the given queues, oldest first. */
export async function listFailed(queues: readonly Queue<AnyJob>[]): Promise<FailedJob[]> {
  const out: FailedJob[] = [];
  for (const q of queues) {
    const jobs = await q.getJobs(["failed"], 0, -1, true);
    for (const j of jobs) if (j?.id) out.push(describe(q.name, j));
  }
  return out.sort((a, b) => (a.failedAt ?? "").localeCompare(b.failedAt ?? ""));
}

/** What a retry did. */
export interface RetryOutcome {
  retried: { queue: string; id: string }[];
  /** Ids asked for that are not failed jobs of these queues (retried already, or mistyped). */
  missing: string[];
}

/** Moves failed jobs (all, or those in `ids`) back to wait with fresh attempts. */
export async function retryFailed(
  queues: readonly Queue<AnyJob>[],
  opts: { ids?: readonly string[] } = {},
): Promise<RetryOutcome> {
  const wanted = opts.ids ? new Set(opts.ids) : null;
  const outcome: RetryOutcome = { retried: [], missing: [] };
  const found = new Set<string>();
  for (const q of queues) {
    for (const j of await q.getJobs(["failed"], 0, -1, true)) {
      if (!j?.id || (wanted && !wanted.has(j.id))) continue;
      await j.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
      found.add(j.id);
      outcome.retried.push({ queue: q.name, id: j.id });
    }
  }
  outcome.missing = [...(wanted ?? [])].filter((id) => !found.has(id));
  return outcome;
}
