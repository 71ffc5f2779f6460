/** A finding as SPEC §4 defines it: what every formatter, baseline and reporter consumes. */
export type Severity = "critical" | "high" | "medium" | "low";
export type SourceKind = "tree" | "history" | "range" | "staged" | "stdin" | "org";

export interface Finding {
  ruleId: string;
  provider: string;
  description: string;
  severity: Severity;
  path: string;
  /** 1-based; columns are UTF-16 code units (SARIF's default), end exclusive. */
  startLine: number;
  endLine: number;
  startColumn: number;
  endColumn: number;
  /** Redacted unless --show-secrets. */
  match: string;
  secretHash: string;
  fingerprint: string;
  validated: boolean | null;
  entropy: number;
  source: SourceKind;
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
  repository?: string;
  tags: string[];
}
