/**
 * The idempotency record and the change are one Lua script: whatever happens
 * between the change and its reply (the connection drops, the process is killed
 * with SIGKILL), a retry with the same idempotency key gets the first outcome (the
 * same new key) and nothing is applied twice. A proxy between client and Redis
 * loses the reply of exactly the script that carries the idempotency record.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { Registry } from "../../../src/registry/index.js";
import { createSealer } from "../../../src/registry/seal.js";
import { type RedisServer, startRedisServer } from "../../helpers/redis-server.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const SEAL_HEX = randomBytes(32).toString("hex");
const sealer = () => createSealer(Buffer.from(SEAL_HEX, "hex"), true);

/** What the proxy does when a client sends a command holding `marker`. */
type Trap = { marker: string; onReply: () => void } | null;

/** A TCP proxy to Redis that can swallow the reply of one marked command and hang up instead. */
async function startProxy(redisPort: number): Promise<{ port: number; arm(t: Trap): void; close(): Promise<void> }> {
  let trap: Trap = null;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(redisPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    let swallow = false;
    client.on("data", (d) => {
      if (trap && d.includes(trap.marker)) swallow = true;
      upstream.write(d);
    });
    upstream.on("data", (d) => {
      if (!swallow) return void client.write(d);
      // The script ran in Redis; its reply never reaches the client.
      const t = trap;
      trap = null;
      swallow = false;
      client.destroy();
      upstream.destroy();
      t?.onReply();
    });
    for (const s of [client, upstream]) {
      s.on("error", () => undefined);
      s.on("close", () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    arm: (t) => {
      trap = t;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The Redis key name of an idempotency record (what the proxy watches for). */
const idemName = (actor: string, idemKey: string) => `leakstop:idem:${sha256(`${actor}\n${idemKey}`)}`;

describe("idempotency record and change in one script", () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let registry: Registry;
  let proxy: Awaited<ReturnType<typeof startProxy>>;

  before(async () => {
    redisServer = await startRedisServer({ appendonly: true, appendfsync: "always" });
    redis = new Redis(redisServer.url);
    registry = new Registry(redis, { issuer: "lsk", auditSigner: null, sealer: sealer() });
    proxy = await startProxy(redisServer.port);
  });
  after(async () => {
    await proxy?.close();
    redis?.disconnect();
    await redisServer?.dispose();
  });

  /** A registry whose connection goes through the proxy and gives up at once (no resend on reconnect). */
  async function proxiedRegistry(): Promise<{ registry: Registry; close(): void }> {
    const client = new Redis(proxy.port, "127.0.0.1", {
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: () => null,
    });
    client.on("error", () => undefined);
    const r = new Registry(client, { issuer: "lsk", auditSigner: null, sealer: sealer() });
    // Load the scripts into Redis first, so the trapped call runs EVALSHA once (no NOSCRIPT round).
    const warm = await r.create({ owner: { id: "warm-up" } }, "warm", { idempotencyKey: `warm-${Math.random()}` });
    await r.rotate(warm.record.id, { overlapSeconds: 0, idempotencyKey: `warm-${Math.random()}` }, "warm");
    return { registry: r, close: () => client.disconnect() };
  }

  async function auditActions(keyId: string): Promise<string[]> {
    return (await redis.lrange("leakstop:audit:log", 0, -1))
      .map((raw) => JSON.parse(raw))
      .filter((e) => e.keyId === keyId)
      .map((e) => e.action);
  }

  it("a create whose reply was lost to a dropped connection: the retry gets the same key, one key exists", async () => {
    const p = await proxiedRegistry();
    proxy.arm({ marker: idemName("alice", "c-1"), onReply: () => undefined });
    await assert.rejects(p.registry.create({ owner: { id: "drop-create" } }, "alice", { idempotencyKey: "c-1" }));
    p.close();
    const applied = (await registry.list({ owner: "drop-create" })).items;
    assert.equal(applied.length, 1, "the change was applied although the client saw an error");
    const retry = await registry.create({ owner: { id: "drop-create" } }, "alice", { idempotencyKey: "c-1" });
    assert.equal(retry.record.id, applied[0]?.id);
    assert.equal(sha256(retry.key), retry.record.keyHash, "the retry shows the key that was created");
    assert.equal((await registry.list({ owner: "drop-create" })).items.length, 1);
    assert.deepEqual(await auditActions(retry.record.id), ["key.create"]);
  });

  it("a rotation whose reply was lost to a dropped connection: the retry gets the same successor", async () => {
    const { record: old } = await registry.create({ owner: { id: "drop-rotate" } }, "test");
    const p = await proxiedRegistry();
    proxy.arm({ marker: idemName("alice", "r-1"), onReply: () => undefined });
    await assert.rejects(p.registry.rotate(old.id, { overlapSeconds: 60, idempotencyKey: "r-1" }, "alice"));
    p.close();
    const successorId = (await registry.get(old.id))?.rotatedTo;
    assert.ok(successorId, "the rotation was applied");
    const retry = await registry.rotate(old.id, { overlapSeconds: 60, idempotencyKey: "r-1" }, "alice");
    assert.equal(retry.record.id, successorId);
    assert.equal(sha256(retry.key), retry.record.keyHash);
    assert.equal((await registry.verify(retry.key)).valid, true);
    assert.deepEqual(await auditActions(old.id), ["key.create", "key.rotate"], "rotated once");
  });

  it("a rotation refused the first time is refused the same way on retry (the refusal is stored too)", async () => {
    const { record: other } = await registry.create({ owner: { id: "refused" } }, "test");
    await registry.rotate(other.id, { overlapSeconds: 0 }, "test");
    await assert.rejects(
      registry.rotate(other.id, { overlapSeconds: 0, idempotencyKey: "again" }, "bob"),
      /already rotated/,
    );
    assert.equal(await redis.hget(idemName("bob", "again"), "outcome"), '[0,"rotated"]');
    await assert.rejects(
      registry.rotate(other.id, { overlapSeconds: 0, idempotencyKey: "again" }, "bob"),
      /already rotated/,
    );
  });

  /** Runs an idempotent rotation in a child process that connects through the proxy. */
  function rotateInChild(id: string, idemKey: string): ChildProcess {
    const registryModule = fileURLToPath(new URL("../../../src/registry/index.js", import.meta.url));
    const code = `
      const { Redis } = await import("ioredis");
      const { Registry } = await import(${JSON.stringify(registryModule)});
      const redis = new Redis(${proxy.port}, "127.0.0.1");
      const registry = new Registry(redis, { issuer: "lsk", auditSigner: null });
      await registry.rotate(${JSON.stringify(id)}, { overlapSeconds: 60, idempotencyKey: ${JSON.stringify(idemKey)} }, "carol");
      process.stdout.write("replied\\n");
      process.exit(0);`;
    return spawn(process.execPath, ["--input-type=module", "-e", code], {
      cwd: fileURLToPath(new URL("../../../../", import.meta.url)),
      env: { ...process.env, LEAKSTOP_SEAL_KEY: SEAL_HEX },
      stdio: ["ignore", "pipe", "inherit"],
    });
  }

  it("a process killed (SIGKILL) after the rotation ran and before its reply: the retry gets the same successor", async () => {
    const { record: old } = await registry.create({ owner: { id: "kill-rotate" } }, "test");
    // The child's first call loads the script with EVAL after a NOSCRIPT; trap the marked command either way.
    await registry.rotate(
      (await registry.create({ owner: { id: "w" } }, "t")).record.id,
      { overlapSeconds: 0, idempotencyKey: "w" },
      "w",
    );
    let child: ChildProcess | undefined;
    const killed = new Promise<NodeJS.Signals | null>((resolve) => {
      proxy.arm({
        marker: idemName("carol", "k-1"),
        onReply: () => {
          child?.once("exit", (_code, signal) => resolve(signal));
          child?.kill("SIGKILL");
        },
      });
    });
    child = rotateInChild(old.id, "k-1");
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    assert.equal(await killed, "SIGKILL");
    assert.equal(out, "", "the child never saw its reply");
    const successorId = (await registry.get(old.id))?.rotatedTo;
    assert.ok(successorId, "the rotation was applied before the kill");
    const retry = await registry.rotate(old.id, { overlapSeconds: 60, idempotencyKey: "k-1" }, "carol");
    assert.equal(retry.record.id, successorId);
    assert.equal(sha256(retry.key), retry.record.keyHash);
    assert.deepEqual(await auditActions(old.id), ["key.create", "key.rotate"]);
  });
});
