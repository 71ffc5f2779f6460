/**
 * The one place that opens Redis connections: from REDIS_URL (default
 * redis://127.0.0.1:6379), failing fast with a one-line LS_REDIS_UNREACHABLE
 * error when Redis does not answer within ~2 s. Messages name the host and port
 * only, never the credentials in the URL.
 */
import { Redis, type RedisOptions } from "ioredis";
import { serviceConfig } from "../config/service-config.js";
import { LeakstopError } from "../lib/errors.js";

/** Where Redis is looked for when REDIS_URL is not set. */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** Options of {@link connectRedis}. */
export interface RedisConnectionOptions {
  /** Redis URL (default: REDIS_URL, else redis://127.0.0.1:6379). */
  url?: string;
  /** How long to wait for the first PONG (default 2000 ms). */
  connectTimeoutMs?: number;
  /**
   * How long one command may wait for its answer before it fails (default
   * {@link DEFAULT_COMMAND_TIMEOUT_MS}), so a Redis that stops answering is an error, not a hang.
   * Connections that run blocking commands (BullMQ workers) pass `redisOptions: { commandTimeout: undefined }`.
   */
  commandTimeoutMs?: number;
  /** Extra ioredis options, e.g. `{ maxRetriesPerRequest: null }` for BullMQ. */
  redisOptions?: RedisOptions;
}

/** Default of {@link RedisConnectionOptions.commandTimeoutMs}: far above any registry command's run time. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/**
 * True when ioredis gave up on a command because Redis is not answering (connection closed,
 * refused or reset, retries used up, command timed out), as opposed to an error Redis returned.
 */
export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "MaxRetriesPerRequestError") return true;
  return /^(Connection is closed|Stream isn't writeable|Command timed out)|ECONNREFUSED|ECONNRESET/.test(err.message);
}

/**
 * Runs `task` on a fresh connection and closes it. A connection lost midway becomes the same
 * one-line LS_REDIS_UNREACHABLE error as one that never opened, never a stack trace.
 */
export async function withRedis<T>(task: (redis: Redis) => Promise<T>, opts: RedisConnectionOptions = {}): Promise<T> {
  const redis = await connectRedis(opts);
  try {
    return await task(redis);
  } catch (err) {
    if (!isRedisConnectionError(err)) throw err;
    const where = redactRedisUrl(resolveRedisUrl(opts.url));
    throw new LeakstopError("LS_REDIS_UNREACHABLE", `Redis stopped answering at ${where}`, { cause: err });
  } finally {
    await closeRedis(redis);
  }
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
  const chosen = url ?? serviceConfig().redis.url;
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
    commandTimeout: opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    // Reconnect attempts at most every 500 ms: a Redis that comes back is used again within half a second.
    retryStrategy: (times) => Math.min(times * 100, 500),
    // ioredis waits this long for a closed socket's "close" before exiting; a refused one never sends it.
    disconnectTimeout: 200,
    ...opts.redisOptions,
  });
  const failure = await pingWithin(redis, timeoutMs);
  if (!failure) return redis;
  const secs = Math.round(timeoutMs / 100) / 10;
  const why = describe(failure.lastError ?? failure.cause);
  const detail = why === "no answer" ? `within ${secs} s` : `(${why})`;
  throw new LeakstopError("LS_REDIS_UNREACHABLE", `Redis did not answer at ${redactRedisUrl(url)} ${detail}`, {
    cause: failure.cause,
  });
}

/** What `pingWithin` needs of a client: one Redis or a Cluster, created with lazyConnect. */
interface Connectable {
  connect(): Promise<void>;
  ping(): Promise<string>;
  disconnect(): void;
  on(event: "error", listener: (err: unknown) => void): unknown;
}

/**
 * Connects a lazily created client and waits for PING within timeoutMs. On failure it disconnects the
 * client and says why: the failure itself and the last socket error ioredis reported (a refused
 * connection shows only there). Undefined once PING answered.
 */
export async function pingWithin(
  client: Connectable,
  timeoutMs: number,
): Promise<{ cause: unknown; lastError: unknown } | undefined> {
  // Without a listener ioredis prints every reconnect error; callers see failures through commands instead.
  let lastError: unknown;
  client.on("error", (err) => {
    lastError = err;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
    return undefined;
  } catch (cause) {
    client.disconnect();
    return { cause, lastError };
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
