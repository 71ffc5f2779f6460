/**
 * GET /metrics: Prometheus text format. Public by default (bind the server to a
 * private interface), or guarded by a static bearer token (LEAKSTOP_METRICS_TOKEN)
 * that is compared in constant time.
 */
import type { FastifyInstance } from "fastify";
import { bearerToken, secretsEqual } from "../auth.js";
import type { ServerContext } from "../context.js";
import { ApiError, errorBodySchema } from "../errors.js";

/** Registers GET /metrics; with `token` set, callers must send `Authorization: Bearer <token>`. */
export function registerMetricsRoute(app: FastifyInstance, ctx: ServerContext, token?: string): void {
  const registry = ctx.metrics.registry;
  app.get(
    "/metrics",
    {
      config: {
        access: "public",
        summary: "Prometheus metrics (text exposition format)",
        okContent: { "text/plain": { schema: { type: "string" } } },
      },
      // With a token, a caller without it gets 401 (documented; the body is built by the error handler).
      ...(token !== undefined ? { schema: { response: { 401: errorBodySchema } } } : {}),
    },
    async (request, reply) => {
      if (token !== undefined) {
        const presented = bearerToken(request);
        if (presented === null || !secretsEqual(presented, token)) {
          throw new ApiError("LS_UNAUTHENTICATED", "this endpoint needs Authorization: Bearer <metrics token>");
        }
      }
      reply.header("content-type", registry.contentType);
      return registry.metrics();
    },
  );
}
