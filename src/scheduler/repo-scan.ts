/**
 * One repository job: under the repository's cache lock, bring its mirror up to date, scan the
 * commits not scanned before (org-scan's engine, with the since-last state kept in RedisClient), put
 * the findings on FINDINGS_QUEUE (report's FindingJobs, reporter "org-scan"), and only then move
 * the state on: a crash in between scans those commits again, and the same findingIds dedupe. A repository that cannot be
 * fetched or scanned fails its own job (retried by BullMQ), never the others.
 */

import type { KeyObject } from "node:crypto";
import { detachRawSecrets } from "../findings/finding.js";
import { LeakstopError } from "../lib/errors.js";
import type { FindingJob } from "../queue/jobs.js";
import type { RedisClient } from "../redis/cluster.js";
import { toFindingJobs } from "../report/finding-job.js";
import { type HistoryScanner, scanOrgRepos } from "../scan/scan-org.js";
import { lockCache } from "../sources/org/cache-lock.js";
import type { RepoScanJob, RepoScanResult } from "./org-scan-jobs.js";
import { BufferedStateStore } from "./redis-scan-state.js";

/** What a repository scan needs. */
export interface RepoScanDeps {
  /** This host's mirror cache (mirrors only: the state is in Redis). */
  cacheDir: string;
  /** GITHUB_TOKEN for private repositories, or null. */
  token: string | null;
  /** The history scanner; it reveals raw secrets of revocable rules only when `sealTo` is set. */
  scanHistory: HistoryScanner;
  /** The server's report public key: revocable third-party secrets travel sealed to it (else not at all). */
  sealTo: KeyObject | null;
  /** Digest of rules and engine: a change scans whole histories again. */
  rulesDigest: string;
  /** Holds the since-last state. */
  redis: Pick<RedisClient, "get" | "set">;
  /** LEAKSTOP_NAMESPACE (default "leakstop"). */
  namespace: string;
  /** Puts finding jobs on FINDINGS_QUEUE; resolves once they are stored. */
  enqueue(jobs: FindingJob[]): Promise<void>;
  now?: () => Date;
  /** The worker is shutting down: git stops, no scan starts (org-scan-processor.ts puts the job back). */
  signal?: AbortSignal;
}

/**
 * Scans one repository's new commits and reports the findings.
 * @throws LeakstopError LS_ORG_SCAN_FAILED naming the repository and git's reason; LS_CACHE_BUSY
 *   while another job of this host holds the repository (BullMQ retries it later)
 */
export async function scanRepository(data: RepoScanJob, deps: RepoScanDeps): Promise<RepoScanResult> {
  const release = lockCache(deps.cacheDir, `repo-${data.fullName.replace("/", "--")}`);
  try {
    const state = new BufferedStateStore(deps.redis, deps.namespace, deps.cacheDir);
    const { findings, outcomes } = await scanOrgRepos([{ fullName: data.fullName, cloneUrl: data.cloneUrl }], {
      cacheDir: deps.cacheDir,
      sinceLast: true,
      concurrency: 1,
      auth: { token: deps.token },
      rulesDigest: deps.rulesDigest,
      scanHistory: deps.scanHistory,
      stateStore: state,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const o = outcomes[0]!;
    if (o.status === "failed")
      throw new LeakstopError("LS_ORG_SCAN_FAILED", `${data.fullName}: ${o.error ?? "scan failed"}`);
    const rawSecrets = detachRawSecrets(findings);
    const { jobs } = toFindingJobs(findings, {
      reporter: "org-scan",
      sealTo: deps.sealTo,
      rawSecrets,
      detectedAt: (deps.now?.() ?? new Date()).toISOString(),
    });
    await deps.enqueue(jobs);
    await state.commit();
    return {
      repository: data.fullName,
      status: o.status,
      ...(o.mode ? { mode: o.mode } : {}),
      ...(o.fullBecause ? { fullBecause: o.fullBecause } : {}),
      commits: o.commits,
      findings: findings.length,
    };
  } finally {
    release();
  }
}
