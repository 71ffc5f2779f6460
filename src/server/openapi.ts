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
  schema: { body?: JsonSchema; querystring?: JsonSchema; params?: JsonSchema; response?: Record<string, JsonSchema> };
}

const STATUS_TEXT: Record<string, string> = {
  200: "OK",
  201: "Created",
  400: "Malformed request: the message names the field",
  401: "No caller key, or it is not valid",
  403: "The caller key lacks the scope, or may not be used from this address",
  404: "Not found",
  413: "Request body too large",
  429: "Too many requests from this address, or the caller key's rate limit",
  503: "Redis unreachable",
};

/** `/v1/keys/:id` → `/v1/keys/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

/** Path or query parameters from an object schema. */
function parameters(where: "path" | "query", schema?: JsonSchema): unknown[] {
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
  for (const [status, schema] of Object.entries(route.schema.response ?? { 200: {} })) {
    responses[status] = {
      description: STATUS_TEXT[status] ?? "Response",
      ...(Object.keys(schema).length > 0 ? { content: { "application/json": { schema } } } : {}),
    };
  }
  responses["429"] = { description: STATUS_TEXT[429], content: { "application/json": { schema: errorBodySchema } } };
  const op: Record<string, unknown> = {
    summary: route.summary,
    security: route.access === "public" ? [] : [{ leakstopKey: [] }],
    parameters: [...parameters("path", route.schema.params), ...parameters("query", route.schema.querystring)],
    responses,
  };
  if (route.access !== "public" && route.access !== "caller") op.description = `Needs the \`${route.access}\` scope.`;
  if (route.schema.body) {
    op.requestBody = { required: true, content: { "application/json": { schema: route.schema.body } } };
    responses["413"] = { description: STATUS_TEXT[413], content: { "application/json": { schema: errorBodySchema } } };
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
      const config = (opts.config ?? {}) as { access?: RouteAccess; summary?: string };
      for (const method of methods) {
        if (method === "HEAD" || opts.url === undefined) continue;
        this.routes.push({
          method: method.toLowerCase(),
          url: opts.url,
          access: config.access ?? "caller",
          summary: config.summary,
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
  app.get("/openapi.json", { config: { access: "public", summary: "This document" } }, async (_req, reply) => {
    cached ??= JSON.stringify(collector.document(version));
    return reply.type("application/json").send(cached);
  });
}
