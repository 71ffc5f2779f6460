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

/** Resolves the caller of a request, or throws the right 401/403/429. Failures are counted by reason, never by key. */
export interface Authenticator {
  /** The request's bearer token; throws 401 when the header is missing or malformed. */
  token(request: FastifyRequest): string;
  /** The caller whose key gave `result`; throws 401/403/429 when the key is not valid. */
  accept(result: VerifyResult): Caller;
  /** The registry's verify of a token from address `ip`, then {@link accept}. */
  check(token: string, ip: string): Promise<Caller>;
  /** {@link token}, then {@link check} from the request's address. */
  authenticate(request: FastifyRequest): Promise<Caller>;
}

/**
 * The bearer token a route with `authInRoute` still has to verify, taken (so it is verified
 * once: by the route, or before an error is answered); null when there is none.
 */
export function takeCallerToken(request: { callerToken: string | null }): string | null {
  const token = request.callerToken;
  request.callerToken = null;
  return token;
}

/** Builds the {@link Authenticator} over the registry's verify. */
export function createAuthenticator(registry: Pick<Registry, "verify">, metrics: ServerMetrics): Authenticator {
  const token = (request: FastifyRequest): string => {
    let found: string | null;
    try {
      found = bearerToken(request);
    } catch (err) {
      metrics.authFailures.inc({ reason: "malformed_header" });
      throw err;
    }
    if (found === null) {
      metrics.authFailures.inc({ reason: "missing" });
      throw new ApiError("LS_UNAUTHENTICATED", "this endpoint needs Authorization: Bearer <leakstop key>");
    }
    return found;
  };
  const accept = (result: VerifyResult): Caller => {
    if (!result.valid || !result.keyId) {
      metrics.authFailures.inc({ reason: result.reason ?? "unknown" });
      throw callerRejection(result);
    }
    return { keyId: result.keyId, ownerId: result.owner?.id ?? "", scopes: result.scopes ?? [] };
  };
  const check = async (found: string, ip: string): Promise<Caller> => accept(await registry.verify(found, { ip }));
  return {
    token,
    accept,
    check,
    authenticate: async (request) => check(token(request), request.ip),
  };
}

/** Throws 403 unless the caller holds `scope`. */
export function requireScope(caller: Caller, scope: Scope, metrics?: ServerMetrics): void {
  if (caller.scopes.includes(scope)) return;
  metrics?.authFailures.inc({ reason: "scope" });
  throw new ApiError("LS_FORBIDDEN", `this endpoint needs the ${scope} scope, which the caller key does not have`);
}
