/** `scan --range A..B` and `scan --staged` for the scan command: runs the use case, prints its notes. */

import type { ScanConfig } from "../../config/scan-config.js";
import type { Finding } from "../../findings/finding.js";
import { escapeControlCharacters } from "../../output/paths.js";
import type { RuleSet } from "../../rules/rule-set.js";
import type { ChangeStats } from "../../scan/scan-changes.js";
import { scanRange } from "../../scan/scan-range.js";
import { scanStaged } from "../../scan/scan-staged.js";

export interface ChangesScanOutcome {
  findings: Finding[];
  files: number;
  bytes: number;
  ms: number;
  /** The repository's top folder: reported paths are relative to it. */
  root: string;
}

function report(cfg: ScanConfig, stats: ChangeStats, notes: string[]): void {
  if (!cfg.quiet) for (const n of notes) process.stderr.write(`leakstop: note: ${escapeControlCharacters(n)}\n`);
  if (cfg.verbose)
    for (const s of stats.skipped)
      process.stderr.write(`leakstop: skipped ${escapeControlCharacters(s.rel)} (${s.reason})\n`);
}

export async function scanGitChanges(
  cfg: ScanConfig,
  ruleSet: RuleSet,
  revealRules?: string[],
): Promise<ChangesScanOutcome> {
  const opts = { repo: cfg.root, showSecrets: cfg.showSecrets, maxFileSize: cfg.maxFileSize, revealRules };
  if (cfg.range !== null) {
    const r = await scanRange(ruleSet, { ...opts, range: cfg.range });
    report(cfg, r.stats, r.range.notes);
    return { findings: r.findings, files: r.stats.files, bytes: r.stats.bytes, ms: r.stats.ms, root: r.root };
  }
  const r = await scanStaged(ruleSet, opts);
  report(cfg, r.stats, []);
  return { findings: r.findings, files: r.stats.files, bytes: r.stats.bytes, ms: r.stats.ms, root: r.root };
}
