/** The audit trail's entry shape (SPEC §7): append-only, each entry chained to the previous one. */

/** One audit entry as stored and exported (JSON Lines). */
export interface AuditEntry {
  /** Position in the chain, 1-based, no gaps. */
  seq: number;
  /** `hash` of the previous entry ("0" x 64 for the first). */
  prevHash: string;
  /** SHA-256 hex of `prevHash + "\n" + seq + "\n" + <the entry's other fields as JSON>`. */
  hash: string;
  /** Unique entry id. */
  id: string;
  /** ISO-8601 time of the change. */
  ts: string;
  /** What happened: key.create, key.rotate, key.revoke, key.revoke_repeat, key.expire. */
  action: string;
  /** Who did it (a key id, "cli:<user>", "pipeline", ...). */
  actor: string;
  keyId: string | null;
  /** Display hint of the key (prefix + last 4), never the key. */
  hint: string | null;
  details: Record<string, string | number | boolean | null>;
  /**
   * Base64 Ed25519 signature by the audit key (LEAKSTOP_AUDIT_KEY) of the entry's other payload
   * fields (id … details) as JSON, prefixed "leakstop-audit-entry\n"; absent when written without a key.
   */
  sig?: string;
}

/**
 * Result of {@link AuditLog.verify}: the first broken entry is named by its 0-based
 * position in the list and its id. For "dropped", the entry found where the missing
 * one should be (entryId "" when the chain's tail was dropped). "inserted": an entry past the
 * chain's recorded head, i.e. written to the list without the append script.
 */
export type AuditVerifyResult =
  | { ok: true; count: number }
  | { ok: false; index: number; entryId: string; problem: AuditProblem; anchor?: string };

/**
 * What verify found. Chain problems: edited, dropped, reordered, inserted (also a copy of an
 * earlier entry). With the public key: unsigned (no signature and no signed checkpoint covers
 * it), forged (a signature that does not verify). Against a checkpoint kept outside Redis
 * (`anchor` names its file): wiped (the chain is empty), truncated (fewer entries than
 * anchored), rewritten (the anchored entry's hash differs: the chain was rebuilt).
 */
export type AuditProblem =
  | "edited"
  | "dropped"
  | "reordered"
  | "inserted"
  | "unsigned"
  | "forged"
  | "wiped"
  | "truncated"
  | "rewritten";
