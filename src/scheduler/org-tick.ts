/**
 * An org tick: list the organization's repositories on GitHub (archived ones included, forks and
 * disabled ones left out, as org-scan does by default) and add one repository job each, with ids
 * derived from the tick, so a tick that runs twice (a retry after a crash) adds each job once.
 */
import type { Job, JobsOptions, Queue } from "bullmq";
import { createGitHubClient, gitHubError } from "../github/client.js";
import { listOrgRepos, type OrgRepo } from "../github/org-repos.js";
import { type OrgTickJob, REPO_JOB_OPTIONS, REPO_SCAN_JOB, type RepoScanJob, repoJobId } from "./org-scan-jobs.js";

/** Lists an organization's repositories to scan. */
export type RepoLister = (org: string) => Promise<Array<Pick<OrgRepo, "fullName" | "cloneUrl">>>;

/** A lister on the GitHub API (GitHub Enterprise with another `apiUrl`); failures are one-line LS_GITHUB_* errors. */
export function gitHubRepoLister(apiUrl: string, token: string | null): RepoLister {
  const client = createGitHubClient({ token, apiUrl });
  return async (org) => {
    try {
      return (await listOrgRepos(client, org, { includeArchived: true, includeForks: false })).repos;
    } catch (err) {
      throw gitHubError(err, `organization "${org}"`, apiUrl, token);
    }
  };
}

/** The tick's identity: its scheduled time for scheduler jobs, else its creation time; stable across retries. */
export function tickOf(job: Pick<Job, "id" | "timestamp">): string {
  const scheduled = /:(\d+)$/.exec(job.id ?? "");
  return scheduled ? scheduled[1]! : String(job.timestamp);
}

/** Runs one tick; returns how many repository jobs it added (or found already added). */
export async function runOrgTick(
  job: Pick<Job<OrgTickJob>, "id" | "timestamp" | "data">,
  listRepos: RepoLister,
  queue: Pick<Queue, "addBulk">,
  jobOptions: JobsOptions = REPO_JOB_OPTIONS,
): Promise<{ org: string; repositories: number }> {
  const { org } = job.data;
  const tick = tickOf(job);
  const repos = await listRepos(org);
  await queue.addBulk(
    repos.map((r) => {
      const data: RepoScanJob = { v: 1, org, fullName: r.fullName, cloneUrl: r.cloneUrl, tick };
      return { name: REPO_SCAN_JOB, data, opts: { ...jobOptions, jobId: repoJobId(r.fullName, tick) } };
    }),
  );
  return { org, repositories: repos.length };
}
