/**
 * KeyRecord <-> the flat Redis hash it is stored as. Empty string means null.
 * Besides the record's fields the hash keeps what the verify script needs in a
 * ready form: `scopeset` (" a b "), `cidrbits` (prefix bit strings), times in ms.
 */
import { cidrToBits } from "./cidr.js";
import { isAdminScopes, type KeyRecord, type KeyStatus } from "./types.js";

function orNull(v: string | undefined): string | null {
  return v === undefined || v === "" ? null : v;
}

function msOrEmpty(iso: string | null): string {
  return iso === null ? "" : String(Date.parse(iso));
}

/** The hash fields of a new record (counters start at 0). */
export function recordToFields(r: KeyRecord): string[] {
  const cidrbits = r.cidrs.map((c) => cidrToBits(c) ?? "").filter((b) => b !== "");
  const fields: Record<string, string> = {
    id: r.id,
    keyHash: r.keyHash,
    hint: r.hint,
    owner: JSON.stringify(r.owner),
    scopes: JSON.stringify(r.scopes),
    scopeset: ` ${r.scopes.join(" ")} `,
    manages: JSON.stringify(r.manages),
    env: r.env,
    createdAt: r.createdAt,
    createdMs: msOrEmpty(r.createdAt),
    expiresAt: r.expiresAt ?? "",
    expiresMs: msOrEmpty(r.expiresAt),
    status: r.status,
    rotatedFrom: r.rotatedFrom ?? "",
    rotatedTo: r.rotatedTo ?? "",
    graceEndsAt: r.graceEndsAt ?? "",
    graceEndsMs: msOrEmpty(r.graceEndsAt),
    cidrs: JSON.stringify(r.cidrs),
    cidrbits: cidrbits.join(" "),
    rlLimit: r.rateLimit ? String(r.rateLimit.limit) : "",
    rlWindowMs: r.rateLimit ? String(Math.round(r.rateLimit.windowSeconds * 1000)) : "",
    metadata: JSON.stringify(r.metadata),
    revokedAt: r.revokedAt ?? "",
    revokeReason: r.revokeReason ?? "",
    revokedBy: r.revokedBy ?? "",
    usageCount: String(r.usageCount),
    deniedCount: "0",
    lastUsedMs: "",
  };
  return Object.entries(fields).flat();
}

/** What a key manages when nothing was said (and for records older than the field): admins all, else its owner. */
export function defaultManages(scopes: readonly string[], ownerId: string): string[] {
  return isAdminScopes(scopes) ? ["*"] : [ownerId];
}

/** The status a reader should see: an active key past its expiry or rotation overlap is expired. */
export function effectiveStatus(h: Record<string, string>, nowMs: number): KeyStatus {
  const stored = h.status as KeyStatus;
  if (stored !== "active") return stored;
  const ends = [h.expiresMs, h.graceEndsMs].filter((v): v is string => !!v).map(Number);
  return ends.some((end) => nowMs >= end) ? "expired" : "active";
}

/** A record from its hash (HGETALL); null when the hash is empty (no such key). */
export function fieldsToRecord(h: Record<string, string>, nowMs: number): KeyRecord | null {
  if (!h.id) return null;
  const rlLimit = orNull(h.rlLimit);
  const lastUsed = orNull(h.lastUsedMs);
  const owner: KeyRecord["owner"] = JSON.parse(h.owner ?? "{}");
  const scopes: string[] = JSON.parse(h.scopes ?? "[]");
  return {
    id: h.id,
    keyHash: h.keyHash ?? "",
    hint: h.hint ?? "",
    owner,
    scopes,
    manages: h.manages ? JSON.parse(h.manages) : defaultManages(scopes, owner.id),
    env: h.env === "test" ? "test" : "live",
    createdAt: h.createdAt ?? "",
    expiresAt: orNull(h.expiresAt),
    lastUsedAt: lastUsed === null ? null : new Date(Number(lastUsed)).toISOString(),
    status: effectiveStatus(h, nowMs),
    rotatedFrom: orNull(h.rotatedFrom),
    rotatedTo: orNull(h.rotatedTo),
    graceEndsAt: orNull(h.graceEndsAt),
    cidrs: JSON.parse(h.cidrs ?? "[]"),
    rateLimit: rlLimit === null ? null : { limit: Number(rlLimit), windowSeconds: Number(h.rlWindowMs) / 1000 },
    metadata: JSON.parse(h.metadata ?? "{}"),
    revokedAt: orNull(h.revokedAt),
    revokeReason: orNull(h.revokeReason),
    revokedBy: orNull(h.revokedBy),
    usageCount: Number(h.usageCount ?? 0),
  };
}
