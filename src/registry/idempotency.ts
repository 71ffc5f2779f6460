/**
 * Idempotency keys for create, rotate and revoke (SPEC §6): a retry with the same
 * key from the same caller, for the same request, gets the first outcome, also
 * when the first reply was lost after the change was applied. Before the change
 * runs, the claim stores (for 10 minutes) a fingerprint of the request and the id
 * and key the change will use, the key sealed (seal.ts), never in clear; a retry
 * re-runs the change with that same id and key, which the scripts recognise as
 * already done. Names in Redis carry only a hash of caller and idempotency key.
 */
import type { Redis } from "ioredis";
import { LeakstopError } from "../lib/errors.js";
import { sha256Hex } from "../lib/hash.js";
import type { Sealer } from "./seal.js";

/** How long a first outcome is kept for retries (seconds). */
export const IDEMPOTENCY_TTL_SECONDS = 600;
const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;

/** What a change will use: the id and plaintext of the new key ("" when it makes none). */
export interface Planned {
  id: string;
  key: string;
}

interface Stored {
  v: 1;
  fp: string;
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

/** The Redis side of idempotency keys. */
export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly sealer: Sealer,
  ) {}

  /**
   * Claims `idemKey` for this caller and request with `fresh`, or returns what the first
   * claim planned (`replay`). LS_IDEMPOTENCY_CONFLICT when the key was used for another request.
   */
  async claim(c: { actor: string; idemKey: string; op: string; request: unknown; fresh: Planned }) {
    checkIdempotencyKey(c.idemKey);
    const name = `${this.namespace}:idem:${sha256Hex(`${c.actor}\n${c.idemKey}`)}`;
    const fp = sha256Hex(`${c.op}\n${canonical(c.request)}`);
    const aad = (id: string) => `${name}|${id}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const value: Stored = {
        v: 1,
        fp,
        id: c.fresh.id,
        sealed: c.fresh.key ? this.sealer.seal(c.fresh.key, aad(c.fresh.id)) : "",
      };
      if ((await this.redis.set(name, JSON.stringify(value), "EX", IDEMPOTENCY_TTL_SECONDS, "NX")) === "OK") {
        return { ...c.fresh, replay: false };
      }
      const raw = await this.redis.get(name);
      if (raw === null) continue; // expired in between: claim again
      const stored = JSON.parse(raw) as Stored;
      if (stored.fp !== fp) {
        throw new LeakstopError(
          "LS_IDEMPOTENCY_CONFLICT",
          "this idempotency key was already used for a different request; send a new key for a new request",
        );
      }
      const key = stored.sealed ? this.sealer.unseal(stored.sealed, aad(stored.id)) : "";
      if (key === null) {
        throw new LeakstopError(
          "LS_KEY_STATE",
          `the first attempt (key ${stored.id}) holds a new key this process cannot unseal: LEAKSTOP_SEAL_KEY differs or was unset when it ran; rotate again to get a key`,
        );
      }
      return { id: stored.id, key, replay: true };
    }
    throw new LeakstopError("LS_INTERNAL", "could not claim the idempotency key; retry");
  }
}
