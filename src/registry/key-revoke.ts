/**
 * The writes that revoke a key: by an operator (by id, optionally idempotent) and by the
 * revocation pipeline (by hash or found record, exactly-once effect, repeats recorded once per
 * finding). Each is one Lua script (lua/revoke.lua) with its audit entry.
 */
import { randomUUID } from "node:crypto";
import { LeakstopError } from "../lib/errors.js";
import { checkFreeText } from "./free-text.js";
import type { IdempotentRequest } from "./idempotency.js";
import { isKeyHash } from "./key-reader.js";
import { idempotentRequest, iso, type LifecycleContext, runChange } from "./lifecycle-change.js";
import type { KeyRecord } from "./types.js";

const MAX_REASON = 500;

/** What a revocation needs of a key's record: its id, hint and hash, and its state as last read. */
export type RevocableKey = Pick<KeyRecord, "id" | "hint" | "keyHash" | "status">;

/** What {@link Registry.revokeFound} did. */
export interface RevokeFoundResult {
  /** True only for the call that revoked the key. */
  revoked: boolean;
  /** Audit entry id of the key's revocation (now or earlier); absent for an unknown key. */
  eventId?: string;
  /** ISO-8601 time of the revocation. */
  revokedAt?: string;
  /** The findingId whose report revoked it, when a finding did. */
  revokedByFinding?: string;
  /** True when this call appended a key.revoke_repeat entry. */
  repeatRecorded?: boolean;
}

/** Registry.revoke: revokes a key by id now (see there). */
export async function revokeKey(
  ctx: LifecycleContext,
  id: string,
  reason: string,
  actor: string,
  opts: { idempotencyKey?: string },
): Promise<KeyRecord> {
  const record = await ctx.reader.require(id);
  const idem = idempotentRequest(opts.idempotencyKey, actor, "revoke", {
    request: { id: record.id, reason: reason.trim() },
    fresh: { id: record.id, key: "" },
  });
  await runRevoke(ctx, record, reason, actor, false, "", idem);
  return ctx.reader.require(id);
}

/** Registry.revokeByHash: the pipeline's revocation of the key whose SHA-256 is `keyHash` (see there). */
export async function revokeKeyByHash(
  ctx: LifecycleContext,
  keyHash: string,
  reason: string,
  actor: string,
  opts: { findingId?: string },
): Promise<RevokeFoundResult & { record: KeyRecord | null }> {
  if (!isKeyHash(keyHash)) throw new LeakstopError("LS_USAGE", "keyHash must be 64 lowercase hex characters");
  const record = await ctx.reader.getByHash(keyHash);
  if (!record) return { revoked: false, record: null };
  const outcome = await revokeFoundKey(ctx, record, reason, actor, opts.findingId ?? "");
  return { ...outcome, record: await ctx.reader.getByHash(keyHash) };
}

/** Registry.revokeFound: revokes a key found leaked, exactly once (see there). */
export async function revokeFoundKey(
  ctx: LifecycleContext,
  record: RevocableKey,
  reason: string,
  actor: string,
  findingId: string,
): Promise<RevokeFoundResult> {
  const r = await runRevoke(ctx, record, reason, actor, true, findingId);
  if (r[0] === 1) return { revoked: true, eventId: String(r[2]), revokedAt: String(r[3]) };
  if (r[1] !== "revoked") return { revoked: false };
  return {
    revoked: false,
    ...(r[2] ? { eventId: String(r[2]) } : {}),
    ...(r[3] ? { revokedByFinding: String(r[3]) } : {}),
    repeatRecorded: r[4] === 1,
    ...(r[5] ? { revokedAt: String(r[5]) } : {}),
  };
}

async function runRevoke(
  ctx: LifecycleContext,
  record: RevocableKey,
  reason: string,
  actor: string,
  recordRepeat: boolean,
  findingId = "",
  idem: IdempotentRequest | null = null,
): Promise<(number | string)[]> {
  const text = reason.trim();
  if (text === "" || text.length > MAX_REASON || /[\r\n]/.test(text)) {
    throw new LeakstopError("LS_USAGE", `revoke reason must be one line of 1-${MAX_REASON} characters`);
  }
  checkFreeText("reason", text, MAX_REASON, ctx.screen);
  const ts = iso(ctx.now());
  const details: Record<string, string> = findingId ? { reason: text, findingId } : { reason: text };
  const eventId = randomUUID();
  const event = { ts, actor, keyId: record.id, hint: record.hint, details };
  const payload = ctx.auditEntry({ ...event, id: eventId, action: "key.revoke" });
  // The repeat entry (hashed, and signed with an audit key) is built only for a key last read as revoked.
  const withRepeat = recordRepeat && record.status === "revoked";
  const repeat = withRepeat ? ctx.auditEntry({ ...event, action: "key.revoke_repeat" }) : "";
  const k = ctx.keys;
  const out = await runChange(
    ctx,
    [ctx.scripts.revoke, ctx.scripts.idempotent.revoke],
    [k.record(record.keyHash), k.auditLog, k.auditHead, k.leakFindings(record.keyHash)],
    ([revoked = "", repeated = ""]) => [record.id, ts, text, actor, revoked, repeated, eventId, findingId],
    idem,
    { id: record.id, key: "" },
    {
      payloads: repeat ? [payload, repeat] : [payload],
      // As last read: an active key gets its revocation; a revoked one its repeat (when recorded at all).
      expected: record.status !== "revoked" ? 0 : repeat ? 1 : -1,
      // {1, ...}: revoked now; {0, "revoked", eventId, byFinding, 1, ...}: the repeat was recorded.
      appended: (r) => (r[0] === 1 ? 0 : r[1] === "revoked" && r[4] === 1 ? 1 : -1),
    },
  );
  const reply = out.reply as (number | string)[];
  // Revoked by someone else between our read and the script: run again, now with the repeat entry.
  const byOther = findingId === "" || reply[3] !== findingId;
  if (recordRepeat && !withRepeat && reply[0] === 0 && reply[1] === "revoked" && byOther) {
    return runRevoke(ctx, { ...record, status: "revoked" }, reason, actor, recordRepeat, findingId, idem);
  }
  return reply;
}
