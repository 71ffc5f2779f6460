/**
 * BullMQ job schedulers from the schedule: one per organization (`org-scan-<org>`), each adding
 * an org tick on the cron pattern. Upserting is idempotent, so every worker or server that starts
 * may sync them; schedulers of organizations no longer listed are removed.
 */
import type { Queue } from "bullmq";
import { LeakstopError } from "../lib/errors.js";
import { ORG_TICK_JOB, type OrgTickJob, schedulerIdOf, TICK_JOB_OPTIONS } from "./org-scan-jobs.js";
import type { OrgScanSchedule } from "./schedule-config.js";

const PREFIX = "org-scan-";

type SchedulerQueue = Pick<Queue, "upsertJobScheduler" | "getJobScheduler" | "getJobSchedulers" | "removeJobScheduler">;

/** BullMQ's answer when another process has just added (or is running) the same iteration. */
const ITERATION_TAKEN =
  /job scheduler iteration - (job ID already exists|current and next time slots already have jobs)/;

/**
 * Upserts one scheduler. Every worker and server syncs the schedule when it starts, so two may
 * race on the same iteration; BullMQ then refuses the second. That is no error when the stored
 * scheduler already has this pattern and zone (the other process wrote the same thing); else it
 * tries again a few times, once the iteration has moved on.
 */
async function upsertOnce(
  queue: SchedulerQueue,
  id: string,
  schedule: OrgScanSchedule,
  data: OrgTickJob,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await queue.upsertJobScheduler(
        id,
        { pattern: schedule.cron, tz: schedule.tz },
        { name: ORG_TICK_JOB, data, opts: TICK_JOB_OPTIONS },
      );
      return;
    } catch (err) {
      if (!ITERATION_TAKEN.test((err as Error).message ?? "")) throw err;
      const stored = await queue.getJobScheduler(id);
      if (stored && stored.pattern === schedule.cron && (stored.tz ?? undefined) === (schedule.tz ?? undefined)) return;
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** What {@link syncOrgScanSchedulers} changed. */
export interface SchedulerSync {
  upserted: string[];
  removed: string[];
}

/**
 * Makes the queue's org-scan schedulers match `schedule` (null: remove them all).
 * @throws LeakstopError LS_CONFIG_INVALID when BullMQ refuses the cron pattern
 */
export async function syncOrgScanSchedulers(
  queue: SchedulerQueue,
  schedule: OrgScanSchedule | null,
): Promise<SchedulerSync> {
  const wanted = new Set((schedule?.orgs ?? []).map(schedulerIdOf));
  const upserted: string[] = [];
  for (const org of schedule?.orgs ?? []) {
    const id = schedulerIdOf(org);
    const data: OrgTickJob = { v: 1, org };
    try {
      await upsertOnce(queue, id, schedule!, data);
    } catch (err) {
      if (/redis|ECONN|closed|job scheduler iteration/i.test((err as Error).message ?? "")) throw err;
      throw new LeakstopError("LS_CONFIG_INVALID", `org scan schedule "${schedule!.cron}": ${(err as Error).message}`);
    }
    upserted.push(id);
  }
  const removed: string[] = [];
  for (const s of await queue.getJobSchedulers(0, -1)) {
    const id = s.key;
    if (id.startsWith(PREFIX) && !wanted.has(id) && (await queue.removeJobScheduler(id))) removed.push(id);
  }
  return { upserted, removed };
}
