/**
 * The seam between org-scan and the git history scanner: adapts `scanHistory` (the engine of
 * `scan --history`) to the HistoryScanner that scanOrgRepos calls for each bare mirror. A big
 * history runs in a child node with the memory settings of `scan --history` (history-child.ts); a
 * small one in this process, in one thread: a child's start (~0.2-0.3 s of node, its code and the
 * rules) would cost more than the scan, once per repository of an org of many small ones.
 */
import type { RuleSet } from "../rules/rule-set.js";
import { type StoredSize, storedWithin } from "../sources/git/pack-count.js";
import { scanHistoryInChild } from "./history-child.js";
import { scanHistory } from "./scan-history.js";
import type { HistoryScanner } from "./scan-org.js";

/**
 * The most a history scanned in process may store. Objects: under what scanHistory scans in its
 * own thread anyway (2 pack objects per text of its 2,000); bytes: packed, what its blobs can
 * unpack to stays far from the memory target.
 */
export const IN_PROCESS_HISTORY: StoredSize = { objects: 4000, bytes: 16 * 1024 * 1024 };

export interface OrgHistoryOptions {
  showSecrets: boolean;
  /** Rule ids whose findings carry `rawSecret` (org-scan --report seals them). */
  revealRules?: readonly string[];
  threads: number;
  maxFileSize: number;
  /** Histories that store at most this are scanned in this process (default IN_PROCESS_HISTORY). */
  inProcess?: StoredSize;
}

/** Scans every ref of a mirror, leaving out `exclude` and their ancestors (what --since-last scanned before). */
export function makeHistoryScanner(ruleSet: RuleSet, opts: OrgHistoryOptions): HistoryScanner {
  return async (gitDir, exclude) => {
    const scanOpts = {
      repo: gitDir,
      threads: opts.threads,
      showSecrets: opts.showSecrets,
      revealRules: opts.revealRules,
      maxFileSize: opts.maxFileSize,
      exclude,
    };
    // A big one in a child node with the history memory settings: org-scan and the scheduler scan many
    // histories. A small one here, in one thread, so that no worker sets the scan's V8 flags (tiering.ts)
    // in a long-lived scheduler.
    const r = storedWithin(gitDir, opts.inProcess ?? IN_PROCESS_HISTORY)
      ? await scanHistory(ruleSet, { ...scanOpts, threads: 1 })
      : await scanHistoryInChild(ruleSet, scanOpts);
    return { findings: r.findings, commits: r.stats.commits, files: r.stats.files, bytes: r.stats.bytes };
  };
}
