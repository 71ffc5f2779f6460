/**
 * Revokes one of leakstop's own keys found leaked (SPEC §7): the registry is looked up by the
 * finding's secretHash (the registry indexes records by the key's SHA-256), and an active key is
 * revoked together with its audit entry in one script (registry/lua/revoke.lua).
 *
 * Exactly-once effect under at-least-once delivery:
 * - the script revokes only a key that is not revoked yet, so of concurrent workers and of many
 *   findings of the same key exactly one call revokes it and writes the one `key.revoke` entry;
 * - the revocation's audit entry id (`eventId`) and the findingId that caused it stay on the
 *   record, so a redelivered finding (a crash between revoke and enqueueing the notification)
 *   gets the same eventId back and its notification keeps the same job id;
 * - other findings of a revoked key are repeats: recorded once per findingId as a
 *   `key.revoke_repeat` audit entry (the script keeps a per-key set of findingIds), never notified.
 */
import type { FindingJob, LeakLocation } from "../queue/jobs.js";
import type { FoundKey, Registry } from "../registry/index.js";
import { scrubKeys } from "./scrub-keys.js";

/** The audit actor of revocations made by the pipeline. */
export const WORKER_ACTOR = "leakstop-worker";

/** What {@link revokeOwnKey} found and did. */
export type OwnKeyOutcome =
  /**
   * The key is revoked by this finding: now (`fresh`), or earlier by a previous delivery of the
   * same finding (`fresh` false: its notification may not have been enqueued yet).
   */
  | { kind: "revoked"; fresh: boolean; record: FoundKey; eventId: string; revokedAt: string }
  /** Already revoked by something else; this finding was recorded (unless seen before). */
  | { kind: "repeat"; record: FoundKey; recorded: boolean }
  /** Expired (or past its rotation overlap): nothing to revoke. */
  | { kind: "inactive"; record: FoundKey }
  /** Not a key of this registry. */
  | { kind: "unknown" };

/** Longest revoke reason the registry takes. */
const MAX_REASON = 500;

/** Where a secret leaked, in one line: `repo:path:line (commit abc1234)`. */
export function describePlace(loc: LeakLocation): string {
  const repo = loc.repository ? `${loc.repository}:` : "";
  const commit = loc.commit ? ` (commit ${loc.commit.slice(0, 12)})` : "";
  return `${repo}${loc.path}:${loc.startLine}${commit}`;
}

/**
 * The revoke reason: "leaked: <ruleId> at <where>", one line, at most 500 characters. Built from
 * the finding's metadata only; anything in it shaped like a leakstop key is blanked anyway (a
 * crafted path must not carry a key into the audit trail).
 */
export function leakReason(job: Pick<FindingJob, "ruleId" | "location">): string {
  // The registry refuses these in a reason (registry/free-text.ts); a path may hold any of them.
  const oneLine = (s: string) =>
    s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, " ");
  const text = scrubKeys(oneLine(`leaked: ${job.ruleId} at ${describePlace(job.location)}`)).trim();
  return text.length <= MAX_REASON ? text : `${text.slice(0, MAX_REASON - 1)}…`;
}

/**
 * Looks the finding's secretHash up in the registry and revokes an active key with its audit
 * entry (actor {@link WORKER_ACTOR}). Safe to call any number of times for the same finding.
 * `known`: the record as already read for this secretHash (a batch reads all of its keys in one
 * call; Registry.getManyByHash); the revoke script checks the state again either way.
 */
export async function revokeOwnKey(
  registry: Registry,
  job: Pick<FindingJob, "findingId" | "secretHash" | "ruleId" | "location">,
  known?: FoundKey | null,
): Promise<OwnKeyOutcome> {
  const record = known === undefined ? await registry.getByHash(job.secretHash) : known;
  if (!record) return { kind: "unknown" };
  if (record.status === "expired") return { kind: "inactive", record };
  const r = await registry.revokeFound(record, leakReason(job), WORKER_ACTOR, job.findingId);
  const revokedAt = r.revokedAt ?? record.revokedAt ?? "";
  if (r.revoked && r.eventId) return { kind: "revoked", fresh: true, record, eventId: r.eventId, revokedAt };
  if (r.eventId === undefined && r.repeatRecorded === undefined) return { kind: "unknown" };
  if (r.eventId && r.revokedByFinding === job.findingId) {
    return { kind: "revoked", fresh: false, record, eventId: r.eventId, revokedAt };
  }
  return { kind: "repeat", record, recorded: r.repeatRecorded === true };
}
