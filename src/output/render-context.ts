import type { Severity } from "../findings/finding.js";

/** What a formatter needs to know about a loaded detector (the engine maps its compiled rules to this). */
export interface RuleInfo {
  id: string;
  provider: string;
  /** What an attacker could do with the secret. */
  description: string;
  severity: Severity;
  tags: string[];
  /** The provider's documentation of the format; the first http(s) one becomes SARIF's helpUri. */
  references: string[];
  /** A `public` rule: it recognises a value meant to be seen and never reports it. */
  public?: boolean;
}

/** Scan totals shown in the text summary. */
export interface ScanStats {
  files: number;
  /** Commits walked, for a history scan (`files` then counts blobs, commit and tag messages). */
  commits?: number;
  /** Annotated tags whose messages a history scan read. */
  tags?: number;
  bytes: number;
  ms: number;
  /** Standard input looked binary and was not scanned (`files` is then 0): the summary says so. */
  skippedBinary?: boolean;
}

/** Everything besides the findings that a formatter may use. Formatters are pure: same input, same output. */
export interface RenderContext {
  /** Every loaded detector (SARIF lists them all as tool.driver.rules). */
  rules: RuleInfo[];
  /** The scan root: reported paths are made relative to it. */
  root: string;
  /** ANSI colours in text output (false for NO_COLOR, --no-color or a non-TTY). */
  color: boolean;
  /** The closing summary line of `text` and `github` (default true; false for --quiet). */
  summary?: boolean;
  /** leakstop's version (lib/version.ts: package.json). */
  toolVersion: string;
  stats?: ScanStats;
  /** The repository and commit the scan ran on (SARIF's versionControlProvenance): set by the Action. */
  versionControl?: VersionControl;
}

/** Where the scanned files came from, as SARIF's versionControlDetails. */
export interface VersionControl {
  /** e.g. "https://github.com/owner/name" */
  repositoryUri: string;
  /** The commit checked out. */
  revisionId?: string;
  /** e.g. "refs/heads/main" */
  branch?: string;
}

/** A loaded rule as the formatters see it (structural: any rule with these fields will do). */
export function toRuleInfo(rule: RuleInfo): RuleInfo {
  const { id, provider, description, severity, tags, references } = rule;
  return { id, provider, description, severity, tags, references, ...(rule.public ? { public: true } : {}) };
}
