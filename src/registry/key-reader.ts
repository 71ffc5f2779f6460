/**
 * The registry's reads: a record by id or by key hash, a page of records, whether an active
 * admin key exists. Text that is not id- or hash-shaped never reaches Redis.
 */
import { parseKey } from "../keyformat/key-format.js";
import { LeakstopError } from "../lib/errors.js";
import type { RedisClient } from "../redis/cluster.js";
import type { RedisScript } from "../redis/script.js";
import { listKeys } from "./key-list.js";
import { effectiveStatus, fieldsToRecord } from "./record-codec.js";
import type { RegistryKeys } from "./redis-keys.js";
import type { KeyRecord, ListFilter } from "./types.js";

const HASH_RE = /^[0-9a-f]{64}$/;
/** Record ids as newKeyId makes them. */
const KEY_ID_RE = /^key_[0-9a-f]{20}$/;

/** True for 64 lowercase hex characters (a key's SHA-256 as the registry stores it). */
export function isKeyHash(text: string): boolean {
  return HASH_RE.test(text);
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

/**
 * What the revocation pipeline needs of a key's record (Registry.getManyByHash): who owns it,
 * how to name it, and its state now.
 */
export type FoundKey = Pick<KeyRecord, "id" | "keyHash" | "hint" | "owner" | "status" | "revokedAt">;

/** The record fields a {@link FoundKey} is read from (status, expiresMs, graceEndsMs give its state). */
const FOUND_FIELDS = ["id", "keyHash", "hint", "owner", "status", "expiresMs", "graceEndsMs", "revokedAt"] as const;

/** Reads records from one namespace. */
export class KeyReader {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RegistryKeys,
    private readonly now: () => number,
    private readonly lookupMany?: RedisScript,
  ) {}

  /** The record with this id, or null. */
  async get(id: string): Promise<KeyRecord | null> {
    // Only id-shaped text is looked up: a key (ours or anyone's) given as an id never reaches Redis.
    if (!KEY_ID_RE.test(id)) return null;
    const hash = await this.redis.get(this.keys.idToHash(id));
    return hash ? this.getByHash(hash) : null;
  }

  /** The record of the key whose SHA-256 is `keyHash`, or null. */
  async getByHash(keyHash: string): Promise<KeyRecord | null> {
    if (!isKeyHash(keyHash)) return null;
    return fieldsToRecord(await this.redis.hgetall(this.keys.record(keyHash)), this.now());
  }

  /**
   * What the pipeline needs of many keys' records, in the order of `keyHashes` (null: no such key,
   * or not hash-shaped), read in one script call: a findings batch looks all of its keys up at once.
   */
  async getManyByHash(keyHashes: string[]): Promise<(FoundKey | null)[]> {
    const wanted = keyHashes.filter(isKeyHash);
    if (wanted.length === 0 || !this.lookupMany) return Promise.all(keyHashes.map((h) => this.getByHash(h)));
    const replies = (await this.lookupMany.run(
      this.redis,
      wanted.map((h) => this.keys.record(h)),
      [...FOUND_FIELDS],
    )) as (string | null)[][];
    const now = this.now();
    let next = 0;
    return keyHashes.map((h) => {
      if (!isKeyHash(h)) return null;
      const [id, keyHash, hint, owner, status, expiresMs, graceEndsMs, revokedAt] = replies[next++] ?? [];
      if (!id) return null;
      const fields: Record<string, string> = { status: status ?? "" };
      if (expiresMs) fields.expiresMs = expiresMs;
      if (graceEndsMs) fields.graceEndsMs = graceEndsMs;
      return {
        id,
        keyHash: keyHash ?? "",
        hint: hint ?? "",
        owner: JSON.parse(owner ?? "{}"),
        status: effectiveStatus(fields, now),
        revokedAt: revokedAt || null,
      };
    });
  }

  /** The record with this id; LS_KEY_NOT_FOUND when there is none. */
  async require(id: string): Promise<KeyRecord> {
    const record = await this.get(id);
    if (!record) throw new LeakstopError("LS_KEY_NOT_FOUND", keyNotFoundMessage(id));
    return record;
  }

  /** A page of records, oldest first. */
  async list(filter: ListFilter): Promise<{ items: KeyRecord[]; nextCursor: string | null }> {
    return listKeys(this.redis, this.keys, filter, this.now());
  }

  /** True when an active key holding every admin scope exists. */
  async hasActiveAdmin(): Promise<boolean> {
    for (const id of await this.redis.smembers(this.keys.adminIndex)) {
      if ((await this.get(id))?.status === "active") return true;
    }
    return false;
  }
}
