/**
 * The processor of ORG_SCAN_QUEUE for `leakstop worker`: org ticks (list the repositories, add
 * one job each) and repository jobs (scan the new commits, report the findings). Every worker
 * takes both, so the repositories of one tick spread over all workers.
 */
import { type Job, type JobsOptions, type Queue, WaitingError } from "bullmq";
import { ORG_TICK_JOB, type OrgTickJob, REPO_SCAN_JOB, type RepoScanJob } from "./org-scan-jobs.js";
import { type RepoLister, runOrgTick } from "./org-tick.js";
import { type RepoScanDeps, scanRepository } from "./repo-scan.js";

/** The scan side of a repository job: rules, engine, cache, credentials. */
export type ScanPart = Pick<RepoScanDeps, "scanHistory" | "rulesDigest" | "sealTo" | "token" | "cacheDir">;

/** What the processor needs. */
export interface OrgScanProcessorDeps extends Omit<RepoScanDeps, keyof ScanPart> {
  /** The scan side, or how to load it: it is loaded on the first repository job, once. */
  scan: ScanPart | (() => Promise<ScanPart>);
  listRepos: RepoLister;
  /** ORG_SCAN_QUEUE itself (ticks add repository jobs to it). */
  orgScanQueue: Pick<Queue, "addBulk">;
  /** Options of the repository jobs a tick adds (default REPO_JOB_OPTIONS: 3 attempts). */
  repoJobOptions?: JobsOptions;
}

/** `new Worker(ORG_SCAN_QUEUE, orgScanProcessor(deps), { prefix: queuePrefix(ns), connection })`. */
export function orgScanProcessor(deps: OrgScanProcessorDeps): (job: Job, token?: string) => Promise<unknown> {
  let scan: Promise<ScanPart> | null = null;
  const load = () => {
    const s = deps.scan;
    scan ??= typeof s === "function" ? s() : Promise.resolve(s);
    // A failed load (a bad config file) is tried again by the next job, not remembered forever.
    scan.catch(() => {
      scan = null;
    });
    return scan;
  };
  return async (job, token) => {
    if (job.name === ORG_TICK_JOB)
      return runOrgTick(job as Job<OrgTickJob>, deps.listRepos, deps.orgScanQueue, deps.repoJobOptions);
    if (job.name !== REPO_SCAN_JOB) throw new Error(`unknown org-scan job "${job.name}"`);
    try {
      return await scanRepository((job as Job<RepoScanJob>).data, { ...deps, ...(await load()) });
    } catch (err) {
      // Stopped by a shutdown (deps.signal): back to wait for any worker, no attempt used up.
      if (!deps.signal?.aborted || token === undefined) throw err;
      await job.moveToWait(token);
      throw new WaitingError();
    }
  };
}
