/**
 * Job payloads of the pipeline's queues: the contract between producers (report/, the server's
 * findings and partner routes, the scheduler) and the workers. No payload ever holds a raw
 * secret: own keys travel as their SHA-256 (the registry's lookup index), and a third-party
 * secret a provider's revocation API needs travels only sealed to the server's public key.
 */
import type { Severity, SourceKind } from "../findings/finding.js";

/** Bumped when a payload changes incompatibly; workers refuse versions they do not know. */
export const JOB_SCHEMA_VERSION = 1;

/** Where a secret was seen. */
export interface LeakLocation {
  source: SourceKind | "github-partner";
  path: string;
  startLine: number;
  startColumn: number;
  commit?: string;
  repository?: string;
  /** A link to the place (GitHub's alert URL, a blob URL), when known. */
  url?: string;
}

/** A secret sealed to the server's public key (X25519 + HKDF-SHA256 + AES-256-GCM), all base64url. */
export interface SealedSecret {
  alg: "x25519-hkdf-sha256-aes256gcm";
  /** Fingerprint (SHA-256 hex of the DER SPKI) of the public key it was sealed to. */
  keyId: string;
  epk: string;
  iv: string;
  ct: string;
  tag: string;
}

/** One finding on the findings queue. The BullMQ job id is `findingId`, so a resend is one job. */
export interface FindingJob {
  v: typeof JOB_SCHEMA_VERSION;
  /** SHA-256 hex of secretHash + location (source, repository, commit, path, line, column): stable across resends. */
  findingId: string;
  /** SHA-256 hex of the raw secret; equals the registry's keyHash for leakstop's own keys. */
  secretHash: string;
  ruleId: string;
  provider: string;
  severity: Severity;
  validated: boolean | null;
  location: LeakLocation;
  /** ISO-8601: when the scanner saw it. */
  detectedAt: string;
  /** Who reported it: "cli", "action", "hook", "org-scan", "github-partner", or the reporting key's id. */
  reporter: string;
  /** Only for third-party secrets whose provider has a revoker; never for leakstop's own keys. */
  sealedSecret?: SealedSecret;
}

/** Job names on the findings queue: one FindingJob, or a batch of them. */
export const FINDING_JOB = "finding";
export const FINDING_BATCH_JOB = "batch";

/**
 * Several findings in one job (what producers send: BullMQ's cost is per job, not per finding).
 * The effect stays once per finding: every step the worker takes for a finding is idempotent by
 * its findingId (revoke.lua, the jobs it enqueues), so a retried or retaken batch re-applies nothing.
 */
export interface FindingBatchJob {
  v: typeof JOB_SCHEMA_VERSION;
  findings: FindingJob[];
}

/** What a notification is about. */
export type NotifyKind = "key-revoked" | "provider-revoked" | "security-alert";

/** One notification on the notify queue. The job id is `notify:<eventId>:<channel>`: at most one per event and channel. */
export interface NotifyJob {
  v: typeof JOB_SCHEMA_VERSION;
  kind: NotifyKind;
  /** Unique per event (the revocation's audit entry id, or the findingId for alerts); sent as `Leakstop-Delivery`. */
  eventId: string;
  channel: "webhook" | "email";
  /** Webhook URL or e-mail address. */
  to: string;
  /** The leaked key, by id and hint only (never the key). */
  keyId?: string;
  hint?: string;
  ownerId?: string;
  ruleId: string;
  provider: string;
  location: LeakLocation;
  detectedAt: string;
  /** ISO-8601: when the action below was taken. */
  actedAt: string;
  /** What was done, in words: "revoked", "revoked by GitHub", "not revocable: raised to the security contact". */
  action: string;
}

/** One third-party secret on the provider-revoke queue. */
export interface ProviderRevokeJob {
  v: typeof JOB_SCHEMA_VERSION;
  findingId: string;
  /** The revoker's name (revoke/providers/<name>.ts). */
  revoker: string;
  ruleId: string;
  provider: string;
  secretHash: string;
  sealedSecret: SealedSecret;
  location: LeakLocation;
  detectedAt: string;
}

/** A notification that failed its last try, as kept on the dead-letter queue. */
export interface DeadLetterJob {
  v: typeof JOB_SCHEMA_VERSION;
  notify: NotifyJob;
  /** The last error, one line, redacted. */
  lastError: string;
  attempts: number;
  failedAt: string;
}
