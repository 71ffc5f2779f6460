/**
 * POST /v1/keys/verify: the hot path an API gateway calls for every request it
 * receives. A key that is not valid is still a 200 answer (`valid: false` and the
 * reason); HTTP errors are kept for the gateway's own mistakes. Who the key
 * belongs to (id, owner, scopes, env) is told only to callers holding keys:read:
 * anyone else learns valid or not, why, and the rate-limit budget.
 *
 * With caller keys the route authenticates the caller itself (`authInRoute`): the
 * caller's key and the key asked about are verified in one Redis round trip, the
 * caller's first, and the second only when the first is valid.
 */
import type { FastifyInstance } from "fastify";
import type { VerifyResult } from "../../registry/index.js";
import { type Caller, type RouteAccess, takeCallerToken } from "../auth.js";
import type { ServerContext } from "../context.js";
import { errorBodySchema } from "../errors.js";
import { verifyBodySchema, verifyResultSchema } from "../schemas.js";

interface VerifyBody {
  key: string;
  scope?: string;
  ip?: string;
}

/** The verdict as this caller may see it. */
export function verdictFor(caller: Caller | null, result: VerifyResult): VerifyResult {
  if (caller?.scopes.includes("keys:read")) return result;
  const { keyId: _id, owner: _owner, scopes: _scopes, env: _env, ...verdict } = result;
  return verdict;
}

/** Registers the verify route; `access` says who may call it (default: any valid key). */
export function registerVerifyRoute(app: FastifyInstance, ctx: ServerContext, access: RouteAccess = "caller"): void {
  app.post<{ Body: VerifyBody }>(
    "/v1/keys/verify",
    {
      config: {
        access,
        authInRoute: access === "caller",
        summary: "Verify a key: status, expiry, scope, source IP and rate limit",
      },
      schema: {
        body: verifyBodySchema,
        response: {
          200: verifyResultSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request) => {
      const { key, scope, ip } = request.body;
      const token = takeCallerToken(request);
      let result: VerifyResult;
      if (token === null) result = await ctx.registry.verify(key, { scope, ip });
      else {
        const both = await ctx.registry.verifyForCaller({ key: token, ip: request.ip }, key, { scope, ip });
        request.caller = ctx.auth.accept(both.caller);
        // A valid caller always comes with the second verdict.
        result = both.result ?? { valid: false, reason: "unknown" };
      }
      ctx.metrics.recordVerify(result.valid ? "valid" : (result.reason ?? "unknown"));
      return verdictFor(request.caller, result);
    },
  );
}
