/** Shared setup of the audit suites: a private redis-server with a registry that has written a chain. */
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { Redis } from "ioredis";
import { type AuditSigner, auditKeyId } from "../../../src/audit/signing.js";
import { AuditLog, Registry } from "../../../src/registry/index.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

export interface AuditFixture {
  server: RedisServer;
  redis: Redis;
  registry: Registry;
  audit: AuditLog;
  close(): Promise<void>;
}

/** A signer from PEM text (the registry's own loader reads a file). */
export function signerFromPem(pem: string): AuditSigner {
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: auditKeyId(publicKey),
    publicKey,
    sign: (text) => sign(null, Buffer.from(text), privateKey).toString("base64"),
  };
}

/** Starts a private Redis with a Registry (signing with `signer`, default none) and an AuditLog on it. */
export async function startAudit(opts: { signer?: AuditSigner | null } = {}): Promise<AuditFixture> {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  return {
    server,
    redis,
    registry: new Registry(redis, { issuer: "lsk", auditSigner: opts.signer ?? null }),
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
