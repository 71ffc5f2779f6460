/**
 * The dead-letter queue, read and replayed (`leakstop report dead-letters [--replay]`). Nothing
 * consumes DEAD_LETTER_QUEUE: its jobs wait there until a replay re-enqueues the notification
 * with fresh attempts under a new job id and only then removes the letter, so a crash between
 * the two leaves the letter (and replaying it again finds the same replay job id: one job).
 */
import type { Job, Queue } from "bullmq";
import type { DeadLetterJob, NotifyJob } from "../queue/jobs.js";
import { type JobAdder, type NotifyRetry, notifyJobOptions, replayJobId } from "./notify-queue.js";

/** One dead letter with its job id. */
export interface DeadLetter {
  id: string;
  letter: DeadLetterJob;
}

/** The states a dead letter can be in (nothing processes the queue, so normally "wait"). */
const STATES = ["wait", "prioritized", "delayed", "failed", "completed", "active"] as const;

/** Every dead letter, oldest first. */
export async function listDeadLetters(queue: Queue<DeadLetterJob>): Promise<DeadLetter[]> {
  const jobs = await queue.getJobs([...STATES], 0, -1, true);
  return jobs
    .filter((j): j is Job<DeadLetterJob> => Boolean(j?.id && j.data?.notify))
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((j) => ({ id: String(j.id), letter: j.data }));
}

/** What a replay did. */
export interface ReplayOutcome {
  /** Dead letter id → the new notify job id. */
  replayed: { deadLetterId: string; jobId: string }[];
  /** Ids asked for that are not dead letters (already replayed, or mistyped). */
  missing: string[];
}

/**
 * Re-enqueues dead letters on the notify queue (all of them, or those in `ids`) with fresh
 * attempts under a new job id, then removes each letter.
 */
export async function replayDeadLetters(
  deadLetters: Queue<DeadLetterJob>,
  notify: JobAdder<NotifyJob>,
  opts: { ids?: readonly string[]; retry?: NotifyRetry } = {},
): Promise<ReplayOutcome> {
  const all = await listDeadLetters(deadLetters);
  const wanted = opts.ids ? new Set(opts.ids) : null;
  const chosen = wanted ? all.filter((d) => wanted.has(d.id)) : all;
  const found = new Set(chosen.map((d) => d.id));
  const outcome: ReplayOutcome = { replayed: [], missing: [...(wanted ?? [])].filter((id) => !found.has(id)) };
  for (const { id, letter } of chosen) {
    const jobId = replayJobId(letter.notify, id);
    await notify.add(letter.notify.kind, letter.notify, { ...notifyJobOptions(opts.retry), jobId });
    await deadLetters.remove(id);
    outcome.replayed.push({ deadLetterId: id, jobId });
  }
  return outcome;
}
