/**
 * A full dump of Redis after a run of create, rotate, verify and revoke calls
 * holds no plaintext key: not in any value (logical dump), not in the RDB
 * snapshot, not in the AOF, not in any command Redis received (MONITOR).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sha256Hex } from "../../../src/lib/hash.js";
import { type RegistryFixture, startRegistry } from "./fixture.js";

let f: RegistryFixture;
before(async () => {
  // No RDB compression, so a plaintext key would show up byte for byte in dump.rdb.
  f = await startRegistry({ appendonly: true, extraArgs: ["--rdbcompression", "no"] });
});
after(async () => {
  await f.close();
});

async function logicalDump(): Promise<string> {
  const parts: string[] = [];
  let cursor = "0";
  do {
    const [next, names] = await f.redis.scan(cursor, "COUNT", 500);
    cursor = next;
    for (const name of names) {
      parts.push(name);
      const type = await f.redis.type(name);
      if (type === "string") parts.push((await f.redis.get(name)) ?? "");
      else if (type === "hash") parts.push(JSON.stringify(await f.redis.hgetall(name)));
      else if (type === "list") parts.push(...(await f.redis.lrange(name, 0, -1)));
      else if (type === "set") parts.push(...(await f.redis.smembers(name)));
      else if (type === "zset") parts.push(...(await f.redis.zrange(name, "0", "-1")));
      else parts.push(`<${type}>`);
    }
  } while (cursor !== "0");
  return parts.join("\n");
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe("no plaintext key anywhere in Redis", () => {
  it("after create, rotate, verify and revoke", async () => {
    const monitor = await f.connect().monitor();
    const commands: string[] = [];
    monitor.on("monitor", (_time: string, args: string[]) => commands.push(args.join(" ")));

    const keys: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { key, record } = await f.registry.create(
        { owner: { id: `o${i % 4}` }, scopes: ["keys:read"], rateLimit: { limit: 100, windowSeconds: 60 } },
        "t",
      );
      keys.push(key);
      await f.registry.verify(key, { scope: "keys:read" });
      if (i % 3 === 0) {
        const r = await f.registry.rotate(record.id, { overlapSeconds: 60 }, "t");
        keys.push(r.key);
        await f.registry.verify(key);
        await f.registry.verify(r.key);
      }
      if (i % 5 === 0) await f.registry.revoke(record.id, "test", "t");
      if (i % 7 === 0) await f.registry.revokeByHash(sha256Hex(key), "test", "t");
    }
    await f.registry.list({});
    f.clock.advance(120);
    await f.registry.expireDue();
    await f.redis.save();
    monitor.disconnect();

    const dump = await logicalDump();
    const files = filesUnder(f.server.dir).filter((p) => /dump\.rdb$|appendonly|\.aof$/.test(p));
    assert.ok(files.some((p) => p.endsWith("dump.rdb")) && files.some((p) => p.includes("aof")), files.join(","));
    const fileText = files.map((p) => readFileSync(p).toString("latin1")).join("\n");
    assert.ok(commands.length > 50, "MONITOR saw the run");
    for (const key of keys) {
      const body = key.split("_")[2]?.slice(0, 32) ?? key;
      for (const [where, text] of [
        ["logical dump", dump],
        ["RDB/AOF files", fileText],
        ["commands", commands.join("\n")],
      ] as const) {
        assert.ok(!text.includes(body), `${where} contains a key body`);
      }
      assert.ok(dump.includes(sha256Hex(key)), "the hash is what is stored");
    }
  });
});
