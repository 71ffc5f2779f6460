/**
 * The verify hot path: offline format check, SHA-256, then one Lua round trip
 * (status, expiry, overlap, scopes, CIDR, rate limit; usage is counted in memory).
 * `verifyForCaller` checks a caller's own key and the key it asks about in that
 * same single round trip (verify-pair.lua), for POST /v1/keys/verify.
 */

import { keyChecksum, parseKey } from "../keyformat/key-format.js";
import { sha256Hex } from "../lib/hash.js";
import type { RedisClient } from "../redis/cluster.js";
import type { RedisScript } from "../redis/script.js";
import { ipToBits } from "./cidr.js";
import type { RegistryKeys } from "./redis-keys.js";
import type { VerifyFailure, VerifyResult } from "./types.js";
import type { UsageBatch } from "./usage-batch.js";

/** What a caller asks for: scopes (one, or several separated by spaces or commas) and the source address. */
export interface VerifyRequest {
  scope?: string;
  ip?: string;
}

/** Everything verify needs, fixed per Registry. */
export interface VerifyContext {
  redis: RedisClient;
  keys: RegistryKeys;
  script: RedisScript;
  /** verify-pair.lua: a caller's key, then (when it is valid) the key it asks about. */
  pairScript: RedisScript;
  issuer: string;
  now: () => number;
  /** Where uses and denials of known keys are counted (written in batches). */
  usage: UsageBatch;
}

/** The caller's verdict and, only when the caller's key is valid, the verdict on the key it asked about. */
export interface CallerVerifyResult {
  caller: VerifyResult;
  result: VerifyResult | null;
}

type ScriptReply = [string, string?, string?, string?, string?, number?, number?, number?];

/** A key that passed the offline checks, as the script takes it. */
interface Presented {
  hash: string;
  scopes: string;
  ipBits: string;
}

/** Source addresses seen recently and their bits: a gateway calls from a handful of them. */
const ipBitsCache = new Map<string, string | null>();
const IP_CACHE_SIZE = 256;

function cachedIpBits(ip: string): string | null {
  let bits = ipBitsCache.get(ip);
  if (bits === undefined) {
    bits = ipToBits(ip);
    // Bounded: a flood of distinct addresses only resets the cache.
    if (ipBitsCache.size >= IP_CACHE_SIZE) ipBitsCache.clear();
    ipBitsCache.set(ip, bits);
  }
  return bits;
}

/** The offline checks (shape, checksum, issuer, address); the failure when one fails, else what the script needs. */
function present(ctx: VerifyContext, key: string, req: VerifyRequest): Presented | VerifyResult {
  const parsed = typeof key === "string" ? parseKey(key) : null;
  if (!parsed || keyChecksum(parsed.issuer, parsed.env, parsed.body) !== parsed.checksum) {
    return { valid: false, reason: "malformed" };
  }
  // Another issuer's key cannot be in this registry: no need to ask Redis.
  if (parsed.issuer !== ctx.issuer) return { valid: false, reason: "unknown" };
  let ipBits = "";
  if (req.ip !== undefined && req.ip !== "") {
    const bits = cachedIpBits(req.ip);
    if (bits === null) return { valid: false, reason: "ip" };
    ipBits = bits;
  }
  const scope = req.scope ?? "";
  const scopes =
    scope === ""
      ? ""
      : scope
          .split(/[\s,]+/)
          .filter((s) => s !== "")
          .join(" ");
  return { hash: sha256Hex(key), scopes, ipBits };
}

function isPresented(p: Presented | VerifyResult): p is Presented {
  return "hash" in p;
}

/** Turns a script reply into the result, counting the use or denial of a known key. */
function settle(ctx: VerifyContext, key: Presented, reply: ScriptReply, nowMs: number): VerifyResult {
  if (reply[0] !== "unknown") ctx.usage.record(key.hash, reply[0] === "ok", nowMs);
  return toResult(reply);
}

async function runOne(ctx: VerifyContext, key: Presented): Promise<VerifyResult> {
  const nowMs = ctx.now();
  const reply = (await ctx.script.run(
    ctx.redis,
    [ctx.keys.record(key.hash), ctx.keys.rateLimit(key.hash)],
    [nowMs, key.scopes, key.ipBits],
  )) as ScriptReply;
  return settle(ctx, key, reply, nowMs);
}

/** Verifies a presented key. Never throws for a bad key: the reason says why it is not valid. */
export async function verifyKey(ctx: VerifyContext, key: string, req: VerifyRequest = {}): Promise<VerifyResult> {
  const presented = present(ctx, key, req);
  return isPresented(presented) ? runOne(ctx, presented) : presented;
}

/**
 * Verifies the caller's own key and, only when it is valid, the key it asks about: the same two
 * checks {@link verifyKey} would make one after the other (a caller whose key fails leaves the
 * other key's rate limit and usage untouched), in one round trip when both need Redis.
 */
export async function verifyForCaller(
  ctx: VerifyContext,
  caller: { key: string; ip?: string },
  key: string,
  req: VerifyRequest = {},
): Promise<CallerVerifyResult> {
  const who = present(ctx, caller.key, { ip: caller.ip });
  if (!isPresented(who)) return { caller: who, result: null };
  const asked = present(ctx, key, req);
  if (!isPresented(asked)) {
    const callerResult = await runOne(ctx, who);
    return { caller: callerResult, result: callerResult.valid ? asked : null };
  }
  const nowMs = ctx.now();
  const [callerReply, keyReply] = (await ctx.pairScript.run(
    ctx.redis,
    [
      ctx.keys.record(who.hash),
      ctx.keys.rateLimit(who.hash),
      ctx.keys.record(asked.hash),
      ctx.keys.rateLimit(asked.hash),
    ],
    [nowMs, who.scopes, who.ipBits, asked.scopes, asked.ipBits],
  )) as [ScriptReply, ScriptReply?];
  const callerResult = settle(ctx, who, callerReply, nowMs);
  return { caller: callerResult, result: keyReply ? settle(ctx, asked, keyReply, nowMs) : null };
}

function toResult(reply: ScriptReply): VerifyResult {
  const [reason, keyId, env, owner, scopes, limit, remaining, resetMs] = reply;
  if (reason === "unknown" || keyId === undefined) return { valid: false, reason: "unknown" };
  const result: VerifyResult = { valid: reason === "ok", keyId };
  if (reason !== "ok") result.reason = reason as VerifyFailure;
  if (env !== undefined) result.env = env;
  if (owner) result.owner = JSON.parse(owner);
  if (scopes) result.scopes = JSON.parse(scopes);
  if (limit !== undefined && limit >= 0) {
    result.rateLimit = { limit, remaining: remaining ?? 0, resetSeconds: Math.ceil((resetMs ?? 0) / 1000) };
  }
  return result;
}
