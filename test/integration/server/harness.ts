/**
 * Test harness for the HTTP API: a private redis-server, the real registry on it,
 * the real fastify app listening on 127.0.0.1:0, and small fetch helpers.
 */
import { Redis } from "ioredis";
import { AuditLog, Registry, type RegistryOptions, ROLE_SCOPES, type Role } from "../../../src/registry/index.js";
import { buildServer, type ServerOptions } from "../../../src/server/app.js";
import { type RedisServer, type RedisServerOptions, startRedisServer } from "../../helpers/redis-server.js";

/** A running API with its Redis and a bootstrap admin key. */
export interface Harness {
  baseUrl: string;
  redisServer: RedisServer;
  redis: Redis;
  registry: Registry;
  adminKey: string;
  /** Issues a key with a role preset directly in the registry (not over HTTP). */
  keyWithRole(
    role: Role | null,
    extra?: { cidrs?: string[]; manages?: string[] },
  ): Promise<{ key: string; id: string }>;
  close(): Promise<void>;
}

/** A parsed HTTP answer. */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
  text: string;
}

/**
 * Starts everything; `opts` override server options (rate limit, body limit, ...);
 * `now` is the registry's clock, so tests can move time instead of waiting.
 */
export async function startHarness(
  opts: Partial<ServerOptions> = {},
  now?: () => number,
  redisOptions: RedisServerOptions = {},
  registryOptions: RegistryOptions = {},
): Promise<Harness> {
  const redisServer = await startRedisServer(redisOptions);
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, lazyConnect: false });
  // Tests stop Redis on purpose; the health route reports it, ioredis need not print it.
  redis.on("error", () => {});
  const registry = new Registry(redis, { ...registryOptions, ...(now ? { now } : {}) });
  const audit = new AuditLog(redis);
  const app = await buildServer({ registry, audit, redis, ipRateLimit: null, ...opts });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const keyWithRole = async (role: Role | null, extra: { cidrs?: string[]; manages?: string[] } = {}) => {
    const scopes = role ? ROLE_SCOPES[role] : [];
    const { key, record } = await registry.create({ owner: { id: "test-ops" }, scopes, ...extra }, "test");
    return { key, id: record.id };
  };
  const admin = await keyWithRole("admin");
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    redisServer,
    redis,
    registry,
    adminKey: admin.key,
    keyWithRole,
    async close() {
      await app.close();
      redis.disconnect();
      await redisServer.dispose();
    },
  };
}

/** Sends a request; `body` objects are JSON-encoded, strings are sent as they are. */
export async function call(
  h: Pick<Harness, "baseUrl">,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${h.baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
