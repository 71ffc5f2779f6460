/**
 * Shared setup of the notify suites: a private redis-server, the pipeline's queues under a fresh
 * namespace, BullMQ workers running our processors, and a webhook receiver on 127.0.0.1 whose
 * answers the test scripts (e.g. 500, 500, then 200).
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Processor, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import {
  type DeadLetterJob,
  JOB_SCHEMA_VERSION,
  type NotifyJob,
  type ProviderRevokeJob,
} from "../../../src/queue/jobs.js";
import { DEAD_LETTER_QUEUE, NOTIFY_QUEUE, PROVIDER_REVOKE_QUEUE, queuePrefix } from "../../../src/queue/names.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

export interface PipelineFixture {
  server: RedisServer;
  redis: Redis;
  namespace: string;
  prefix: string;
  notify: Queue<NotifyJob>;
  deadLetters: Queue<DeadLetterJob>;
  providerRevoke: Queue<ProviderRevokeJob>;
  /** Starts a worker on `queue` with `processor` (closed by close()). */
  work<T>(queue: string, processor: Processor<T>): Worker<T>;
  close(): Promise<void>;
}

let counter = 0;

export async function startPipeline(): Promise<PipelineFixture> {
  const server = await startRedisServer();
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const namespace = `t${process.pid}x${counter++}`;
  const prefix = queuePrefix(namespace);
  const mk = <T>(name: string) => new Queue<T>(name, { connection: redis, prefix });
  const workers: Worker[] = [];
  const queues = [
    mk<NotifyJob>(NOTIFY_QUEUE),
    mk<DeadLetterJob>(DEAD_LETTER_QUEUE),
    mk<ProviderRevokeJob>(PROVIDER_REVOKE_QUEUE),
  ] as const;
  return {
    server,
    redis,
    namespace,
    prefix,
    notify: queues[0],
    deadLetters: queues[1],
    providerRevoke: queues[2],
    work<T>(queue: string, processor: Processor<T>) {
      const w = new Worker<T>(queue, processor, {
        // Options, not an instance: the worker then owns its connections and close() ends them.
        connection: { host: "127.0.0.1", port: server.port, maxRetriesPerRequest: null },
        prefix,
        // Fast polling of delayed retries in tests.
        drainDelay: 1,
      });
      w.on("error", () => {});
      workers.push(w as Worker);
      return w;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(queues.map((q) => q.close()));
      redis.disconnect();
      await server.dispose();
    },
  };
}

/** One request the receiver saw. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Status for the n-th request (0-based); may be changed while running. */
  plan: (n: number) => number;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 answering `plan(n)` to the n-th request. */
export async function startReceiver(plan: (n: number) => number): Promise<Receiver> {
  const received: Received[] = [];
  const state: Receiver = { url: "", port: 0, received, plan, close: async () => {} };
  const srv: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = state.plan(received.length);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "nope");
    });
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  state.port = (srv.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}/hooks/leakstop?token=query-secret-123`;
  state.close = () =>
    new Promise<void>((r) => {
      srv.closeAllConnections();
      srv.close(() => r());
    });
  return state;
}

/** Polls `check` every 20 ms until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A NotifyJob about an own key, with the given channel and target. */
export function sampleNotify(eventId: string, channel: NotifyJob["channel"], to: string): NotifyJob {
  return {
    v: JOB_SCHEMA_VERSION,
    kind: "key-revoked",
    eventId,
    channel,
    to,
    keyId: "key_7f3a9c",
    hint: "lsk_live_…9Qx2",
    ownerId: "owner_acme",
    ruleId: "leakstop-key",
    provider: "leakstop",
    location: {
      source: "history",
      path: "config/prod.env",
      startLine: 3,
      startColumn: 12,
      commit: "0123456789abcdef0123",
      repository: "acme/api",
    },
    detectedAt: "2026-12-06T10:00:00.000Z",
    actedAt: "2026-12-06T10:00:00.050Z",
    action: "revoked",
  };
}
