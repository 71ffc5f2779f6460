import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { closeRedis, connectRedis, redactRedisUrl, resolveRedisUrl, withRedis } from "../../../src/redis/connection.js";
import { freePort, type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

let server: RedisServer;
let silent: Server;
let silentPort = 0;
before(async () => {
  server = await startRedisServer({ password: "s3cret-pw" });
  // Accepts connections and never answers: the "Redis hangs" case.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const addr = silent.address();
  silentPort = typeof addr === "object" && addr ? addr.port : 0;
});
after(async () => {
  silent.close();
  await server.dispose();
});

describe("connectRedis", () => {
  it("connects with the credentials in the URL", async () => {
    const redis = await connectRedis({ url: server.url });
    assert.equal(await redis.ping(), "PONG");
    await closeRedis(redis);
    assert.equal(redis.status, "end");
  });

  it("fails with LS_REDIS_UNREACHABLE, one line, no credentials", async () => {
    const port = await freePort();
    const cases = [
      [`redis://user:s3cret-pw@127.0.0.1:${port}`, /connection refused/],
      [`redis://:wrong-pw@127.0.0.1:${server.port}`, /authentication failed/],
      [`redis://:s3cret-pw@127.0.0.1:${silentPort}`, /within 0\.3 s/],
    ] as const;
    for (const [url, why] of cases) {
      await assert.rejects(connectRedis({ url, connectTimeoutMs: 300 }), (err: Error & { code?: string }) => {
        assert.equal(err.code, "LS_REDIS_UNREACHABLE");
        assert.match(err.message, /^Redis did not answer at redis:\/\/127\.0\.0\.1:\d+ /);
        assert.match(err.message, why);
        assert.ok(!err.message.includes("s3cret") && !err.message.includes("wrong-pw"));
        assert.ok(!err.message.includes("\n"));
        return true;
      });
    }
  });

  it("withRedis turns a Redis that stops answering midway into one LS_REDIS_UNREACHABLE line, not a hang", async () => {
    const pid = server.pid as number;
    const started = Date.now();
    try {
      await assert.rejects(
        withRedis(
          async (redis) => {
            process.kill(pid, "SIGSTOP");
            return redis.get("anything");
          },
          { url: server.url, commandTimeoutMs: 300 },
        ),
        (err: Error & { code?: string }) => {
          assert.equal(err.code, "LS_REDIS_UNREACHABLE");
          assert.match(err.message, /^Redis stopped answering at redis:\/\/127\.0\.0\.1:\d+$/);
          assert.ok(!err.message.includes("s3cret"));
          return true;
        },
      );
    } finally {
      process.kill(pid, "SIGCONT");
    }
    assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
  });

  it("reads REDIS_URL, defaults to 127.0.0.1:6379 and rejects other schemes without echoing them", () => {
    const saved = process.env.REDIS_URL;
    try {
      delete process.env.REDIS_URL;
      assert.equal(resolveRedisUrl(), "redis://127.0.0.1:6379");
      process.env.REDIS_URL = "rediss://h:6380";
      assert.equal(resolveRedisUrl(), "rediss://h:6380");
      assert.throws(
        () => resolveRedisUrl("http://u:tok@host"),
        (err: Error & { code?: string }) => err.code === "LS_CONFIG_INVALID" && !err.message.includes("tok"),
      );
    } finally {
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
    }
    assert.equal(redactRedisUrl("redis://user:pw@host:1/2"), "redis://host:1/2");
  });
});
