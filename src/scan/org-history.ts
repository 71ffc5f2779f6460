/**
 * The seam between org-scan and the git history scanner: adapts `scanHistory` (the engine of
 * `scan --history`) to the HistoryScanner that scanOrgRepos calls for each bare mirror. A big
 * history runs in a child node, a small one in this process (history-by-size.ts): a child's start
 * would cost more than the scan, once per repository of an org of many small ones.
 */
import type { RuleSet } from "../rules/rule-set.js";
import type { StoredSize } from "../sources/git/pack-count.js";
import { scanHistoryBySize } from "./history-by-size.js";
import type { HistoryScanner } from "./scan-org.js";

export interface OrgHistoryOptions {
  showSecrets: boolean;
  /** Rule ids whose findings carry `rawSecret` (org-scan --report seals them). */
  revealRules?: readonly string[];
  threads: number;
  maxFileSize: number;
  /** Histories that store at most this are scanned in this process (default IN_PROCESS_HISTORY of history-by-size.ts). */
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
    const r = await scanHistoryBySize(ruleSet, scanOpts, opts.inProcess);
    return { findings: r.findings, commits: r.stats.commits, files: r.stats.files, bytes: r.stats.bytes };
  };
}
