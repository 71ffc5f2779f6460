/**
 * The OpenAPI 3.1 document (GET /openapi.json), built from the routes as they
 * are registered: the same JSON schemas that validate requests describe them, so
 * the document cannot drift from what the server does.
 */
import type { FastifyInstance, RouteOptions } from "fastify";
import type { RouteAccess } from "./auth.js";
import { errorBodySchema } from "./errors.js";

type JsonSchema = Record<string, unknown>;

interface CollectedRoute {
  method: string;
  url: string;
  access: RouteAccess;
  summary?: string;
  okContent?: Record<string, unknown>;
  schema: {
    body?: JsonSchema;
    querystring?: JsonSchema;
    params?: JsonSchema;
    headers?: JsonSchema;
    response?: Record<string, JsonSchema>;
  };
}

const STATUS_TEXT: Record<string, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted: queued (or already queued earlier)",
  400: "Malformed request: the message names the field",
  401: "No caller key, or it is not valid",
  403: "The caller key lacks the scope, or may not be used from this address",
  404: "Not found",
  409: "The key's state forbids the change (already rotated, revoked or expired)",
  413: "Request body too large",
  415: "The request body is not application/json",
  422: "The Idempotency-Key was already used for a different request",
  429: "Too many requests from this address, or the caller key's rate limit",
  503: "Redis unreachable",
};

/** `/v1/keys/:id` → `/v1/keys/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

/** Path or query parameters from an object schema. */
function parameters(where: "path" | "query" | "header", schema?: JsonSchema): unknown[] {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: s,
    ...(typeof s.description === "string" ? { description: s.description } : {}),
  }));
}

function operation(route: CollectedRoute): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  const declared = route.schema.response ?? {};
  const statuses = route.okContent && !declared[200] && !declared[201] ? { 200: {}, ...declared } : declared;
  for (const [status, schema] of Object.entries(Object.keys(statuses).length > 0 ? statuses : { 200: {} })) {
    responses[status] = {
      description: STATUS_TEXT[status] ?? "Response",
      ...(Object.keys(schema).length > 0 ? { content: { "application/json": { schema } } } : {}),
      ...(status === "200" && route.okContent ? { content: route.okContent } : {}),
    };
  }
  responses["429"] = { description: STATUS_TEXT[429], content: { "application/json": { schema: errorBodySchema } } };
  const op: Record<string, unknown> = {
    summary: route.summary,
    security: route.access === "public" ? [] : [{ leakstopKey: [] }],
    parameters: [
      ...parameters("path", route.schema.params),
      ...parameters("query", route.schema.querystring),
      ...parameters("header", route.schema.headers),
    ],
    responses,
  };
  if (route.access !== "public" && route.access !== "caller") op.description = `Needs the \`${route.access}\` scope.`;
  if (route.schema.body) {
    // A body whose fields are all optional may be left out (it reads as {}).
    const required = Array.isArray(route.schema.body.required) && route.schema.body.required.length > 0;
    op.requestBody = { required, content: { "application/json": { schema: route.schema.body } } };
    for (const status of ["413", "415"]) {
      responses[status] = {
        description: STATUS_TEXT[status],
        content: { "application/json": { schema: errorBodySchema } },
      };
    }
  }
  return op;
}

/** Collects routes as they are added and renders the document. */
export class OpenApiCollector {
  private readonly routes: CollectedRoute[] = [];

  /** Must be attached before the routes are registered. */
  attach(app: FastifyInstance): void {
    app.addHook("onRoute", (opts: RouteOptions) => {
      const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
      const config = (opts.config ?? {}) as {
        access?: RouteAccess;
        summary?: string;
        okContent?: Record<string, unknown>;
        undocumented?: boolean;
      };
      if (config.undocumented) return;
      for (const method of methods) {
        if (method === "HEAD" || opts.url === undefined) continue;
        this.routes.push({
          method: method.toLowerCase(),
          url: opts.url,
          access: config.access ?? "caller",
          summary: config.summary,
          ...(config.okContent ? { okContent: config.okContent } : {}),
          schema: (opts.schema ?? {}) as CollectedRoute["schema"],
        });
      }
    });
  }

  /** The OpenAPI 3.1 document of every collected route. */
  document(version: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const path = openApiPath(route.url);
      paths[path] ??= {};
      paths[path][route.method] = operation(route);
    }
    return {
      openapi: "3.1.0",
      info: {
        title: "leakstop",
        version,
        description:
          "Key registry admin API and verify endpoint. Callers authenticate with a leakstop key " +
          "(Authorization: Bearer <key>); its scopes decide what they may do. Errors are {error:{code,message}}.",
      },
      paths,
      components: {
        securitySchemes: { leakstopKey: { type: "http", scheme: "bearer", description: "a leakstop key" } },
        schemas: { Error: errorBodySchema },
      },
    };
  }
}

/** Registers GET /openapi.json (public). */
export function registerOpenApiRoute(app: FastifyInstance, collector: OpenApiCollector, version: string): void {
  let cached: string | null = null;
  const config = {
    access: "public" as const,
    summary: "This document",
    okContent: { "application/json": { schema: { type: "object" } } },
  };
  app.get("/openapi.json", { config }, async (_req, reply) => {
    cached ??= JSON.stringify(collector.document(version));
    return reply.type("application/json").send(cached);
  });
}
