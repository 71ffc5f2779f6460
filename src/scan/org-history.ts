/**
 * The seam between org-scan and the git history scanner: adapts `scanHistory` to the
 * HistoryScanner that scanOrgRepos calls for each bare mirror.
 */
import type { RuleSet } from "../config/ruleset.js";
import { LeakstopError } from "../lib/errors.js";
import type { HistoryScanner } from "./scan-org.js";

export interface OrgHistoryOptions {
  showSecrets: boolean;
  threads: number;
  maxFileSize: number;
}

export function makeHistoryScanner(_ruleSet: RuleSet, _opts: OrgHistoryOptions): HistoryScanner {
  throw new LeakstopError(
    "LS_USAGE",
    "org-scan: the git history scanner is not in this build yet (it arrives with scan --history)",
  );
}
