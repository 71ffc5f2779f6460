/** Shared setup of the registry suites: a private redis-server, a client, a Registry on a fake clock. */
import { Redis } from "ioredis";
import { AuditLog, Registry } from "../../../src/registry/index.js";
import { type RedisServer, type RedisServerOptions, startRedisServer } from "../../helpers/redis-server.js";

/** A settable clock starting at 2026-01-01T00:00:00Z. */
export class FakeClock {
  ms = Date.parse("2026-01-01T00:00:00.000Z");
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface RegistryFixture {
  server: RedisServer;
  redis: Redis;
  clock: FakeClock;
  registry: Registry;
  audit: AuditLog;
  /** A second client (for races) on the same server. */
  connect(): Redis;
  close(): Promise<void>;
}

/** Starts a redis-server and wires a Registry to it. Call close() in after(). */
export async function startRegistry(opts: RedisServerOptions = {}): Promise<RegistryFixture> {
  const server = await startRedisServer(opts);
  const clients: Redis[] = [];
  const connect = () => {
    const c = new Redis(server.url, { maxRetriesPerRequest: 20, retryStrategy: () => 50 });
    c.on("error", () => {});
    clients.push(c);
    return c;
  };
  const redis = connect();
  const clock = new FakeClock();
  return {
    server,
    redis,
    clock,
    registry: new Registry(redis, { issuer: "lsk", now: clock.now }),
    audit: new AuditLog(redis),
    connect,
    async close() {
      for (const c of clients) c.disconnect();
      await server.dispose();
    },
  };
}
