/**
 * Redis Cluster: the connection and the key-name rule that keeps leakstop's multi-key scripts
 * in one slot. Cluster mode is on when REDIS_URL lists several comma-separated seed nodes
 * (`redis://a:7000,redis://b:7001`) or LEAKSTOP_REDIS_CLUSTER=1 ([redis] cluster = true).
 * In cluster mode every registry and audit key starts with the hash tag `{<namespace>}`: a
 * state change (record + indexes + audit chain, one Lua script) then runs on one node. The
 * price: the registry lives in one slot, so one master holds it (see docs/deploy.md).
 */
import { Cluster, type ClusterNode, type Redis } from "ioredis";
import { serviceConfig } from "../config/service-config.js";
import { LeakstopError } from "../lib/errors.js";
import {
  closeRedis,
  connectRedis,
  isRedisConnectionError,
  pingWithin,
  type RedisConnectionOptions,
  redactRedisUrl,
  withRedis,
} from "./connection.js";

/** A connection to one Redis or to a Cluster: the registry, the audit log and the queues take either. */
export type RedisClient = Redis | Cluster;

/** True for an ioredis Cluster client. */
export function isClusterClient(redis: RedisClient): redis is Cluster {
  return (redis as { isCluster?: boolean }).isCluster === true;
}

/**
 * The prefix of every registry and audit key: the namespace itself on one Redis (names unchanged
 * since 0.1), `{namespace}` on a Cluster so that all of them hash to one slot.
 */
export function keyPrefix(namespace: string, cluster: boolean): string {
  return cluster ? `{${namespace}}` : namespace;
}

/** Seed nodes of a comma-separated REDIS_URL, with the user and password of the first URL that has them. */
export function clusterSeeds(url: string): {
  nodes: ClusterNode[];
  username?: string;
  password?: string;
  tls: boolean;
} {
  const urls = url.split(",").map((u) => new URL(u.trim()));
  const withAuth = urls.find((u) => u.password || u.username);
  return {
    nodes: urls.map((u) => ({ host: u.hostname, port: Number(u.port || 6379) })),
    username: withAuth?.username ? decodeURIComponent(withAuth.username) : undefined,
    password: withAuth?.password ? decodeURIComponent(withAuth.password) : undefined,
    tls: urls.some((u) => u.protocol === "rediss:"),
  };
}

/** Options of {@link connectRedisClient}: those of connectRedis, plus cluster mode. */
export interface RedisClientOptions extends RedisConnectionOptions {
  /** Force cluster mode on or off (default: the service config's redis.cluster, or a URL list). */
  cluster?: boolean;
}

/** Cluster mode: the option, else [redis] cluster / LEAKSTOP_REDIS_CLUSTER, else a URL list. */
function clusterMode(opts: RedisClientOptions): boolean {
  const config = serviceConfig().redis;
  return opts.cluster ?? (config.cluster || (opts.url ?? config.url).includes(","));
}

/**
 * Opens a connection to what the service config names: a Cluster (several URLs or cluster = true)
 * or one Redis; waits for the cluster's slots to be known. LS_REDIS_UNREACHABLE when it does not answer.
 */
export async function connectRedisClient(opts: RedisClientOptions = {}): Promise<RedisClient> {
  const url = opts.url ?? serviceConfig().redis.url;
  if (!clusterMode(opts)) return connectRedis({ ...opts, url });
  const seeds = clusterSeeds(url);
  const timeoutMs = opts.connectTimeoutMs ?? 5000;
  const client = new Cluster(seeds.nodes, {
    lazyConnect: true,
    // BullMQ and the registry send multi-key scripts: a MOVED while slots migrate is retried by ioredis.
    maxRedirections: 16,
    retryDelayOnFailover: 100,
    clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
    // On a Cluster auto-pipelining is the Cluster's own option (it groups commands per node).
    enableAutoPipelining: opts.redisOptions?.enableAutoPipelining === true,
    redisOptions: {
      username: seeds.username,
      password: seeds.password,
      tls: seeds.tls ? {} : undefined,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 2,
      commandTimeout: opts.commandTimeoutMs,
      ...opts.redisOptions,
    },
  });
  const failure = await pingWithin(client, timeoutMs);
  if (!failure) return client;
  const where = url
    .split(",")
    .map((u) => redactRedisUrl(u.trim()))
    .join(",");
  const why =
    failure.lastError instanceof Error && /ECONNREFUSED/.test(failure.lastError.message)
      ? "connection refused"
      : "no answer";
  throw new LeakstopError("LS_REDIS_UNREACHABLE", `Redis Cluster did not answer at ${where} (${why})`, {
    cause: failure.cause,
  });
}

/** Closes a connection of either kind; never throws. */
export async function closeRedisClient(redis: RedisClient): Promise<void> {
  if (!isClusterClient(redis)) return closeRedis(redis);
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/**
 * Runs `task` on a fresh connection of the configured kind (one Redis or a Cluster) and closes it.
 * A connection lost midway becomes a one-line LS_REDIS_UNREACHABLE error, as with withRedis.
 */
export async function withRedisClient<T>(
  task: (redis: RedisClient) => Promise<T>,
  opts: RedisClientOptions = {},
): Promise<T> {
  if (!clusterMode(opts)) return withRedis(task, opts);
  const redis = await connectRedisClient(opts);
  try {
    return await task(redis);
  } catch (err) {
    if (!isRedisConnectionError(err)) throw err;
    throw new LeakstopError("LS_REDIS_UNREACHABLE", "Redis Cluster stopped answering", { cause: err });
  } finally {
    await closeRedisClient(redis);
  }
}
