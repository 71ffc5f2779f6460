/**
 * Caller authentication: `Authorization: Bearer <leakstop key>` is verified with
 * the registry (which also applies the caller key's CIDR list and rate limit),
 * and the key's scopes decide what the caller may do. No key, or a key that is
 * not valid, is 401; a valid key without the route's scope is 403.
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { sha256Hex } from "../lib/hash.js";
import type { Registry, Scope, VerifyResult } from "../registry/index.js";
import { ApiError } from "./errors.js";
import type { ServerMetrics } from "./metrics.js";

/** Who is calling: the id of the key they presented and what it grants. */
export interface Caller {
  keyId: string;
  ownerId: string;
  scopes: string[];
}

/**
 * What a route demands, set as `config.access` on the route:
 * `public` (no key), `caller` (any valid key) or one scope. Routes without it require a valid key.
 */
export type RouteAccess = "public" | "caller" | Scope;

/** The actor name written to the audit trail for a caller. */
export function actorOf(caller: Caller): string {
  return `key:${caller.keyId}`;
}

/** Constant-time equality of two secrets (compares their SHA-256, so lengths do not leak either). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(sha256Hex(a), "hex"), Buffer.from(sha256Hex(b), "hex"));
}

/** The bearer token of a request, or null when the header is absent; throws 401 when it is malformed. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined || header === "") return null;
  const m = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
  if (!m?.[1]) throw new ApiError("LS_UNAUTHENTICATED", "the Authorization header must be: Bearer <leakstop key>");
  return m[1];
}

/** A failed verify of the caller's own key, as an API error. */
function callerRejection(result: VerifyResult): ApiError {
  switch (result.reason) {
    case "rate_limited":
      return new ApiError("LS_RATE_LIMITED", "the caller key's rate limit is exhausted; retry later", {
        retryAfterSeconds: result.rateLimit?.resetSeconds ?? 1,
      });
    case "ip":
      return new ApiError("LS_FORBIDDEN", "the caller key is not allowed from this address");
    default:
      return new ApiError("LS_UNAUTHENTICATED", `the caller key is not valid: ${result.reason ?? "unknown"}`);
  }
}

/**
 * Builds the authenticator: resolves the caller of a request or throws the
 * right 401/403/429. Failures are counted by reason, never by key.
 */
export function createAuthenticator(registry: Pick<Registry, "verify">, metrics: ServerMetrics) {
  return async function authenticate(request: FastifyRequest): Promise<Caller> {
    let token: string | null;
    try {
      token = bearerToken(request);
    } catch (err) {
      metrics.authFailures.inc({ reason: "malformed_header" });
      throw err;
    }
    if (token === null) {
      metrics.authFailures.inc({ reason: "missing" });
      throw new ApiError("LS_UNAUTHENTICATED", "this endpoint needs Authorization: Bearer <leakstop key>");
    }
    const result = await registry.verify(token, { ip: request.ip });
    if (!result.valid || !result.keyId) {
      metrics.authFailures.inc({ reason: result.reason ?? "unknown" });
      throw callerRejection(result);
    }
    return { keyId: result.keyId, ownerId: result.owner?.id ?? "", scopes: result.scopes ?? [] };
  };
}

/** Throws 403 unless the caller holds `scope`. */
export function requireScope(caller: Caller, scope: Scope, metrics?: ServerMetrics): void {
  if (caller.scopes.includes(scope)) return;
  metrics?.authFailures.inc({ reason: "scope" });
  throw new ApiError("LS_FORBIDDEN", `this endpoint needs the ${scope} scope, which the caller key does not have`);
}
