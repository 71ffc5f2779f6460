/** The validated, normalized shape of a detector rule: plain data, safe to send to worker threads. */
import type { Severity } from "../findings/finding.js";

export type RegexTarget = "secret" | "match" | "line";

/**
 * How specific a rule is, which steers the engine: `provider` a provider's own format (the default),
 * `generic` a broad format any provider may use (JWTs, URL credentials, private keys), `entropy` the
 * catch-all for high-entropy values under secret-like names. Where a more specific rule recognised
 * some bytes, less specific ones stay silent on them.
 */
export type RuleKind = "provider" | "generic" | "entropy";

export const RULE_KINDS: readonly RuleKind[] = ["provider", "generic", "entropy"];

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
  /** The regex run (for a context rule, composed from context, value and the shared forms). */
  regex: string;
  /** Capture group of the secret; undefined = 1 if the regex has a group, else 0. */
  secretGroup?: number;
  /** Capture groups that may hold the secret, the first that took part wins (context rules). */
  secretGroups?: number[];
  kind: RuleKind;
  /** Context rules: the names (see rules/assignment-forms.ts), the secret's shape, extra lead-ins. */
  context?: string;
  value?: string;
  also?: string[];
  /** Lower-case literals; empty = the rule always runs (imported gitleaks rules may have none). */
  keywords: string[];
  /**
   * Literals in their exact case, one of which every match of the regex holds (`EAA` for a token that
   * starts so): the rule runs only where one occurs as written. Narrows what the case-insensitive
   * keywords select: in minified code and source maps `eaa`, `aqe` or `sk` occur in any case nearly
   * everywhere, the upper-case prefix far less often.
   */
  exactKeywords?: string[];
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
  /**
   * Why a built-in regex rule spells "name = value" itself rather than saying `context`: its format is a
   * structure (a connection string's field, one file's layout), not an assignment (rules/prelude-check.ts).
   */
  structural?: string;
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
