/**
 * The key registry on Redis (SPEC §6): records indexed by the SHA-256 of the
 * key, every state change one Lua script that also appends its audit entry.
 * The plaintext key is returned by create/rotate and never stored.
 */

import { type AuditEvent, auditPayload } from "../audit/entry.js";
import { type AuditSigner, signerFromEnv } from "../audit/signing.js";
import { serviceConfig } from "../config/service-config.js";
import { isValidIssuer, parseKey } from "../keyformat/key-format.js";
import { LeakstopError } from "../lib/errors.js";
import { configuredWebhookAllow, type WebhookAllow } from "../notify/webhook-url.js";
import { isClusterClient, keyPrefix, type RedisClient } from "../redis/cluster.js";
import type { RedisScript } from "../redis/script.js";
import { expireDueKeys } from "./expiry.js";
import { checkFreeText, type SecretScreen } from "./free-text.js";
import { IdempotencyStore, type IdempotentOutcome, type IdempotentRequest, type Planned } from "./idempotency.js";
import { indexMember, listKeys } from "./key-list.js";
import { type VerifyContext, type VerifyRequest, verifyKey } from "./key-verify.js";
import { type RegistryScripts, registryScripts } from "./lua-script.js";
import { buildNewKey } from "./new-record.js";
import { fieldsToRecord, recordToFields } from "./record-codec.js";
import { DEFAULT_NAMESPACE, type RegistryKeys, registryKeys } from "./redis-keys.js";
import { sealerFromEnv } from "./seal.js";
import {
  type CreateKeyInput,
  isAdminScopes,
  type KeyRecord,
  type ListFilter,
  type RegistryOptions,
  type VerifyResult,
} from "./types.js";
import { UsageBatch } from "./usage-batch.js";

type ScriptOutcome = [number, number | string];
const HASH_RE = /^[0-9a-f]{64}$/;
/** Record ids as newKeyId makes them. */
const KEY_ID_RE = /^key_[0-9a-f]{20}$/;
const MAX_REASON = 500;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

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

/**
 * "No such key id" as a message. A key pasted where its id belongs is not repeated back: the
 * message may be logged or shown, and a key must never be.
 */
export function keyNotFoundMessage(id: string): string {
  if (parseKey(id) !== null) {
    return "that is a key, not a key id (ids look like key_…; keys list shows them); the key is not repeated here";
  }
  // Anything not id-shaped is not repeated either: it may be another provider's credential.
  if (!KEY_ID_RE.test(id)) return "no such key id (ids look like key_ and 20 hex digits; keys list shows them)";
  return `no key ${id} in the registry`;
}

/** The issuer prefix: the option, else the service config's (LEAKSTOP_ISSUER, default "lsk"); LS_CONFIG_INVALID when malformed. */
export function resolveIssuer(issuer?: string): string {
  const chosen = issuer ?? serviceConfig().registry.issuer;
  if (!isValidIssuer(chosen)) {
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_ISSUER must be 2-10 lowercase letters or digits");
  }
  return chosen;
}

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

/** Create, list, show, rotate, revoke, expire and verify issued keys. */
export class Registry {
  /** The issuer prefix keys are issued with (LEAKSTOP_ISSUER, default "lsk"). */
  readonly issuer: string;
  private readonly keys: RegistryKeys;
  private readonly scripts: RegistryScripts;
  private readonly now: () => number;
  private readonly webhookAllow: WebhookAllow;
  /** Signs every audit entry this process appends; the private key stays here, never in Redis. */
  private readonly signer: AuditSigner | null;
  /** Verify's usage counters, written in batches at least every second. */
  private readonly usage: UsageBatch;
  private readonly verifyContext: VerifyContext;
  private readonly screen: SecretScreen | null;
  private readonly idempotency: IdempotencyStore;

  constructor(
    private readonly redis: RedisClient,
    opts: RegistryOptions = {},
  ) {
    this.issuer = resolveIssuer(opts.issuer);
    this.keys = registryKeys(opts.namespace ?? DEFAULT_NAMESPACE, isClusterClient(redis));
    this.scripts = registryScripts();
    this.now = opts.now ?? Date.now;
    this.webhookAllow = opts.webhookAllow ?? configuredWebhookAllow();
    this.signer = opts.auditSigner === undefined ? signerFromEnv() : opts.auditSigner;
    this.usage = new UsageBatch(redis, this.keys, this.scripts.usage, opts.usageFlushMs);
    this.verifyContext = {
      redis,
      keys: this.keys,
      script: this.scripts.verify,
      issuer: this.issuer,
      now: this.now,
      usage: this.usage,
    };
    this.screen = opts.screen ?? null;
    const ns = keyPrefix(opts.namespace ?? DEFAULT_NAMESPACE, isClusterClient(redis));
    this.idempotency = new IdempotencyStore(redis, ns, opts.sealer ?? sealerFromEnv(process.env, this.signer));
  }

  /** Writes the usage counts verify gathered so far (they are flushed at least every second anyway). */
  async flushUsage(): Promise<void> {
    await this.usage.flush();
  }

  /** Flushes the usage counts and stops the flush timer: call before closing the Redis connection. */
  async close(): Promise<void> {
    await this.usage.close();
  }

  /** The payload of an audit entry, signed when an audit key is configured. */
  private auditEntry(event: AuditEvent): string {
    return auditPayload(event, this.signer);
  }

  /**
   * Issues a key. The returned `key` is the only copy: show it once. With `onlyIfNoAdmin` the
   * check that no active admin key exists and the creation are one script (`keys create
   * --bootstrap-admin`): of concurrent bootstraps exactly one succeeds, the others get LS_KEY_STATE.
   * With `idempotencyKey` a retry of the same request by the same actor returns the same key.
   */
  async create(
    input: CreateKeyInput,
    actor: string,
    opts: { onlyIfNoAdmin?: boolean; idempotencyKey?: string } = {},
  ): Promise<{ key: string; record: KeyRecord }> {
    const nowMs = this.now();
    const ctx = { issuer: this.issuer, nowMs, webhookAllow: this.webhookAllow, screen: this.screen };
    const { key, record } = buildNewKey(input, ctx);
    const payload = this.auditEntry({
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
    const k = this.keys;
    const args = [...newKeyArgs(record, nowMs), payload, ...recordToFields(record)];
    const idem = this.idempotentRequest(opts.idempotencyKey, actor, "create", {
      request: { input, onlyIfNoAdmin: opts.onlyIfNoAdmin === true },
      fresh: { id: record.id, key },
    });
    const [script, idemScript] = opts.onlyIfNoAdmin
      ? [this.scripts.bootstrapAdmin, this.scripts.idempotent.bootstrapAdmin]
      : [this.scripts.create, this.scripts.idempotent.create];
    const out = await this.change(
      [script, idemScript],
      this.newKeyKeys(record),
      opts.onlyIfNoAdmin ? [nowMs, ...args] : args,
      idem,
      {
        id: record.id,
        key,
      },
    );
    const [ok, why] = out.reply as ScriptOutcome;
    if (ok !== 1 && why === "admin_exists") {
      throw new LeakstopError("LS_KEY_STATE", "an active admin key already exists");
    }
    // "exists" with our own hash means a resent command (reply lost in a reconnect) already did the work.
    if (ok !== 1) {
      if ((await this.redis.get(k.idToHash(record.id))) !== record.keyHash) {
        throw new LeakstopError("LS_INTERNAL", `key id ${record.id} collided; retry`);
      }
      return { key, record: (await this.get(record.id)) ?? record };
    }
    // A replay shows the first attempt's key and its record as it is now.
    if (out.replay) return { key: out.plan.key, record: await this.requireRecord(out.plan.id) };
    return { key, record };
  }

  /** The record with this id, or null. */
  async get(id: string): Promise<KeyRecord | null> {
    // Only id-shaped text is looked up: a key (ours or anyone's) given as an id never reaches Redis.
    if (!KEY_ID_RE.test(id)) return null;
    const hash = await this.redis.get(this.keys.idToHash(id));
    return hash ? this.getByHash(hash) : null;
  }

  /** The record of the key whose SHA-256 is `keyHash`, or null (for the revocation pipeline). */
  async getByHash(keyHash: string): Promise<KeyRecord | null> {
    if (!HASH_RE.test(keyHash)) return null;
    return fieldsToRecord(await this.redis.hgetall(this.keys.record(keyHash)), this.now());
  }

  /** A page of records, oldest first; pass `nextCursor` back as `cursor` for the next page. */
  async list(filter: ListFilter): Promise<{ items: KeyRecord[]; nextCursor: string | null }> {
    return listKeys(this.redis, this.keys, filter, this.now());
  }

  /**
   * Issues the successor of an active key (same owner, scopes, env, CIDRs, rate
   * limit, metadata and expiry duration). The old key keeps verifying for
   * `overlapSeconds`, then fails with reason "rotated".
   */
  async rotate(
    id: string,
    opts: { overlapSeconds: number; idempotencyKey?: string },
    actor: string,
  ): Promise<{ key: string; record: KeyRecord; previous: KeyRecord }> {
    const overlap = opts.overlapSeconds;
    if (!(Number.isFinite(overlap) && overlap >= 0)) throw new LeakstopError("LS_USAGE", "overlap must be >= 0");
    const old = await this.requireRecord(id);
    const nowMs = this.now();
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
    const { key, record } = buildNewKey(input, { issuer: this.issuer, nowMs, rotatedFrom: old.id });
    const graceEndsMs = nowMs + overlap * 1000;
    const oldEnd = old.expiresAt ? Math.min(Date.parse(old.expiresAt), graceEndsMs) : graceEndsMs;
    const payload = this.auditEntry({
      ts: iso(nowMs),
      action: "key.rotate",
      actor,
      keyId: old.id,
      hint: old.hint,
      details: { newKeyId: record.id, newHint: record.hint, graceEndsAt: iso(graceEndsMs) },
    });
    const k = this.keys;
    const idem = this.idempotentRequest(opts.idempotencyKey, actor, "rotate", {
      request: { id: old.id, overlapSeconds: overlap },
      fresh: { id: record.id, key },
    });
    const out = await this.change(
      [this.scripts.rotate, this.scripts.idempotent.rotate],
      [k.record(old.keyHash), ...this.newKeyKeys(record)],
      [
        nowMs,
        old.id,
        ...newKeyArgs(record, nowMs),
        graceEndsMs,
        iso(graceEndsMs),
        oldEnd,
        payload,
        ...recordToFields(record),
      ],
      idem,
      { id: record.id, key },
    );
    const [ok, why] = out.reply as ScriptOutcome;
    const resent = ok !== 1 && why === "rotated" && (await this.get(old.id))?.rotatedTo === record.id;
    if (ok !== 1 && !resent) {
      if (why === "unknown") throw new LeakstopError("LS_KEY_NOT_FOUND", keyNotFoundMessage(id));
      throw new LeakstopError(
        "LS_KEY_STATE",
        `cannot rotate ${id}: it is ${why === "rotated" ? "already rotated" : why}`,
      );
    }
    const previous = await this.requireRecord(old.id);
    // A replay shows the first attempt's successor (its key, its record as it is now).
    if (out.replay) return { key: out.plan.key, record: await this.requireRecord(out.plan.id), previous };
    return { key, record: (await this.get(record.id)) ?? record, previous };
  }

  /**
   * Revokes a key now. Revoking a revoked key changes nothing and returns it as it is. With
   * `idempotencyKey`, the key may not be reused for another key id or reason.
   */
  async revoke(id: string, reason: string, actor: string, opts: { idempotencyKey?: string } = {}): Promise<KeyRecord> {
    const record = await this.requireRecord(id);
    const idem = this.idempotentRequest(opts.idempotencyKey, actor, "revoke", {
      request: { id: record.id, reason: reason.trim() },
      fresh: { id: record.id, key: "" },
    });
    await this.runRevoke(record, reason, actor, false, "", idem);
    return this.requireRecord(id);
  }

  /**
   * For the revocation pipeline: revokes the key whose SHA-256 is `keyHash`.
   * Exactly-once effect: `revoked` is true only for the call that revoked it; a
   * repeat is recorded in the audit trail (action key.revoke_repeat) and changes nothing.
   * With `findingId` a repeat is recorded once per finding (see {@link revokeFound}).
   */
  async revokeByHash(
    keyHash: string,
    reason: string,
    actor: string,
    opts: { findingId?: string } = {},
  ): Promise<RevokeFoundResult & { record: KeyRecord | null }> {
    if (!HASH_RE.test(keyHash)) throw new LeakstopError("LS_USAGE", "keyHash must be 64 lowercase hex characters");
    const record = await this.getByHash(keyHash);
    if (!record) return { revoked: false, record: null };
    const outcome = await this.revokeFound(record, reason, actor, opts.findingId ?? "");
    return { ...outcome, record: await this.getByHash(keyHash) };
  }

  /**
   * Revokes a key found leaked (record as read by {@link getByHash}), with its audit entry, in
   * one script. A key already revoked changes nothing; the repeat is recorded (key.revoke_repeat)
   * once per `findingId`, and not at all for a redelivery of the finding that revoked it. The
   * result names the revocation's audit entry id (`eventId`) whoever revoked it, so a retry
   * after a crash finds the same one.
   */
  async revokeFound(record: KeyRecord, reason: string, actor: string, findingId: string): Promise<RevokeFoundResult> {
    const r = await this.runRevoke(record, reason, actor, true, findingId);
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

  private async runRevoke(
    record: KeyRecord,
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
    checkFreeText("reason", text, MAX_REASON, this.screen);
    const ts = iso(this.now());
    const details: Record<string, string> = findingId ? { reason: text, findingId } : { reason: text };
    const event = { ts, actor, keyId: record.id, hint: record.hint, details };
    const payload = this.auditEntry({ ...event, action: "key.revoke" });
    const eventId = (JSON.parse(payload) as { id: string }).id;
    const repeat = recordRepeat ? this.auditEntry({ ...event, action: "key.revoke_repeat" }) : "";
    const k = this.keys;
    const out = await this.change(
      [this.scripts.revoke, this.scripts.idempotent.revoke],
      [k.record(record.keyHash), k.auditLog, k.auditHead, k.leakFindings(record.keyHash)],
      [record.id, ts, text, actor, payload, repeat, eventId, findingId],
      idem,
      { id: record.id, key: "" },
    );
    return out.reply as (number | string)[];
  }

  /** The idempotent request of a change, or null without an idempotency key. */
  private idempotentRequest(
    idemKey: string | undefined,
    actor: string,
    op: string,
    what: Pick<IdempotentRequest, "request" | "fresh">,
  ): IdempotentRequest | null {
    return idemKey === undefined ? null : { actor, idemKey, op, ...what };
  }

  /**
   * Runs a change script; with an idempotent request, its idempotent variant, which stores the
   * outcome with the change in one script (or gives back the first attempt's stored outcome).
   */
  private async change(
    [script, idemScript]: [RedisScript, RedisScript],
    keys: string[],
    args: (string | number)[],
    idem: IdempotentRequest | null,
    fresh: Planned,
  ): Promise<IdempotentOutcome> {
    if (idem) return this.idempotency.run(idemScript, keys, args, idem);
    return { reply: (await script.run(this.redis, keys, args)) as unknown[], plan: fresh, replay: false };
  }

  /** Marks keys whose expiry or rotation overlap has passed as expired (with audit entries). Returns how many. */
  async expireDue(max = 1000): Promise<number> {
    const ctx = {
      redis: this.redis,
      keys: this.keys,
      script: this.scripts.expire,
      nowMs: this.now(),
      getByHash: (hash: string) => this.getByHash(hash),
      auditEntry: (event: AuditEvent) => this.auditEntry(event),
    };
    return expireDueKeys(ctx, max);
  }

  /** True when an active key holding every admin scope exists (for `keys create --bootstrap-admin`). */
  async hasActiveAdmin(): Promise<boolean> {
    for (const id of await this.redis.smembers(this.keys.adminIndex)) {
      if ((await this.get(id))?.status === "active") return true;
    }
    return false;
  }

  /** The hot path: is this key valid for this scope from this address? Never throws for a bad key. */
  async verify(key: string, req: VerifyRequest = {}): Promise<VerifyResult> {
    return verifyKey(this.verifyContext, key, req);
  }

  /** KEYS a new key's script writes: its record, id → hash, the indexes and the audit trail. */
  private newKeyKeys(record: KeyRecord): string[] {
    const k = this.keys;
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

  private async requireRecord(id: string): Promise<KeyRecord> {
    const record = await this.get(id);
    if (!record) throw new LeakstopError("LS_KEY_NOT_FOUND", keyNotFoundMessage(id));
    return record;
  }
}
