/**
 * Redis away: once the server knows (the connection closed, or a command timed out on
 * a Redis that stopped answering), requests get 503 + Retry-After at once instead of
 * each waiting for its own timeout; when Redis is back, the server recovers on its own.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { closeRedis, connectRedis } from "../../../src/redis/connection.js";
import { AuditLog, Registry } from "../../../src/registry/index.js";
import { buildServer } from "../../../src/server/app.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";
import { type Answer, call } from "./harness.js";

/** The server's own command timeout in this suite: a request that waited for it took at least this long. */
const COMMAND_TIMEOUT_MS = 1500;

let redisServer: RedisServer;
let redis: Redis;
let registry: Registry;
let app: FastifyInstance;
let baseUrl: string;
let adminKey: string;

before(async () => {
  redisServer = await startRedisServer({ appendonly: true });
  redis = await connectRedis({ url: redisServer.url, commandTimeoutMs: COMMAND_TIMEOUT_MS });
  registry = new Registry(redis, { issuer: "lsk", auditSigner: null });
  adminKey = (await registry.create({ owner: { id: "ops" }, scopes: ["keys:read", "keys:write"] }, "t")).key;
  app = await buildServer({ registry, audit: new AuditLog(redis), redis, ipRateLimit: null });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
after(async () => {
  await app.close();
  await registry.close().catch(() => undefined);
  await closeRedis(redis);
  await redisServer.dispose();
});

const verify = () => call({ baseUrl }, "POST", "/v1/keys/verify", { key: adminKey, body: { key: adminKey } });

async function timed(request: () => Promise<Answer>): Promise<{ answer: Answer; ms: number }> {
  const t0 = performance.now();
  const answer = await request();
  return { answer, ms: performance.now() - t0 };
}

function assertUnavailable(answer: Answer): void {
  assert.equal(answer.status, 503, answer.text);
  assert.equal(answer.body.error.code, "LS_UNAVAILABLE");
  assert.equal(answer.headers.get("retry-after"), "1");
}

async function untilOk(): Promise<Answer> {
  let last = await verify();
  for (let i = 0; i < 100 && last.status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    last = await verify();
  }
  return last;
}

describe("Redis away", () => {
  it("a killed Redis: 503 + Retry-After without waiting for a timeout, and back to 200 when it returns", async () => {
    assert.equal((await verify()).status, 200);
    await redisServer.kill();
    // The client sees the socket close almost at once; give it that moment.
    await new Promise((r) => setTimeout(r, 100));
    for (const request of [verify, () => call({ baseUrl }, "GET", "/v1/keys", { key: adminKey })]) {
      const { answer, ms } = await timed(request);
      assertUnavailable(answer);
      assert.ok(ms < COMMAND_TIMEOUT_MS / 2, `answered after ${Math.round(ms)} ms: it waited for Redis`);
    }
    const health = await timed(() => call({ baseUrl }, "GET", "/healthz"));
    assert.equal(health.answer.status, 503);
    assert.ok(health.ms < COMMAND_TIMEOUT_MS / 2, `healthz answered after ${Math.round(health.ms)} ms`);

    await redisServer.restart();
    const back = await untilOk();
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.valid, true);
  });

  it("a Redis that stops answering: the first request times out, the next ones fail at once, and it recovers", async () => {
    assert.equal((await untilOk()).status, 200);
    process.kill(redisServer.pid as number, "SIGSTOP");
    try {
      assertUnavailable((await verify()) as Answer);
      const { answer, ms } = await timed(verify);
      assertUnavailable(answer);
      assert.ok(ms < COMMAND_TIMEOUT_MS / 2, `answered after ${Math.round(ms)} ms: it waited for Redis again`);
    } finally {
      process.kill(redisServer.pid as number, "SIGCONT");
    }
    const back = await untilOk();
    assert.equal(back.status, 200, back.text);
  });
});
