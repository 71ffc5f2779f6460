/** A finding as SPEC §4 defines it: what every formatter, baseline and reporter consumes. */
import { type FileKind, fileKindOfOrigin } from "./file-kind.js";

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
  /** Git sources: the commit; for a secret in an annotated tag's message, the tag object's id (see `tag`). */
  commit?: string;
  /** A secret in an annotated tag's message: the tag's name (path "", author/email/date: its tagger's). */
  tag?: string;
  author?: string;
  email?: string;
  date?: string;
  repository?: string;
  tags: string[];
  /** Where the secret sits; the engine sets it (see {@link kindOfFinding} for findings built elsewhere). */
  fileKind?: FileKind;
  /**
   * The raw secret, only for rules named in DetectOptions.revealRules (`scan --report`: a
   * third-party secret a provider can revoke, to be sealed). In-process only: the scan use case
   * detaches it ({@link detachRawSecrets}) before any output, baseline or report sees the finding.
   */
  rawSecret?: string;
}

/**
 * Removes every finding's `rawSecret` and returns them by secretHash: what the report producer
 * seals, kept apart from the findings every output prints.
 */
export function detachRawSecrets(findings: Finding[]): Map<string, string> {
  const raw = new Map<string, string>();
  for (const f of findings) {
    if (f.rawSecret === undefined) continue;
    raw.set(f.secretHash, f.rawSecret);
    delete f.rawSecret;
  }
  return raw;
}

/** A finding's fileKind: the engine's, else what its path says (findings built outside the engine). */
export function kindOfFinding(f: Pick<Finding, "fileKind" | "path" | "source">): FileKind {
  return f.fileKind ?? fileKindOfOrigin(f);
}
