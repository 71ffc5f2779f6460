/**
 * One JSON error shape for every HTTP failure: `{"error":{"code","message"}}`.
 * Fastify's own errors (validation, body too large, bad JSON) and LeakstopErrors
 * from the registry are mapped here, so no route builds an error body by hand and
 * no stack trace or request body ever reaches a response.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { API_ERROR_STATUS, isLeakstopError, stripUrlCredentials } from "../lib/errors.js";
import { isRedisConnectionError } from "../redis/connection.js";

/** API error codes and their HTTP status: kept in lib/errors.ts, the one table of every code. */
export const API_ERRORS = API_ERROR_STATUS;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** The body of every error response. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** An error a route or hook throws to answer with a given code; the message must hold no secret. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  /** Sent as the Retry-After header (whole seconds), e.g. with a 429. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ApiErrorCode, message: string, opts: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.statusCode = API_ERRORS[code];
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/** JSON schema of the error body, shared by the OpenAPI document. */
export const errorBodySchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
} as const;

/** How registry error codes surface over HTTP (the rest are internal errors). */
const LEAKSTOP_TO_HTTP: Record<string, ApiErrorCode> = {
  LS_USAGE: "LS_BAD_REQUEST",
  LS_KEY_NOT_FOUND: "LS_NOT_FOUND",
  LS_KEY_INVALID: "LS_CONFLICT",
  LS_KEY_STATE: "LS_CONFLICT",
  LS_IDEMPOTENCY_CONFLICT: "LS_UNPROCESSABLE",
  // The first attempt's key exists but cannot be shown again: not a conflict the caller can retry away.
  LS_IDEMPOTENCY_UNSEALABLE: "LS_GONE",
  LS_REDIS_UNREACHABLE: "LS_UNAVAILABLE",
};

/** Fastify's transport-level errors that are the caller's fault. */
const FASTIFY_TO_HTTP: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "LS_PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "LS_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "LS_BAD_REQUEST",
  FST_ERR_CTP_EMPTY_JSON_BODY: "LS_BAD_REQUEST",
  FST_ERR_CTP_INVALID_JSON_BODY: "LS_BAD_REQUEST",
};

/** Fixed messages for transport errors: fastify's own may echo parts of the body. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "the request body is larger than the server accepts",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "the request body must be application/json",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "the Content-Length header does not match the body",
  FST_ERR_CTP_EMPTY_JSON_BODY: "the request body is empty; send a JSON object",
  FST_ERR_CTP_INVALID_JSON_BODY: "the request body is not valid JSON",
};

/** Turns any thrown value into a status code and the one error body. */
export function toApiError(err: unknown): { status: number; body: ApiErrorBody } {
  const make = (code: ApiErrorCode, message: string) => ({
    status: API_ERRORS[code],
    body: { error: { code, message } },
  });
  if (err instanceof ApiError) return make(err.code, err.message);
  const fe = err as Partial<FastifyError>;
  if (fe.code === "FST_ERR_VALIDATION" || fe.validation) return make("LS_BAD_REQUEST", fe.message ?? "invalid request");
  const transport = fe.code ? FASTIFY_TO_HTTP[fe.code] : undefined;
  if (transport && fe.code) return make(transport, FASTIFY_MESSAGES[fe.code] ?? "malformed request");
  if (isRedisConnectionError(err)) return make("LS_UNAVAILABLE", "the registry (Redis) is unreachable; retry later");
  if (isLeakstopError(err)) {
    const mapped = LEAKSTOP_TO_HTTP[err.code] ?? "LS_INTERNAL";
    const message = mapped === "LS_INTERNAL" ? "internal error" : stripUrlCredentials(err.message);
    return make(mapped, message);
  }
  // Any other 4xx fastify raises (e.g. an unsupported method) keeps its status with a generic message.
  if (typeof fe.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: { code: "LS_BAD_REQUEST", message: "malformed request" } } };
  }
  return make("LS_INTERNAL", "internal error");
}

/**
 * Fastify's `frameworkErrors`: errors the router raises before any hook runs (a path
 * that is not valid percent-encoding, a path segment over the length limit). Fastify's
 * own answers quote the whole path, and a key pasted there would come back
 * unauthenticated: these say what is wrong and never repeat the path.
 */
export function frameworkErrorHandler(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const [code, message]: [ApiErrorCode, string] =
    err.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? ["LS_URI_TOO_LONG", "a part of the request path is longer than the API accepts (it is not repeated here)"]
      : err.code === "FST_ERR_BAD_URL"
        ? ["LS_BAD_REQUEST", "the request path is not valid percent-encoding (it is not repeated here)"]
        : ["LS_BAD_REQUEST", "malformed request"];
  const body: ApiErrorBody = { error: { code, message } };
  reply.code(API_ERRORS[code]).header("cache-control", "no-store").type("application/json").send(body);
}

/** Installs the error and not-found handlers on an app. */
export function installErrorHandlers(
  app: FastifyInstance,
  onInternal?: (err: unknown, route: string) => void,
  /** Runs first when the request still has a caller key to check; resolves with the error to answer. */
  settle?: (req: FastifyRequest, err: unknown) => Promise<unknown>,
): void {
  app.setErrorHandler(async (thrown: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const err = settle && req.callerToken !== null ? await settle(req, thrown) : thrown;
    const { status, body } = toApiError(err);
    if (status >= 500 && onInternal) onInternal(err, req.routeOptions.url ?? "unmatched");
    if (status === 401) reply.header("www-authenticate", 'Bearer realm="leakstop"');
    if (err instanceof ApiError && err.retryAfterSeconds !== undefined) {
      reply.header("retry-after", String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
    } else if (status === 503) {
      reply.header("retry-after", "1"); // Redis away: the client reconnects on its own
    }
    return reply.code(status).type("application/json").send(body);
  });
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const body: ApiErrorBody = {
      // The path is not echoed: a caller may have put a key in it by mistake.
      error: { code: "LS_NOT_FOUND", message: `no route for ${req.method} on this path (see GET /openapi.json)` },
    };
    return reply.code(404).type("application/json").send(body);
  });
}
