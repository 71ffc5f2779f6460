/**
 * What every lifecycle write (create, rotate, revoke) shares: its context, and the run of its
 * change script, plain or, with an idempotency key, wrapped so the idempotency record is
 * written in the same script (idempotency.ts).
 */
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
 */
export async function runChange(
  ctx: LifecycleContext,
  [script, idemScript]: [RedisScript, RedisScript],
  keys: string[],
  args: (string | number)[],
  idem: IdempotentRequest | null,
  fresh: Planned,
): Promise<IdempotentOutcome> {
  if (idem) return ctx.idempotency.run(idemScript, keys, args, idem);
  return { reply: (await script.run(ctx.redis, keys, args)) as unknown[], plan: fresh, replay: false };
}
