/** Shared setup of the audit suites: a private redis-server with a registry that has written a chain. */
import { Redis } from "ioredis";
import { AuditLog, Registry } from "../../../src/registry/index.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

export interface AuditFixture {
  server: RedisServer;
  redis: Redis;
  registry: Registry;
  audit: AuditLog;
  close(): Promise<void>;
}

/** Starts a private Redis with a Registry and an AuditLog on it. */
export async function startAudit(): Promise<AuditFixture> {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  return {
    server,
    redis,
    registry: new Registry(redis, { issuer: "lsk" }),
    audit: new AuditLog(redis),
    async close() {
      redis.disconnect();
      await server.dispose();
    },
  };
}

/** Writes `n` audit entries through the registry (create, and every third key revoked). */
export async function writeChain(registry: Registry, n: number, namespace = "t"): Promise<void> {
  let written = 0;
  while (written < n) {
    const { record } = await registry.create({ owner: { id: namespace } }, "fixture");
    written++;
    if (written < n && written % 3 === 0) {
      await registry.revoke(record.id, "fixture", "fixture");
      written++;
    }
  }
}
