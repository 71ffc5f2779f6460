/**
 * The key registry on Redis (SPEC §6): records indexed by the SHA-256 of the
 * key, every state change one Lua script that also appends its audit entry.
 * The plaintext key is returned by create/rotate and never stored.
 *
 * This class is the public face; behind it: registry-settings.ts (what it is configured
 * with), key-reader.ts (reads), key-issue.ts and key-revoke.ts (lifecycle writes, with
 * lifecycle-change.ts running them idempotently), key-verify.ts and expiry.ts.
 */

import { ChainTip } from "../audit/chain-tip.js";
import { type AuditEvent, auditPayload, GENESIS_HASH } from "../audit/entry.js";
import type { RedisClient } from "../redis/cluster.js";
import { expireDueKeys } from "./expiry.js";
import { createKey, rotateKey } from "./key-issue.js";
import { type FoundKey, KeyReader } from "./key-reader.js";
import { type RevocableKey, type RevokeFoundResult, revokeFoundKey, revokeKey, revokeKeyByHash } from "./key-revoke.js";
import {
  type CallerVerifyResult,
  type VerifyContext,
  type VerifyRequest,
  verifyForCaller,
  verifyKey,
} from "./key-verify.js";
import type { LifecycleContext } from "./lifecycle-change.js";
import { registryScripts } from "./lua-script.js";
import { resolveRegistrySettings } from "./registry-settings.js";
import type { CreateKeyInput, KeyRecord, ListFilter, RegistryOptions, VerifyResult } from "./types.js";
import { UsageBatch } from "./usage-batch.js";

export { type FoundKey, keyNotFoundMessage } from "./key-reader.js";
export type { RevokeFoundResult } from "./key-revoke.js";
export type { CallerVerifyResult } from "./key-verify.js";
export { resolveIssuer } from "./registry-settings.js";

/** Create, list, show, rotate, revoke, expire and verify issued keys. */
export class Registry {
  /** The issuer prefix keys are issued with (LEAKSTOP_ISSUER, default "lsk"). */
  readonly issuer: string;
  /** Verify's usage counters, written in batches at least every second. */
  private readonly usage: UsageBatch;
  private readonly verifyContext: VerifyContext;
  private readonly reader: KeyReader;
  private readonly ctx: LifecycleContext;

  constructor(
    private readonly redis: RedisClient,
    opts: RegistryOptions = {},
  ) {
    const settings = resolveRegistrySettings(redis, opts);
    const scripts = registryScripts();
    this.issuer = settings.issuer;
    this.reader = new KeyReader(redis, settings.keys, settings.now, scripts.lookupMany);
    this.usage = new UsageBatch(redis, settings.keys, scripts.usage, opts.usageFlushMs);
    this.verifyContext = {
      redis,
      keys: settings.keys,
      script: scripts.verify,
      pairScript: scripts.verifyPair,
      issuer: settings.issuer,
      now: settings.now,
      usage: this.usage,
    };
    const signer = settings.signer;
    const head = settings.keys.auditHead;
    this.ctx = {
      ...settings,
      redis,
      scripts,
      reader: this.reader,
      auditEntry: (event: AuditEvent) => auditPayload(event, signer),
      chain: new ChainTip(async () => {
        const [seq, hash] = await redis.hmget(head, "seq", "hash");
        return seq && hash ? { seq: Number(seq), hash } : { seq: 0, hash: GENESIS_HASH };
      }),
    };
  }

  /** Writes the usage counts verify gathered so far (they are flushed at least every second anyway). */
  async flushUsage(): Promise<void> {
    await this.usage.flush();
  }

  /** Flushes the usage counts and stops the flush timer: call before closing the Redis connection. */
  async close(): Promise<void> {
    await this.usage.close();
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
    return createKey(this.ctx, input, actor, opts);
  }

  /**
   * What the revocation pipeline needs of many keys' records (owner, id, hint, state), by their
   * SHA-256, in order (null: no such key), in one Redis call: a findings batch reads all its keys at once.
   */
  async getManyByHash(keyHashes: string[]): Promise<(FoundKey | null)[]> {
    return this.reader.getManyByHash(keyHashes);
  }

  /** The record with this id, or null. */
  async get(id: string): Promise<KeyRecord | null> {
    return this.reader.get(id);
  }

  /** The record of the key whose SHA-256 is `keyHash`, or null (for the revocation pipeline). */
  async getByHash(keyHash: string): Promise<KeyRecord | null> {
    return this.reader.getByHash(keyHash);
  }

  /** A page of records, oldest first; pass `nextCursor` back as `cursor` for the next page. */
  async list(filter: ListFilter): Promise<{ items: KeyRecord[]; nextCursor: string | null }> {
    return this.reader.list(filter);
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
    return rotateKey(this.ctx, id, opts, actor);
  }

  /**
   * Revokes a key now. Revoking a revoked key changes nothing and returns it as it is. With
   * `idempotencyKey`, the key may not be reused for another key id or reason.
   */
  async revoke(id: string, reason: string, actor: string, opts: { idempotencyKey?: string } = {}): Promise<KeyRecord> {
    return revokeKey(this.ctx, id, reason, actor, opts);
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
    return revokeKeyByHash(this.ctx, keyHash, reason, actor, opts);
  }

  /**
   * Revokes a key found leaked (record as read by {@link getByHash}), with its audit entry, in
   * one script. A key already revoked changes nothing; the repeat is recorded (key.revoke_repeat)
   * once per `findingId`, and not at all for a redelivery of the finding that revoked it. The
   * result names the revocation's audit entry id (`eventId`) whoever revoked it, so a retry
   * after a crash finds the same one.
   */
  async revokeFound(
    record: RevocableKey,
    reason: string,
    actor: string,
    findingId: string,
  ): Promise<RevokeFoundResult> {
    return revokeFoundKey(this.ctx, record, reason, actor, findingId);
  }

  /** Marks keys whose expiry or rotation overlap has passed as expired (with audit entries). Returns how many. */
  async expireDue(max = 1000): Promise<number> {
    const ctx = {
      redis: this.redis,
      keys: this.ctx.keys,
      script: this.ctx.scripts.expire,
      nowMs: this.ctx.now(),
      getByHash: (hash: string) => this.reader.getByHash(hash),
      auditEntry: this.ctx.auditEntry,
      chain: this.ctx.chain,
    };
    return expireDueKeys(ctx, max);
  }

  /** True when an active key holding every admin scope exists (for `keys create --bootstrap-admin`). */
  async hasActiveAdmin(): Promise<boolean> {
    return this.reader.hasActiveAdmin();
  }

  /** The hot path: is this key valid for this scope from this address? Never throws for a bad key. */
  async verify(key: string, req: VerifyRequest = {}): Promise<VerifyResult> {
    return verifyKey(this.verifyContext, key, req);
  }

  /**
   * POST /v1/keys/verify with caller authentication in one Redis round trip: the caller's own
   * key (from `caller.ip`) is verified first, exactly as {@link verify} would; only when it is
   * valid is `key` verified too. `result` is null when the caller's key is not valid.
   */
  async verifyForCaller(
    caller: { key: string; ip?: string },
    key: string,
    req: VerifyRequest = {},
  ): Promise<CallerVerifyResult> {
    return verifyForCaller(this.verifyContext, caller, key, req);
  }
}
