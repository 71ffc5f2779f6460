/**
 * The one place that opens Redis connections: from REDIS_URL (default
 * redis://127.0.0.1:6379), failing fast with a one-line LS_REDIS_UNREACHABLE
 * error when Redis does not answer within ~2 s. Messages name the host and port
 * only, never the credentials in the URL.
 */
import { Redis, type RedisOptions } from "ioredis";
import { LeakstopError } from "../lib/errors.js";

/** Where Redis is looked for when REDIS_URL is not set. */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** Options of {@link connectRedis}. */
export interface RedisConnectionOptions {
  /** Redis URL (default: REDIS_URL, else redis://127.0.0.1:6379). */
  url?: string;
  /** How long to wait for the first PONG (default 2000 ms). */
  connectTimeoutMs?: number;
  /** Extra ioredis options, e.g. `{ maxRetriesPerRequest: null }` for BullMQ. */
  redisOptions?: RedisOptions;
}

/** The URL without user name and password, for messages: `redis://host:port/db`. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString().replace(/\/$/, "");
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/WRONGPASS|NOAUTH|invalid password/i.test(msg)) return "authentication failed";
  if (/ECONNREFUSED/.test(msg)) return "connection refused";
  if (/ENOTFOUND|EAI_AGAIN/.test(msg)) return "host not found";
  if (/ENETUNREACH|EHOSTUNREACH/.test(msg)) return "network unreachable";
  return "no answer";
}

/** Resolves the URL to use and checks its scheme (without ever echoing it). */
export function resolveRedisUrl(url?: string): string {
  const chosen = url ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  let scheme = "";
  try {
    scheme = new URL(chosen).protocol;
  } catch {
    scheme = "";
  }
  if (scheme !== "redis:" && scheme !== "rediss:") {
    throw new LeakstopError("LS_CONFIG_INVALID", "REDIS_URL must be a redis:// or rediss:// URL");
  }
  return chosen;
}

/** Opens a connection and waits for PING to answer; throws LS_REDIS_UNREACHABLE otherwise. */
export async function connectRedis(opts: RedisConnectionOptions = {}): Promise<Redis> {
  const url = resolveRedisUrl(opts.url);
  const timeoutMs = opts.connectTimeoutMs ?? 2000;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(times * 100, 2000),
    ...opts.redisOptions,
  });
  // Without a listener ioredis prints every reconnect error; callers see failures through commands instead.
  let lastError: unknown;
  redis.on("error", (err) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
  });
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), timeout]);
    return redis;
  } catch (err) {
    redis.disconnect();
    const secs = Math.round(timeoutMs / 100) / 10;
    const why = describe(lastError ?? err);
    const detail = why === "no answer" ? `within ${secs} s` : `(${why})`;
    throw new LeakstopError("LS_REDIS_UNREACHABLE", `Redis did not answer at ${redactRedisUrl(url)} ${detail}`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a connection politely (QUIT) and waits until the socket is closed; drops it if Redis is gone. Never throws. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  const ended = new Promise<void>((resolve) => redis.once("end", () => resolve()));
  try {
    if (redis.status === "ready") await redis.quit();
    else redis.disconnect();
  } catch {
    redis.disconnect();
  }
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      redis.disconnect();
      resolve();
    }, 1000);
  });
  await Promise.race([ended, giveUp]);
  clearTimeout(timer);
}
