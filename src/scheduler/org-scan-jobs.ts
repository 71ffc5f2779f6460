/**
 * The jobs of ORG_SCAN_QUEUE: a scheduler's tick per organization, which lists the org's
 * repositories and adds one repository job each; a repository job scans that repository's new
 * commits. Job ids are deterministic: a retried tick adds the same repository jobs, not new ones.
 */
import type { JobsOptions } from "bullmq";

/** Name of the jobs a scheduler adds for an organization. */
export const ORG_TICK_JOB = "org-tick";
/** Name of the jobs a tick adds, one per repository. */
export const REPO_SCAN_JOB = "org-repo";

/** A tick: list `org` and enqueue its repositories. */
export interface OrgTickJob {
  v: 1;
  org: string;
}

/** One repository to scan (only commits not scanned before). */
export interface RepoScanJob {
  v: 1;
  org: string;
  /** "owner/name". */
  fullName: string;
  cloneUrl: string;
  /** The tick that added it (for the job id and the logs). */
  tick: string;
}

/** What a repository job returns (kept with the completed job). */
export interface RepoScanResult {
  repository: string;
  status: "scanned" | "up-to-date" | "empty";
  mode?: "full" | "incremental";
  /** Why a scan was full ("no earlier scan", "rules changed"). */
  fullBecause?: string;
  commits: number;
  findings: number;
}

/** `acme/api@<tick>`: one job per repository and tick (BullMQ ids may not hold ":"). */
export function repoJobId(fullName: string, tick: string): string {
  return `${fullName}@${tick}`;
}

/** The scheduler id of an organization's tick. */
export function schedulerIdOf(org: string): string {
  return `org-scan-${org.toLowerCase()}`;
}

/** Kept long enough to look into, retried after a pause (a fetch that failed may work next time). */
export const REPO_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 60_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** A tick retries sooner: it only lists repositories. */
export const TICK_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 10_000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};
