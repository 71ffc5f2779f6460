/**
 * What routes share: the registry, the audit log, the Redis client (for health),
 * metrics, and the request decoration holding the authenticated caller.
 */
import type { Redis } from "ioredis";
import type { AuditVerifier } from "../audit/signing.js";
import type { AuditLog, Registry } from "../registry/index.js";
import type { Authenticator, Caller, RouteAccess } from "./auth.js";
import type { ServerMetrics } from "./metrics.js";

/** Dependencies handed to every route module. */
export interface ServerContext {
  registry: Pick<Registry, "create" | "get" | "list" | "rotate" | "revoke" | "verify" | "verifyForCaller">;
  audit: Pick<AuditLog, "verify" | "export">;
  redis: Pick<Redis, "ping">;
  metrics: ServerMetrics;
  /** Turns a route's own verify of the caller's key into the caller (or its 401/403/429). */
  auth: Pick<Authenticator, "accept">;
  /**
   * What GET /v1/audit/verify checks beyond the hash chain: entry signatures with the audit public
   * key, and the chain against the newest checkpoint in the anchor directory (default: neither).
   */
  auditTrust?: AuditTrust;
  /** True while Redis is known to be unreachable (health answers at once instead of waiting). */
  redisDown?: () => boolean;
}

/** The audit public key and the directory of checkpoints kept outside Redis. */
export interface AuditTrust {
  verifier: AuditVerifier | null;
  anchorDir: string | null;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller; null on public routes (and, on `authInRoute` routes, until the handler checked it). */
    caller: Caller | null;
    /** On an `authInRoute` route: the bearer token the handler still has to verify (see takeCallerToken). */
    callerToken: string | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route (default: any valid key). */
    access?: RouteAccess;
    /**
     * With access `caller`: the hook only checks that a bearer token is there and the handler
     * verifies it, in the same Redis round trip as its own work (POST /v1/keys/verify).
     */
    authInRoute?: boolean;
    /** One-line summary for the OpenAPI document. */
    summary?: string;
    /** The OpenAPI `content` of a 200 answer that no response schema describes (a stream, plain text). */
    okContent?: Record<string, { schema: Record<string, unknown> }>;
    /** Left out of the OpenAPI document and of the 405 bookkeeping (the 405 routes themselves). */
    undocumented?: boolean;
  }
}

/** The caller of an authenticated route (the auth hook guarantees it is set). */
export function callerOf(request: { caller: Caller | null }): Caller {
  if (!request.caller) throw new Error("route reached without an authenticated caller");
  return request.caller;
}
