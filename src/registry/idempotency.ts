/**
 * Idempotency keys for create, rotate and revoke (SPEC §6): a retry with the same
 * key from the same caller, for the same request, gets the first outcome, also
 * when the first reply was lost after the change was applied. The record and the
 * change are ONE Lua script (lua/idem-begin.lua + the change + lua/idem-end.lua):
 * it stores, for 10 minutes, a fingerprint of the request, the plan (the new key's
 * id and its plaintext, sealed with seal.ts, never in clear) and the script's
 * outcome, in the same atomic step as the change. A crash, a kill or a dropped
 * connection leaves both or neither, so a retry either replays the stored outcome
 * or runs the change for the first time. Names in Redis carry only a hash of
 * caller and idempotency key.
 */

import { LeakstopError } from "../lib/errors.js";
import { sha256Hex } from "../lib/hash.js";
import type { RedisClient } from "../redis/cluster.js";
import type { RedisScript } from "../redis/script.js";
import type { Sealer } from "./seal.js";

/** How long a first outcome is kept for retries (seconds). */
export const IDEMPOTENCY_TTL_SECONDS = 600;
const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;

/** What a change will use: the id and plaintext of the new key ("" when it makes none). */
export interface Planned {
  id: string;
  key: string;
}

/** One idempotent request: who sends it, under which key, and what it asks for. */
export interface IdempotentRequest {
  actor: string;
  idemKey: string;
  op: string;
  request: unknown;
  /** The id and key this attempt will use if it is the first. */
  fresh: Planned;
}

/** What an idempotent run gives back: the script's outcome and the plan it belongs to. */
export interface IdempotentOutcome {
  reply: unknown[];
  plan: Planned;
  /** True when the outcome is the first attempt's, stored (nothing ran now). */
  replay: boolean;
}

interface StoredPlan {
  v: 1;
  id: string;
  sealed: string;
}

/** JSON with object keys sorted, so equal requests fingerprint equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Throws LS_USAGE unless `key` is 1-255 printable ASCII characters (the value is not repeated). */
export function checkIdempotencyKey(key: string): void {
  if (!IDEMPOTENCY_KEY_RE.test(key)) {
    throw new LeakstopError("LS_USAGE", "the idempotency key must be 1-255 printable ASCII characters without spaces");
  }
}

/** The error of a replay whose new key this process cannot unseal. */
export function unsealableError(id: string): LeakstopError {
  return new LeakstopError(
    "LS_IDEMPOTENCY_UNSEALABLE",
    `the first attempt issued key ${id}, but its plaintext was sealed with another sealing key and cannot be shown again ` +
      "(set the same LEAKSTOP_SEAL_KEY, or LEAKSTOP_AUDIT_KEY, on every process); revoke or rotate that key to get one",
  );
}

/** The Redis side of idempotency keys. */
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string,
    private readonly sealer: Sealer,
  ) {}

  /**
   * Runs an idempotent variant of a change script (RegistryScripts.idempotent) with its record
   * in front of `keys`/`args`, and gives back the script's raw reply (read it with {@link outcome}).
   */
  async call(script: RedisScript, keys: string[], args: (string | number)[], c: IdempotentRequest): Promise<unknown[]> {
    checkIdempotencyKey(c.idemKey);
    const name = this.recordName(c);
    const fp = sha256Hex(`${c.op}\n${canonical(c.request)}`);
    const plan: StoredPlan = {
      v: 1,
      id: c.fresh.id,
      sealed: c.fresh.key ? this.sealer.seal(c.fresh.key, `${name}|${c.fresh.id}`) : "",
    };
    return (await script.run(
      this.redis,
      [name, ...keys],
      [fp, JSON.stringify(plan), IDEMPOTENCY_TTL_SECONDS, ...args],
    )) as unknown[];
  }

  /**
   * What a reply of {@link call} means: this attempt's outcome, or the first attempt's stored one.
   * LS_IDEMPOTENCY_CONFLICT when the key was used for another request; LS_IDEMPOTENCY_UNSEALABLE
   * when the stored new key cannot be unsealed here.
   */
  outcome(reply: unknown[], c: IdempotentRequest): IdempotentOutcome {
    if (reply[0] === -1) {
      throw new LeakstopError(
        "LS_IDEMPOTENCY_CONFLICT",
        "this idempotency key was already used for a different request; send a new key for a new request",
      );
    }
    if (reply[0] !== -2) return { reply, plan: c.fresh, replay: false };
    const aad = (id: string) => `${this.recordName(c)}|${id}`;
    const stored = JSON.parse(String(reply[1])) as StoredPlan;
    const outcome = JSON.parse(String(reply[2])) as unknown[];
    let key = "";
    if (stored.sealed && outcome[0] === 1) {
      const unsealed = this.sealer.unseal(stored.sealed, aad(stored.id));
      if (unsealed === null) throw unsealableError(stored.id);
      key = unsealed;
    }
    return { reply: outcome, plan: { id: stored.id, key }, replay: true };
  }

  /** The record's name: only a hash of caller and idempotency key. */
  private recordName(c: IdempotentRequest): string {
    return `${this.namespace}:idem:${sha256Hex(`${c.actor}\n${c.idemKey}`)}`;
  }
}
