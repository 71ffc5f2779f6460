/** Runs the scan a target asks for, through the scan use cases (range or full history). */

import type { ScanConfig } from "../config/scan-config.js";
import type { Finding } from "../findings/finding.js";
import type { RuleSet } from "../rules/rule-set.js";
import { scanHistoryInChild } from "../scan/history-child.js";
import { scanRange } from "../scan/scan-range.js";
import { ZERO_SHA } from "./event.js";
import type { ScanTarget } from "./scan-target.js";

export interface GitScanResult {
  findings: Finding[];
  /** How many commits were read, when the scanner says. */
  commits?: number;
  /** What the scanner wants the user to know about how it read the range or history. */
  notes?: string[];
}

/** The Action never prints raw secrets: annotations and the summary are public to anyone who reads the run. */
const SHOW_SECRETS = false;

export async function scanGitTarget(
  target: Exclude<ScanTarget, { kind: "nothing" }>,
  repo: string,
  ruleSet: RuleSet,
  cfg: ScanConfig,
  /** Rule ids whose findings carry the raw secret in-process, for sealing (server-url set). */
  revealRules?: readonly string[],
): Promise<GitScanResult> {
  if (target.kind === "range") {
    // From the zero id, scanRange reads the commits of head that no other ref has.
    const range = { from: target.base ?? ZERO_SHA, to: target.head };
    const r = await scanRange(ruleSet, {
      repo,
      range,
      showSecrets: SHOW_SECRETS,
      revealRules,
      maxFileSize: cfg.maxFileSize,
      exclude: cfg.exclude,
    });
    return { findings: r.findings, commits: r.stats.commits, notes: r.range.notes };
  }
  // Every ref of the checkout: with fetch-depth: 0, every branch (refs/remotes/origin/*) and tag; in a
  // child node with the history memory settings, as `leakstop scan --history` (scan/history-child.ts).
  const r = await scanHistoryInChild(ruleSet, {
    repo,
    threads: cfg.threads,
    showSecrets: SHOW_SECRETS,
    revealRules,
    maxFileSize: cfg.maxFileSize,
  });
  return { findings: r.findings, commits: r.stats.commits };
}
