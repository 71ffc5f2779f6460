/**
 * The hash-chained audit trail (SPEC §7), read side. Entries are appended only
 * inside the registry's Lua scripts, in the same atomic step as the change they
 * record (src/audit/lua/append.lua); this class verifies and exports them.
 */

import { LeakstopError } from "../lib/errors.js";
import { isClusterClient, type RedisClient } from "../redis/cluster.js";
import { checkAnchorFiles, compareWithAnchors } from "./anchor-check.js";
import { auditKeys } from "./audit-keys.js";
import { ChainWalker } from "./chain.js";
import type { LoadedCheckpoint } from "./checkpoint.js";
import { parseStoredEntry } from "./entry.js";
import type { AuditVerifier } from "./signing.js";
import type { AuditEntry, AuditVerifyResult } from "./types.js";

/** What {@link AuditLog.verify} checks beyond the hash chain. */
export interface AuditVerifyOptions {
  /** The audit public key: every entry must carry its signature (or lie under a signed anchor). */
  verifier?: AuditVerifier | null;
  /** Checkpoints kept outside Redis: the chain must still contain each anchored head. */
  anchors?: LoadedCheckpoint[];
}

const PAGE = 1000;

/** Reads, verifies and exports the audit chain of one namespace (default "leakstop"). */
export class AuditLog {
  private readonly keys;
  /** The Redis namespace of this chain (checkpoints name it). */
  readonly namespace: string;

  constructor(
    private readonly redis: RedisClient,
    opts: { namespace?: string } = {},
  ) {
    this.namespace = opts.namespace ?? "leakstop";
    this.keys = auditKeys(this.namespace, isClusterClient(redis));
  }

  /** The chain's tip, or null when nothing was ever recorded. */
  async head(): Promise<{ seq: number; hash: string } | null> {
    const [seq, hash] = await this.redis.hmget(this.keys.head, "seq", "hash");
    if (!seq || !hash) return null;
    return { seq: Number(seq), hash };
  }

  /** The raw stored entries from list index `start` to `stop` (inclusive). */
  async range(start: number, stop: number): Promise<string[]> {
    return this.redis.lrange(this.keys.log, start, stop);
  }

  /** Number of stored entries. */
  async length(): Promise<number> {
    return this.redis.llen(this.keys.log);
  }

  /**
   * Walks the whole chain; names the first entry (0-based list index and id) that was edited,
   * dropped, reordered or inserted, or (with the public key) unsigned or forged; then checks the
   * chain still holds every anchored head. Anchors of another namespace, or whose signature does
   * not verify, are refused with LS_AUDIT_ANCHOR_INVALID before the walk.
   */
  async verify(opts: AuditVerifyOptions = {}): Promise<AuditVerifyResult> {
    const anchors = opts.anchors ?? [];
    const verifier = opts.verifier ?? null;
    const coveredSeq = checkAnchorFiles(anchors, this.namespace, verifier);
    const signatures = verifier ? { verifier, coveredSeq } : null;
    const walker = new ChainWalker(
      await this.head(),
      signatures,
      anchors.map((a) => a.checkpoint.seq),
    );
    for await (const raw of this.rawEntries()) {
      walker.push(raw);
      if (walker.finished) break;
    }
    const result = walker.result(await this.head());
    if (!result.ok) return result;
    return compareWithAnchors(result.count, walker.hashes, anchors) ?? result;
  }

  /** Every entry in chain order, optionally only those at or after `since` (ISO-8601). */
  async *export(opts: { since?: string } = {}): AsyncIterable<AuditEntry> {
    let since: string | null = null;
    if (opts.since !== undefined) {
      const ms = Date.parse(opts.since);
      if (Number.isNaN(ms)) throw new LeakstopError("LS_USAGE", `--since: "${opts.since}" is not an ISO-8601 date`);
      since = new Date(ms).toISOString();
    }
    let index = 0;
    for await (const raw of this.rawEntries()) {
      const parsed = parseStoredEntry(raw);
      if (!parsed)
        throw new LeakstopError(
          "LS_AUDIT_BROKEN",
          `audit entry at index ${index} is not an entry (run leakstop audit verify)`,
        );
      index++;
      const entry = parsed.entry;
      if (since !== null && typeof entry.ts === "string" && entry.ts < since) continue;
      yield entry;
    }
  }

  private async *rawEntries(): AsyncIterable<string> {
    for (let start = 0; ; start += PAGE) {
      const page = await this.redis.lrange(this.keys.log, start, start + PAGE - 1);
      yield* page;
      if (page.length < PAGE) return;
    }
  }
}
