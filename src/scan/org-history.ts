/**
 * The seam between org-scan and the git history scanner: adapts `scanHistory` (the engine of
 * `scan --history`, run in a child node as there: history-child.ts) to the HistoryScanner that
 * scanOrgRepos calls for each bare mirror.
 */
import type { RuleSet } from "../rules/rule-set.js";
import { scanHistoryInChild } from "./history-child.js";
import type { HistoryScanner } from "./scan-org.js";

export interface OrgHistoryOptions {
  showSecrets: boolean;
  /** Rule ids whose findings carry `rawSecret` (org-scan --report seals them). */
  revealRules?: readonly string[];
  threads: number;
  maxFileSize: number;
}

/** Scans every ref of a mirror, leaving out `exclude` and their ancestors (what --since-last scanned before). */
export function makeHistoryScanner(ruleSet: RuleSet, opts: OrgHistoryOptions): HistoryScanner {
  return async (gitDir, exclude) => {
    // In a child node with the history memory settings: org-scan and the scheduler scan many histories.
    const r = await scanHistoryInChild(ruleSet, {
      repo: gitDir,
      threads: opts.threads,
      showSecrets: opts.showSecrets,
      revealRules: opts.revealRules,
      maxFileSize: opts.maxFileSize,
      exclude,
    });
    return { findings: r.findings, commits: r.stats.commits, files: r.stats.files, bytes: r.stats.bytes };
  };
}
