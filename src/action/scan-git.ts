/** Runs the scan a target asks for, through the scan use cases (range or full history). */

import type { ScanConfig } from "../config/scan-config.js";
import type { Finding } from "../findings/finding.js";
import type { RuleSet } from "../rules/rule-set.js";
import { scanHistoryBySize } from "../scan/history-by-size.js";
import { scanRange } from "../scan/scan-range.js";
import type { StoredSize } from "../sources/git/pack-count.js";
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
  /** A full history that stores at most this is scanned in this process (default: org-scan's limit). */
  inProcess?: StoredSize,
): Promise<GitScanResult> {
  if (target.kind === "range") {
    // From the zero id, scanRange reads the commits of head that no other ref has.
    // A pushed annotated tag goes as itself: scanRange reads its commit's range and its messages.
    const range = { from: target.base ?? ZERO_SHA, to: target.tag ?? target.head };
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
  // Every ref of the checkout: with fetch-depth: 0, every branch (refs/remotes/origin/*) and tag. A big
  // history in a child node with the history memory settings, as `leakstop scan --history`; a small one
  // here, as org-scan does (scan/history-by-size.ts).
  const r = await scanHistoryBySize(
    ruleSet,
    { repo, threads: cfg.threads, showSecrets: SHOW_SECRETS, revealRules, maxFileSize: cfg.maxFileSize },
    inProcess,
  );
  return { findings: r.findings, commits: r.stats.commits };
}
