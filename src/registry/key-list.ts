/**
 * Inventory: keys by owner, env, status and age, oldest first, with keyset
 * (cursor) pagination over a lexicographic index whose members are
 * "<createdMs, 15 digits>:<id>:<keyHash>", so a cursor stays valid while keys
 * are added, revoked or expire.
 */

import { LeakstopError } from "../lib/errors.js";
import type { RedisClient } from "../redis/cluster.js";
import { fieldsToRecord } from "./record-codec.js";
import type { RegistryKeys } from "./redis-keys.js";
import type { KeyRecord, ListFilter } from "./types.js";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;
/** How many index entries one call may read while filtering before it returns a partial page with a cursor. */
const SCAN_BUDGET = 5000;
const STATUSES = ["active", "revoked", "expired"];

/** The index member of a record. */
export function indexMember(createdMs: number, id: string, keyHash: string): string {
  return `${String(createdMs).padStart(15, "0")}:${id}:${keyHash}`;
}

function usage(message: string): never {
  throw new LeakstopError("LS_USAGE", message);
}

function dateBound(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) usage(`${name}: "${value}" is not an ISO-8601 date`);
  return ms;
}

function decodeCursor(cursor: string): string {
  const member = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^\d{15}:[^:]+:[0-9a-f]{64}$/.test(member)) usage("cursor: not a cursor returned by keys list");
  return member;
}

function checkFilter(filter: ListFilter): number {
  const limit = filter.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) usage(`limit must be 1-${MAX_LIMIT}`);
  if (filter.status !== undefined && !STATUSES.includes(filter.status)) {
    usage(`status must be one of ${STATUSES.join(", ")}`);
  }
  if (filter.env !== undefined && filter.env !== "live" && filter.env !== "test") usage("env must be live or test");
  return limit;
}

/** The lexicographic range [min, max] to read, from the dates and the cursor. */
function lexRange(filter: ListFilter): { min: string; max: string } {
  const after = dateBound("createdAfter", filter.createdAfter);
  const before = dateBound("createdBefore", filter.createdBefore);
  let min = after === null ? "-" : `(${String(after).padStart(15, "0")}:~`;
  if (filter.cursor !== undefined) {
    const fromCursor = `(${decodeCursor(filter.cursor)}`;
    if (min === "-" || fromCursor > min) min = fromCursor;
  }
  const max = before === null ? "+" : `(${String(before).padStart(15, "0")}`;
  return { min, max };
}

/** One page of records matching the filter. */
export async function listKeys(
  redis: RedisClient,
  keys: RegistryKeys,
  filter: ListFilter,
  nowMs: number,
): Promise<{ items: KeyRecord[]; nextCursor: string | null }> {
  const limit = checkFilter(filter);
  // One owner's index when the filter (or the caller's reach) names a single owner, else every key's.
  const only = filter.owner ?? (filter.ownerIn?.length === 1 ? filter.ownerIn[0] : undefined);
  const index = only !== undefined ? keys.ownerIndex(only) : keys.createdIndex;
  if (filter.ownerIn?.length === 0) return { items: [], nextCursor: null };
  let { min } = lexRange(filter);
  const { max } = lexRange(filter);
  const items: KeyRecord[] = [];
  let scanned = 0;
  while (scanned < SCAN_BUDGET) {
    const batch = Math.min(limit - items.length + 50, SCAN_BUDGET - scanned);
    const members = await redis.zrangebylex(index, min, max, "LIMIT", 0, batch);
    if (members.length === 0) return { items, nextCursor: null };
    const pipe = redis.pipeline();
    for (const m of members) pipe.hgetall(keys.record(m.slice(m.lastIndexOf(":") + 1)));
    const rows = (await pipe.exec()) ?? [];
    for (const [i, member] of members.entries()) {
      scanned++;
      min = `(${member}`;
      const record = fieldsToRecord((rows[i]?.[1] ?? {}) as Record<string, string>, nowMs);
      if (!record || !matches(record, filter)) continue;
      items.push(record);
      if (items.length === limit) {
        const more = await redis.zrangebylex(index, min, max, "LIMIT", 0, 1);
        return { items, nextCursor: more.length > 0 ? Buffer.from(member).toString("base64url") : null };
      }
    }
    if (members.length < batch) return { items, nextCursor: null };
  }
  return { items, nextCursor: Buffer.from(min.slice(1)).toString("base64url") };
}

function matches(r: KeyRecord, f: ListFilter): boolean {
  return (
    (f.env === undefined || r.env === f.env) &&
    (f.status === undefined || r.status === f.status) &&
    (f.ownerIn === undefined || f.ownerIn.includes(r.owner.id))
  );
}
