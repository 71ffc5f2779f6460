/**
 * Automatic expiry: keys whose expiry time or rotation overlap has passed are
 * marked "expired", each with its audit entry (src/registry/lua/expire.lua).
 * Verify already refuses such keys on its own; this makes the stored status
 * and the audit trail say so too.
 */

import { type ChainTip, movedTip } from "../audit/chain-tip.js";
import type { AuditEvent } from "../audit/entry.js";
import type { RedisClient } from "../redis/cluster.js";
import type { RedisScript } from "../redis/script.js";
import type { RegistryKeys } from "./redis-keys.js";
import type { KeyRecord } from "./types.js";

/** What the sweep needs from the registry. */
export interface ExpiryContext {
  redis: RedisClient;
  keys: RegistryKeys;
  script: RedisScript;
  nowMs: number;
  getByHash(keyHash: string): Promise<KeyRecord | null>;
  /** Builds (and signs, with an audit key) an entry's payload. */
  auditEntry(event: AuditEvent): string;
  /** The audit chain's tip, which the entry is chained onto. */
  chain: ChainTip;
}

/** Expires up to `max` due keys; returns how many it expired. */
export async function expireDueKeys(ctx: ExpiryContext, max: number): Promise<number> {
  const { redis, keys, nowMs } = ctx;
  const ids = await redis.zrangebyscore(keys.endIndex, "-inf", nowMs, "LIMIT", 0, max);
  let expired = 0;
  for (const id of ids) {
    const hash = (await redis.get(keys.idToHash(id))) ?? "0".repeat(64);
    const record = await ctx.getByHash(hash);
    const payload = ctx.auditEntry({
      ts: new Date(nowMs).toISOString(),
      action: "key.expire",
      actor: "system:expiry",
      keyId: id,
      hint: record?.hint ?? null,
      details: { reason: record?.rotatedTo ? "rotation overlap ended" : "expired" },
    });
    const done = await ctx.chain.run({
      payloads: [payload],
      expected: 0,
      send: ([entry = ""]) =>
        ctx.script.run(redis, [keys.record(hash), keys.endIndex, keys.auditLog, keys.auditHead], [nowMs, id, entry]),
      read: (reply) => {
        const moved = movedTip(reply);
        return moved ? { moved } : { appended: reply === 1 ? 0 : -1 };
      },
    });
    if (done === 1) expired++;
  }
  return expired;
}

/**
 * Runs `expireDue` every `intervalMs` (default 60 s) until stopped; runs never
 * overlap and the timer does not keep the process alive. Errors (Redis away)
 * go to `onError` and the next tick tries again.
 */
export function startExpirySweep(
  registry: { expireDue(): Promise<number> },
  opts: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    registry
      .expireDue()
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs ?? 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
