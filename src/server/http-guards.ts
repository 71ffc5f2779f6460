/**
 * Transport-level guards of the HTTP API: a JSON parser that refuses
 * `__proto__`/`constructor` keys naming where they were, 405 (with Allow) for
 * another method on a known path, and a 413 instead of `100 Continue` for a
 * body announced larger than the limit (the client then never sends it, so the
 * connection is not reset under it).
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { ApiError, type ApiErrorBody } from "./errors.js";

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;

/** The path of the first forbidden key in a parsed JSON value (e.g. `metadata.__proto__`), or null. */
export function forbiddenKeyPath(value: unknown, path = ""): string | null {
  if (typeof value !== "object" || value === null) return null;
  for (const key of Object.keys(value)) {
    const here = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) return here;
    const inner = forbiddenKeyPath((value as Record<string, unknown>)[key], here);
    if (inner) return inner;
  }
  return null;
}

/** Replaces the JSON body parser: same errors as fastify's, plus one naming a forbidden key. */
export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "")
      return done(new ApiError("LS_BAD_REQUEST", "the request body is empty; send a JSON object"));
    let parsed: unknown;
    try {
      // JSON.parse makes "__proto__" an own property (it never sets the prototype): safe to inspect.
      parsed = JSON.parse(text);
    } catch {
      return done(new ApiError("LS_BAD_REQUEST", "the request body is not valid JSON"));
    }
    let at: string | null;
    try {
      at = forbiddenKeyPath(parsed);
    } catch {
      // Only a body nested thousands deep overflows the walk: no API body is shaped like that.
      return done(new ApiError("LS_BAD_REQUEST", "the request body is nested too deeply"));
    }
    if (at)
      return done(new ApiError("LS_BAD_REQUEST", `body.${at}: "${at.split(".").at(-1)}" is not allowed as a key`));
    done(null, parsed);
  });
}

/** Records every route's methods; call before routes are registered, then {@link installMethodNotAllowed}. */
export function collectRouteMethods(app: FastifyInstance): Map<string, Set<string>> {
  const routes = new Map<string, Set<string>>();
  app.addHook("onRoute", (opts: RouteOptions) => {
    if ((opts.config as { undocumented?: boolean } | undefined)?.undocumented) return;
    const set = routes.get(opts.url) ?? new Set<string>();
    for (const m of Array.isArray(opts.method) ? opts.method : [opts.method]) set.add(m);
    routes.set(opts.url, set);
  });
  return routes;
}

/** A 405 with `Allow` for each method a known path does not serve (answered before the body is read). */
export function installMethodNotAllowed(app: FastifyInstance, routes: Map<string, Set<string>>): void {
  for (const [url, served] of [...routes]) {
    const missing = METHODS.filter((m) => !served.has(m));
    if (missing.length === 0) continue;
    const allow = [...served].join(", ");
    app.route({
      method: [...missing],
      url,
      config: { access: "public", undocumented: true },
      onRequest: async (request: FastifyRequest, reply) => {
        reply.header("allow", allow);
        throw new ApiError("LS_METHOD_NOT_ALLOWED", `${request.method} is not served here (allowed: ${allow})`);
      },
      handler: async () => undefined,
    });
  }
}

/** Answers `Expect: 100-continue` with 413 when the announced body exceeds `bodyLimit`. */
export function installExpectContinue(app: FastifyInstance, bodyLimit: number): void {
  app.server.on("checkContinue", (req, res) => {
    const length = Number(req.headers["content-length"]);
    if (Number.isFinite(length) && length > bodyLimit) {
      const body: ApiErrorBody = {
        error: { code: "LS_PAYLOAD_TOO_LARGE", message: "the request body is larger than the server accepts" },
      };
      res.writeHead(413, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify(body));
      return;
    }
    res.writeContinue();
    app.server.emit("request", req, res);
  });
}
