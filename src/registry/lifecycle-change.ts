/**
 * What every lifecycle write (create, rotate, revoke) shares: its context, and the run of its
 * change script, plain or, with an idempotency key, wrapped so the idempotency record is
 * written in the same script (idempotency.ts); its audit entry chained onto the chain's tip
 * here and the script run again when the tip moved (audit/chain-tip.ts).
 */
import { type ChainReply, type ChainTip, movedTip } from "../audit/chain-tip.js";
import type { AuditEvent } from "../audit/entry.js";
import type { RedisClient } from "../redis/cluster.js";
import type { RedisScript } from "../redis/script.js";
import type { IdempotentOutcome, IdempotentRequest, Planned } from "./idempotency.js";
import type { KeyReader } from "./key-reader.js";
import type { RegistryScripts } from "./lua-script.js";
import type { RegistrySettings } from "./registry-settings.js";

/** The reply of a change script: 1 and a detail, or 0 and why not. */
export type ScriptOutcome = [number, number | string];

/** What a lifecycle write needs from its Registry. */
export interface LifecycleContext extends RegistrySettings {
  redis: RedisClient;
  scripts: RegistryScripts;
  reader: KeyReader;
  /** The payload of an audit entry, signed when an audit key is configured. */
  auditEntry(event: AuditEvent): string;
  /** This process's view of the audit chain's tip: every append goes through it. */
  chain: ChainTip;
}

/** The audit side of a change: its candidate entries' payloads and which one the script appended. */
export interface AuditedChange {
  /** The payloads the script may append (at most one), chained onto the same tip. */
  payloads: string[];
  /** The index of the one expected to be appended (-1: none). */
  expected: number;
  /** The index the script's own reply (not an idempotent replay) says it appended, -1 for none. */
  appended(reply: unknown[]): number;
}

/** An ISO-8601 time. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The idempotent request of a change, or null without an idempotency key. */
export function idempotentRequest(
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
 * `args` gets the audit entries, chained onto the tip, in the order of `audit.payloads`.
 */
export async function runChange(
  ctx: LifecycleContext,
  [script, idemScript]: [RedisScript, RedisScript],
  keys: string[],
  args: (entries: string[]) => (string | number)[],
  idem: IdempotentRequest | null,
  fresh: Planned,
  audit: AuditedChange,
): Promise<IdempotentOutcome> {
  const reply = await ctx.chain.run({
    payloads: audit.payloads,
    expected: audit.expected,
    send: async (entries) =>
      idem
        ? ctx.idempotency.call(idemScript, keys, args(entries), idem)
        : ((await script.run(ctx.redis, keys, args(entries))) as unknown[]),
    read: (r): ChainReply => {
      const moved = movedTip(r);
      if (moved) return { moved };
      // An idempotent replay (-2) or conflict (-1) ran nothing.
      return { appended: idem && (r[0] === -1 || r[0] === -2) ? -1 : audit.appended(r) };
    },
  });
  if (idem) return ctx.idempotency.outcome(reply, idem);
  return { reply, plan: fresh, replay: false };
}
