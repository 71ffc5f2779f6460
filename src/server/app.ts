/**
 * The HTTP API app factory. `buildServer` wires the hooks (per-IP rate limit,
 * caller authentication by route access, metrics) and the routes; the caller
 * decides where it listens. The logger is off: request bodies and Authorization
 * headers carry keys and must never be written anywhere.
 */

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { leakstopVersion } from "../lib/version.js";
import { cidrToBits } from "../registry/cidr.js";
import type { Scope } from "../registry/index.js";
import {
  type Authenticator,
  type Caller,
  createAuthenticator,
  type RouteAccess,
  requireScope,
  takeCallerToken,
} from "./auth.js";
import type { ServerContext } from "./context.js";
import { ApiError, frameworkErrorHandler, installErrorHandlers } from "./errors.js";
import {
  collectRouteMethods,
  installExpectContinue,
  installJsonParser,
  installMethodNotAllowed,
} from "./http-guards.js";
import { createServerMetrics, type ServerMetrics } from "./metrics.js";
import { OpenApiCollector, registerOpenApiRoute } from "./openapi.js";
import { type IpRateLimit, IpRateLimiter } from "./rate-limit.js";
import { RedisHealth } from "./redis-health.js";
import { registerAuditRoutes } from "./routes/audit.js";
import { registerHealthRoute } from "./routes/health.js";
import { registerKeyRoutes } from "./routes/keys.js";
import { registerMetricsRoute } from "./routes/metrics.js";
import { registerVerifyRoute } from "./routes/verify.js";
import { formatSchemaErrors } from "./validation-message.js";

/** Default largest request body: 64 KiB. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;
/**
 * Default per-IP limit: 1,000 requests per second. It guards against floods from one
 * host; a gateway that verifies more than that from one address should raise it.
 */
export const DEFAULT_IP_RATE_LIMIT: IpRateLimit = { limit: 1000, windowSeconds: 1 };

/** Options of {@link buildServer}. */
export interface ServerOptions extends Omit<ServerContext, "metrics" | "auth"> {
  /** Largest accepted request body in bytes (default {@link DEFAULT_BODY_LIMIT}). */
  bodyLimit?: number;
  /** Per-client-IP limit over all routes; null turns it off (default {@link DEFAULT_IP_RATE_LIMIT}). */
  ipRateLimit?: IpRateLimit | null;
  /** Who may call POST /v1/keys/verify: any valid key (default) or anyone. */
  verifyAccess?: "caller" | "public";
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** Take the client address from X-Forwarded-For (only behind a trusted proxy; default false). */
  trustProxy?: boolean;
  /** Metrics to record into (default: a fresh registry with process metrics). */
  metrics?: ServerMetrics;
  /** Version shown in the OpenAPI document. */
  version?: string;
  /**
   * More route modules (e.g. findings intake) registered after the built-in ones, with the
   * same access control, error shape, metrics and OpenAPI collection.
   */
  routes?: Array<(app: FastifyInstance, ctx: ServerContext) => void>;
  /** Told about every 5xx (for a one-line log); gets the error, never the request. */
  onInternalError?: (err: unknown, route: string) => void;
}

/** The route pattern of a request, for metric labels (never the raw path). */
function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? "unmatched";
}

/**
 * One onRequest hook for every route, run before the body is even read: no caching of answers;
 * while Redis is known to be down, API routes answer 503 + Retry-After at once (before
 * authentication, which needs Redis too) instead of each waiting for a timeout; the per-IP limit;
 * then the caller's key. A route marked `authInRoute` gets only the header checked here
 * (`request.callerToken`) and verifies the key itself, in the same Redis call as its own work
 * (POST /v1/keys/verify); an error raised before its handler runs authenticates first
 * ({@link authenticateBeforeError}), so a bad caller still hears 401/403/429 before any 400.
 */
function installAccessControl(
  app: FastifyInstance,
  opts: ServerOptions,
  metrics: ServerMetrics,
  health: RedisHealth,
  auth: Authenticator,
): void {
  const limit = opts.ipRateLimit === undefined ? DEFAULT_IP_RATE_LIMIT : opts.ipRateLimit;
  const limiter = limit ? new IpRateLimiter(limit) : null;
  app.decorateRequest("caller", null as Caller | null);
  app.decorateRequest("callerToken", null as string | null);
  const authorize = async (request: FastifyRequest, access: RouteAccess): Promise<void> => {
    request.caller = await auth.authenticate(request);
    if (access !== "caller") requireScope(request.caller, access as Scope, metrics);
  };
  // Callback style: most requests finish this hook without waiting for anything.
  app.addHook("onRequest", (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    // Answers are about one caller at one moment (and some hold a new key): never cache.
    reply.header("cache-control", "no-store");
    // routeOptions is a getter that builds a new object on every read: read it once.
    const { url, config } = request.routeOptions;
    if (health.down && url?.startsWith("/v1/")) {
      return done(
        new ApiError("LS_UNAVAILABLE", "the registry (Redis) is unreachable; retry later", { retryAfterSeconds: 1 }),
      );
    }
    if (limiter) {
      const decision = limiter.hit(request.ip);
      if (!decision.allowed) {
        metrics.authFailures.inc({ reason: "ip_rate_limited" });
        return done(
          new ApiError("LS_RATE_LIMITED", "too many requests from this address; retry later", {
            retryAfterSeconds: decision.resetSeconds,
          }),
        );
      }
    }
    // Unmatched paths fall through to the 404 handler without a key.
    const access = url === undefined ? "public" : (config.access ?? "caller");
    if (access === "public") return done();
    if (access === "caller" && config.authInRoute) {
      try {
        request.callerToken = auth.token(request);
      } catch (err) {
        return done(err as Error);
      }
      return done();
    }
    authorize(request, access).then(() => done(), done);
  });
}

/**
 * For a route that authenticates in its handler: an error raised before the handler (bad JSON,
 * a body the schema refuses, a body too large) is answered only after the caller's key was
 * checked, so the caller's 401/403/429 wins, as on every other route. Resolves with the error to
 * answer.
 */
async function authenticateBeforeError(request: FastifyRequest, err: unknown, auth: Authenticator): Promise<unknown> {
  const token = takeCallerToken(request);
  if (token === null) return err;
  try {
    request.caller = await auth.check(token, request.ip);
    return err;
  } catch (authErr) {
    return authErr;
  }
}

/** Installs request metrics. */
function installCommonHooks(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook("preValidation", (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    // A POST without a body validates as `{}`, so the message names the missing field.
    if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
    done();
  });
  app.addHook("onResponse", (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.recordRequest(request.method, routeLabel(request), reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

/** JSON-schema formats of the API: `cidr` is what the registry accepts as a source network. */
function leakstopFormats(ajv: { addFormat(name: string, test: (value: string) => boolean): unknown }): void {
  ajv.addFormat("cidr", (value) => cidrToBits(value) !== null);
}

/** Builds the app with every route registered; call `listen` on it (or `inject` in tests). */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const metrics = opts.metrics ?? createServerMetrics();
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: opts.trustProxy ?? false,
    requestTimeout: 30_000,
    // Validate without coercion and reject unknown fields instead of dropping them silently.
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false },
      onCreate: leakstopFormats,
    },
    schemaErrorFormatter: formatSchemaErrors,
    frameworkErrors: frameworkErrorHandler,
  });
  const health = new RedisHealth(opts.redis);
  const auth = createAuthenticator(opts.registry, metrics);
  installErrorHandlers(
    app,
    (err, route) => {
      health.noteError(err);
      opts.onInternalError?.(err, route);
    },
    (request, err) => authenticateBeforeError(request, err, auth),
  );
  installAccessControl(app, opts, metrics, health, auth);
  installCommonHooks(app, metrics);

  installJsonParser(app);
  installExpectContinue(app, opts.bodyLimit ?? DEFAULT_BODY_LIMIT);
  const served = collectRouteMethods(app);
  const collector = new OpenApiCollector();
  collector.attach(app);
  const ctx: ServerContext = {
    registry: opts.registry,
    audit: opts.audit,
    redis: opts.redis,
    metrics,
    auth,
    ...(opts.auditTrust ? { auditTrust: opts.auditTrust } : {}),
    redisDown: () => health.down,
  };
  registerHealthRoute(app, ctx);
  registerMetricsRoute(app, ctx, opts.metricsToken);
  registerOpenApiRoute(app, collector, opts.version ?? leakstopVersion());
  registerVerifyRoute(app, ctx, opts.verifyAccess ?? "caller");
  registerKeyRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  for (const register of opts.routes ?? []) register(app, ctx);
  installMethodNotAllowed(app, served);
  await app.ready();
  return app;
}
