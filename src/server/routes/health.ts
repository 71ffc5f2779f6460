/** GET /healthz: no auth; answers 200 when Redis answers PING in time, else 503. */
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../context.js";
import { healthSchema } from "../schemas.js";

/** How long a health probe waits for Redis before calling it unreachable. */
const PING_TIMEOUT_MS = 1000;

/** PINGs Redis; false on an error or when no answer comes within the timeout. */
export async function redisAnswers(redis: ServerContext["redis"], timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const ping = redis.ping().then(
      (answer) => answer === "PONG",
      () => false,
    );
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Registers GET /healthz. */
export function registerHealthRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    "/healthz",
    {
      config: { access: "public", summary: "Liveness and Redis reachability" },
      schema: { response: { 200: healthSchema, 503: healthSchema } },
    },
    async (_request, reply) => {
      if (!ctx.redisDown?.() && (await redisAnswers(ctx.redis))) return { status: "ok", redis: "ok" };
      return reply.code(503).send({ status: "unavailable", redis: "unreachable" });
    },
  );
}
