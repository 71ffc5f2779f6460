/** The validated, normalized shape of a detector rule: plain data, safe to send to worker threads. */
import type { Severity } from "../findings/finding.js";

export type RegexTarget = "secret" | "match" | "line";

export interface AllowlistSpec {
  regexes: string[];
  regexTarget: RegexTarget;
  stopwords: string[];
  paths: string[];
}

export interface RuleSpec {
  id: string;
  provider: string;
  description: string;
  regex: string;
  /** Capture group of the secret; undefined = 1 if the regex has a group, else 0. */
  secretGroup?: number;
  /** Lower-case literals; empty = the rule always runs (imported gitleaks rules may have none). */
  keywords: string[];
  entropy?: number;
  validator?: string;
  severity: Severity;
  tags: string[];
  references: string[];
  revoker?: string;
  /** RE2 on the relative path: the rule runs only on matching files. */
  path?: string;
  /**
   * The rule recognises a value that is meant to be seen (a provider's publishable or browser key
   * where it is used so, the public half of a key pair, ciphertext meant to be committed, a hash):
   * never reported, and no other rule reports those bytes.
   */
  public?: boolean;
  allowlists: AllowlistSpec[];
  examples: { positives: string[]; negatives: string[] };
  /** Where the rule was defined, for error messages. */
  origin: string;
}

/** Settings validators need besides the rules. */
export interface EngineSettings {
  /** Issuer prefixes the leakstop-crc32 validator accepts; empty = any valid issuer. */
  issuers: string[];
}

export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];
