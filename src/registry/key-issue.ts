/**
 * The writes that issue a key: create (optionally only while no admin key exists) and rotate
 * (a successor, the old key verifying for an overlap). Each is one Lua script with its audit
 * entry; the plaintext key is returned and never stored (sealed only, for idempotent replays).
 */
import { LeakstopError } from "../lib/errors.js";
import type { RedisScript } from "../redis/script.js";
import { indexMember } from "./key-list.js";
import { keyNotFoundMessage } from "./key-reader.js";
import {
  type AuditedChange,
  idempotentRequest,
  iso,
  type LifecycleContext,
  runChange,
  type ScriptOutcome,
} from "./lifecycle-change.js";
import { buildNewKey } from "./new-record.js";
import { recordToFields } from "./record-codec.js";
import { type CreateKeyInput, isAdminScopes, type KeyRecord } from "./types.js";

/** ARGV both create.lua and rotate.lua read for the new key: id, hash, index member, end, admin flag. */
function newKeyArgs(record: KeyRecord, nowMs: number): (string | number)[] {
  return [
    record.id,
    record.keyHash,
    indexMember(nowMs, record.id, record.keyHash),
    record.expiresAt ? Date.parse(record.expiresAt) : "",
    isAdminScopes(record.scopes) ? "1" : "0",
  ];
}

/** KEYS a new key's script writes: its record, id → hash, the indexes and the audit trail. */
function newKeyKeys(ctx: LifecycleContext, record: KeyRecord): string[] {
  const k = ctx.keys;
  return [
    k.record(record.keyHash),
    k.idToHash(record.id),
    k.createdIndex,
    k.ownerIndex(record.owner.id),
    k.endIndex,
    k.adminIndex,
    k.auditLog,
    k.auditHead,
  ];
}

/** create.lua and rotate.lua append their one entry when they answer {1, seq}. */
function createdAudit(payload: string): AuditedChange {
  return { payloads: [payload], expected: 0, appended: (reply) => (reply[0] === 1 ? 0 : -1) };
}

/** Registry.create: issues a key (see there). */
export async function createKey(
  ctx: LifecycleContext,
  input: CreateKeyInput,
  actor: string,
  opts: { onlyIfNoAdmin?: boolean; idempotencyKey?: string },
): Promise<{ key: string; record: KeyRecord }> {
  const nowMs = ctx.now();
  const { key, record } = buildNewKey(input, {
    issuer: ctx.issuer,
    nowMs,
    webhookAllow: ctx.webhookAllow,
    screen: ctx.screen,
  });
  const payload = ctx.auditEntry({
    ts: record.createdAt,
    action: "key.create",
    actor,
    keyId: record.id,
    hint: record.hint,
    details: {
      owner: record.owner.id,
      env: record.env,
      scopes: record.scopes.join(" "),
      expiresAt: record.expiresAt,
    },
  });
  const args = (entry: string) => [...newKeyArgs(record, nowMs), entry, ...recordToFields(record)];
  const idem = idempotentRequest(opts.idempotencyKey, actor, "create", {
    request: { input, onlyIfNoAdmin: opts.onlyIfNoAdmin === true },
    fresh: { id: record.id, key },
  });
  const s = ctx.scripts;
  const scripts: [RedisScript, RedisScript] = opts.onlyIfNoAdmin
    ? [s.bootstrapAdmin, s.idempotent.bootstrapAdmin]
    : [s.create, s.idempotent.create];
  const out = await runChange(
    ctx,
    scripts,
    newKeyKeys(ctx, record),
    ([entry = ""]) => (opts.onlyIfNoAdmin ? [nowMs, ...args(entry)] : args(entry)),
    idem,
    { id: record.id, key },
    createdAudit(payload),
  );
  const [ok, why] = out.reply as ScriptOutcome;
  if (ok !== 1 && why === "admin_exists") {
    throw new LeakstopError("LS_KEY_STATE", "an active admin key already exists");
  }
  // "exists" with our own hash means a resent command (reply lost in a reconnect) already did the work.
  if (ok !== 1) {
    if ((await ctx.redis.get(ctx.keys.idToHash(record.id))) !== record.keyHash) {
      throw new LeakstopError("LS_INTERNAL", `key id ${record.id} collided; retry`);
    }
    return { key, record: (await ctx.reader.get(record.id)) ?? record };
  }
  // A replay shows the first attempt's key and its record as it is now.
  if (out.replay) return { key: out.plan.key, record: await ctx.reader.require(out.plan.id) };
  return { key, record };
}

/** Registry.rotate: issues the successor of an active key (see there). */
export async function rotateKey(
  ctx: LifecycleContext,
  id: string,
  opts: { overlapSeconds: number; idempotencyKey?: string },
  actor: string,
): Promise<{ key: string; record: KeyRecord; previous: KeyRecord }> {
  const overlap = opts.overlapSeconds;
  if (!(Number.isFinite(overlap) && overlap >= 0)) throw new LeakstopError("LS_USAGE", "overlap must be >= 0");
  const old = await ctx.reader.require(id);
  const nowMs = ctx.now();
  const lifetime = old.expiresAt ? Date.parse(old.expiresAt) - Date.parse(old.createdAt) : undefined;
  const input: CreateKeyInput = {
    owner: old.owner,
    scopes: old.scopes,
    manages: old.manages,
    env: old.env,
    cidrs: old.cidrs,
    metadata: old.metadata,
    ...(lifetime !== undefined ? { expiresInSeconds: lifetime / 1000 } : {}),
    ...(old.rateLimit ? { rateLimit: old.rateLimit } : {}),
  };
  const { key, record } = buildNewKey(input, { issuer: ctx.issuer, nowMs, rotatedFrom: old.id });
  const graceEndsMs = nowMs + overlap * 1000;
  const oldEnd = old.expiresAt ? Math.min(Date.parse(old.expiresAt), graceEndsMs) : graceEndsMs;
  const payload = ctx.auditEntry({
    ts: iso(nowMs),
    action: "key.rotate",
    actor,
    keyId: old.id,
    hint: old.hint,
    details: { newKeyId: record.id, newHint: record.hint, graceEndsAt: iso(graceEndsMs) },
  });
  const idem = idempotentRequest(opts.idempotencyKey, actor, "rotate", {
    request: { id: old.id, overlapSeconds: overlap },
    fresh: { id: record.id, key },
  });
  const out = await runChange(
    ctx,
    [ctx.scripts.rotate, ctx.scripts.idempotent.rotate],
    [ctx.keys.record(old.keyHash), ...newKeyKeys(ctx, record)],
    ([entry = ""]) => [
      nowMs,
      old.id,
      ...newKeyArgs(record, nowMs),
      graceEndsMs,
      iso(graceEndsMs),
      oldEnd,
      entry,
      ...recordToFields(record),
    ],
    idem,
    { id: record.id, key },
    createdAudit(payload),
  );
  const [ok, why] = out.reply as ScriptOutcome;
  const resent = ok !== 1 && why === "rotated" && (await ctx.reader.get(old.id))?.rotatedTo === record.id;
  if (ok !== 1 && !resent) {
    if (why === "unknown") throw new LeakstopError("LS_KEY_NOT_FOUND", keyNotFoundMessage(id));
    throw new LeakstopError(
      "LS_KEY_STATE",
      `cannot rotate ${id}: it is ${why === "rotated" ? "already rotated" : why}`,
    );
  }
  const previous = await ctx.reader.require(old.id);
  // A replay shows the first attempt's successor (its key, its record as it is now).
  if (out.replay) return { key: out.plan.key, record: await ctx.reader.require(out.plan.id), previous };
  return { key, record: (await ctx.reader.get(record.id)) ?? record, previous };
}
