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
  queue: Pick<Queue, "upsertJobScheduler" | "getJobSchedulers" | "removeJobScheduler">,
  schedule: OrgScanSchedule | null,
): Promise<SchedulerSync> {
  const wanted = new Set((schedule?.orgs ?? []).map(schedulerIdOf));
  const upserted: string[] = [];
  for (const org of schedule?.orgs ?? []) {
    const id = schedulerIdOf(org);
    const data: OrgTickJob = { v: 1, org };
    try {
      await queue.upsertJobScheduler(
        id,
        { pattern: schedule!.cron, tz: schedule!.tz },
        { name: ORG_TICK_JOB, data, opts: TICK_JOB_OPTIONS },
      );
    } catch (err) {
      if (/redis|ECONN|closed/i.test((err as Error).message ?? "")) throw err;
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
