/**
 * Usage accounting off the verify hot path: uses, denials and the last-use time
 * are counted in memory per key and added to Redis in one pipeline at least
 * every second (usage.lua), so a verify without a rate limit writes nothing. The
 * rate limit itself stays exact inside verify.lua. A failed flush keeps its
 * counts for the next one; close() flushes what is left (graceful shutdown).
 * A crash loses at most the last interval's counts.
 */
import type { RedisClient } from "../redis/cluster.js";
import type { RedisScript } from "../redis/script.js";
import type { RegistryKeys } from "./redis-keys.js";

interface Pending {
  uses: number;
  denied: number;
  /** Latest use in ms, 0 when none. */
  lastUsedMs: number;
}

/** ARGV of usage.lua. */
function usageArgs(p: Pending): string[] {
  return [String(p.uses), String(p.denied), p.lastUsedMs > 0 ? String(p.lastUsedMs) : ""];
}

/** Default of the flush interval. */
export const USAGE_FLUSH_MS = 1000;

/** Counts verify outcomes per key hash and writes them in batches. */
export class UsageBatch {
  private pending = new Map<string, Pending>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RegistryKeys,
    private readonly script: RedisScript,
    flushMs = USAGE_FLUSH_MS,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushMs);
    this.timer.unref();
  }

  /** One verify of a known key: a use (`ok`) or a denial. */
  record(keyHash: string, ok: boolean, nowMs: number): void {
    let p = this.pending.get(keyHash);
    if (!p) {
      p = { uses: 0, denied: 0, lastUsedMs: 0 };
      this.pending.set(keyHash, p);
    }
    if (ok) {
      p.uses++;
      if (nowMs > p.lastUsedMs) p.lastUsedMs = nowMs;
    } else p.denied++;
  }

  /** Writes every pending count now (one pipeline); counts that fail to land are kept for the next flush, and it rejects. */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Stops the timer and flushes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(batch: Map<string, Pending>): Promise<void> {
    const pipeline = this.redis.pipeline();
    const entries = [...batch];
    for (const [hash, p] of entries) {
      pipeline.evalsha(this.script.sha, 1, this.keys.record(hash), ...usageArgs(p));
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (err) {
      this.restore(entries);
      throw err;
    }
    const failed = entries.filter((_, i) => results?.[i]?.[0]);
    // Typically NOSCRIPT after a Redis restart: run() loads the script; what still fails waits for the next flush.
    let firstError: unknown = null;
    for (const [hash, p] of failed) {
      await this.script.run(this.redis, [this.keys.record(hash)], usageArgs(p)).catch((err: unknown) => {
        this.restore([[hash, p]]);
        firstError ??= err;
      });
    }
    if (firstError) throw firstError;
  }

  /** Puts counts that did not land back in the pending map (merged with any recorded since). */
  private restore(entries: [string, Pending][]): void {
    for (const [hash, p] of entries) {
      const cur = this.pending.get(hash);
      if (!cur) this.pending.set(hash, p);
      else {
        cur.uses += p.uses;
        cur.denied += p.denied;
        cur.lastUsedMs = Math.max(cur.lastUsedMs, p.lastUsedMs);
      }
    }
  }
}
