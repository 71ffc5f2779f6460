/** Everything a test Redis holds, as text: key names and values, and its files on disk (the AOF). */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";

/** Every file under dir, concatenated (Redis 7 keeps a multi-part AOF in appendonlydir/). */
export function readTree(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((p) => (statSync(p).isDirectory() ? readTree(p) : readFileSync(p, "latin1")))
    .join("\n");
}

/** Every key name and value in the database, as one text. */
export async function dumpRedis(redis: Redis): Promise<string> {
  const stored: string[] = [];
  for (const name of await redis.keys("*")) {
    stored.push(name);
    const type = await redis.type(name);
    if (type === "string") stored.push((await redis.get(name)) ?? "");
    else if (type === "hash") stored.push(JSON.stringify(await redis.hgetall(name)));
    else if (type === "list") stored.push((await redis.lrange(name, 0, -1)).join("\n"));
    else if (type === "set") stored.push((await redis.smembers(name)).join("\n"));
    else if (type === "zset") stored.push((await redis.zrange(name, "0", "-1")).join("\n"));
  }
  return stored.join("\n");
}
