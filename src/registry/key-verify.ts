/**
 * The verify hot path: offline format check, SHA-256, then one Lua round trip
 * (status, expiry, overlap, scopes, CIDR, rate limit, usage counters).
 */

import { isValidKey, parseKey } from "../keyformat/key-format.js";
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
  issuer: string;
  now: () => number;
  /** Where uses and denials of known keys are counted (written in batches). */
  usage: UsageBatch;
}

type ScriptReply = [string, string?, string?, string?, string?, number?, number?, number?];

/** Verifies a presented key. Never throws for a bad key: the reason says why it is not valid. */
export async function verifyKey(ctx: VerifyContext, key: string, req: VerifyRequest = {}): Promise<VerifyResult> {
  if (typeof key !== "string" || !isValidKey(key)) return { valid: false, reason: "malformed" };
  // Another issuer's key cannot be in this registry: no need to ask Redis.
  if (parseKey(key)?.issuer !== ctx.issuer) return { valid: false, reason: "unknown" };
  let ipBits = "";
  if (req.ip !== undefined && req.ip !== "") {
    const bits = ipToBits(req.ip);
    if (bits === null) return { valid: false, reason: "ip" };
    ipBits = bits;
  }
  const scopes = (req.scope ?? "")
    .split(/[\s,]+/)
    .filter((s) => s !== "")
    .join(" ");
  const hash = sha256Hex(key);
  const nowMs = ctx.now();
  const reply = (await ctx.script.run(
    ctx.redis,
    [ctx.keys.record(hash), ctx.keys.rateLimit(hash)],
    [nowMs, scopes, ipBits],
  )) as ScriptReply;
  if (reply[0] !== "unknown") ctx.usage.record(hash, reply[0] === "ok", nowMs);
  return toResult(reply);
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
