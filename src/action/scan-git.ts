/** Runs the scan a target asks for, through the scan use cases (range or full history). */
import type { RuleSet } from "../config/ruleset.js";
import type { ScanConfig } from "../config/scan-config.js";
import type { Finding } from "../findings/finding.js";
import { LeakstopError } from "../lib/errors.js";
import type { ScanTarget } from "./scan-target.js";

export interface GitScanResult {
  findings: Finding[];
  /** How many commits were read, when the scanner says. */
  commits?: number;
  /** What the scanner wants the user to know about how it read the range or history. */
  notes?: string[];
}

export async function scanGitTarget(
  target: Exclude<ScanTarget, { kind: "nothing" }>,
  _repo: string,
  _ruleSet: RuleSet,
  _cfg: ScanConfig,
): Promise<GitScanResult> {
  // Wired to scanRange / scanHistory (src/scan/) as they land.
  throw new LeakstopError(
    "LS_USAGE",
    `scanning ${target.kind === "range" ? "a commit range" : "git history"} is not available in this build yet`,
  );
}
