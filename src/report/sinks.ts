/** Where jobs are delivered: BullMQ on Redis directly, or the server's POST /v1/findings. */
import type { EnqueueResult } from "../queue/findings-queue.js";
import type { FindingJob } from "../queue/jobs.js";
import { closeRedisClient, connectRedisClient, type RedisClient } from "../redis/cluster.js";
import { DEFAULT_REDIS_URL, isRedisConnectionError, redactRedisUrl } from "../redis/connection.js";
import type { ReportOptions } from "./options.js";
import { MAX_FINDINGS_PER_REQUEST, postFindings, Unreachable } from "./server-client.js";

/** An open delivery target. `send` throws {@link Unreachable} when the target stops answering. */
export interface Sink {
  /** Where, for messages (no credentials). */
  readonly where: string;
  send(jobs: FindingJob[]): Promise<EnqueueResult>;
  close(): Promise<void>;
}

/** How long the producer waits for Redis before spooling (the scan itself is done by then). */
const REDIS_CONNECT_MS = 2500;

function serverSink(url: string, token: string): Sink {
  return {
    where: `the server ${url}`,
    async send(jobs) {
      const total = { added: 0, duplicates: 0 };
      for (let i = 0; i < jobs.length; i += MAX_FINDINGS_PER_REQUEST) {
        const r = await postFindings(url, token, jobs.slice(i, i + MAX_FINDINGS_PER_REQUEST));
        total.added += r.added;
        total.duplicates += r.duplicates;
      }
      return total;
    },
    close: async () => undefined,
  };
}

async function redisSink(opts: ReportOptions): Promise<Sink> {
  const where = redisWhere(opts.redisUrl);
  let redis: RedisClient;
  try {
    // One Redis, or a Cluster when REDIS_URL lists several nodes or LEAKSTOP_REDIS_CLUSTER=1.
    redis = await connectRedisClient({ url: opts.redisUrl, connectTimeoutMs: REDIS_CONNECT_MS });
  } catch (err) {
    if ((err as { code?: string }).code === "LS_REDIS_UNREACHABLE") throw new Unreachable((err as Error).message);
    throw err;
  }
  // BullMQ is loaded only now: a scan without --report never reaches this file.
  const { enqueueFindings } = await import("../queue/findings-queue.js");
  return {
    where,
    async send(jobs) {
      try {
        return await enqueueFindings(redis, opts.namespace, jobs);
      } catch (err) {
        if (isRedisConnectionError(err)) throw new Unreachable(`${where} stopped answering`);
        throw err;
      }
    },
    close: () => closeRedisClient(redis),
  };
}

/** Opens the target the options name: the server when set, else Redis. Throws Unreachable. */
export async function openSink(opts: ReportOptions): Promise<Sink> {
  if (opts.server) return serverSink(opts.server.url, opts.server.token);
  return redisSink(opts);
}

/** A description of the target for the spool warning. */
export function targetName(opts: ReportOptions): string {
  if (opts.server) return `the server ${opts.server.url}`;
  return redisWhere(opts.redisUrl);
}

/** "Redis at redis://host:port" (each node of a cluster list), without credentials. */
function redisWhere(url: string | undefined): string {
  const text = url ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  return `Redis at ${text
    .split(",")
    .map((u) => redactRedisUrl(u.trim()))
    .join(",")}`;
}
