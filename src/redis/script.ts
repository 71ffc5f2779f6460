/**
 * Lua scripts registered once per connection with ioredis `defineCommand`: ioredis
 * runs them with EVALSHA and falls back to EVAL when Redis has not seen the script
 * (first call, restart, SCRIPT FLUSH), on a single node and on a Cluster alike.
 * The .lua files ship in the package: the build copies src/**\/lua/*.lua next to
 * the compiled modules (scripts/copy-lua.mjs), so they are read from dist/ only.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Cluster, Redis } from "ioredis";
import { LeakstopError } from "../lib/errors.js";

/** A connection scripts can be defined on: one node or a Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Reads a .lua file that ships next to the compiled module, e.g.
 * `readLua(new URL("./lua/create.lua", import.meta.url))`.
 */
export function readLua(url: URL): string {
  try {
    return readFileSync(url, "utf8");
  } catch (err) {
    const name = url.pathname.split("/").slice(-3).join("/");
    throw new LeakstopError("LS_INTERNAL", `Lua script ${name} is missing from the build (run npm run build)`, {
      cause: err,
    });
  }
}

type ScriptCommand = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/** Which command names each connection already has, and the script text behind each. */
const defined = new WeakMap<RedisClient, Map<string, string>>();

/** One Lua script (its text already prefixed with any library chunks it needs). */
export class RedisScript {
  /** The ioredis command name it is registered under (`ls` + the name in camel case). */
  readonly command: string;
  /** SHA-1 of the text, for EVALSHA inside a pipeline (a NOSCRIPT there is retried with {@link run}). */
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
    this.command = `ls${name.replace(/(^|[-_:])(\w)/g, (_m, _sep, c: string) => c.toUpperCase())}`;
  }

  /** Runs the script on `redis` (registering it there on first use); `keys` are KEYS, `args` ARGV. */
  run(redis: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    let commands = defined.get(redis);
    if (!commands) {
      commands = new Map();
      defined.set(redis, commands);
    }
    const known = commands.get(this.command);
    if (known === undefined) {
      redis.defineCommand(this.command, { lua: this.source });
      commands.set(this.command, this.source);
    } else if (known !== this.source) {
      // Two different scripts under one name would silently run the wrong one.
      throw new LeakstopError("LS_INTERNAL", `two Lua scripts share the command name ${this.command}`);
    }
    const command = (redis as unknown as Record<string, ScriptCommand>)[this.command];
    return command.call(redis, keys.length, ...keys, ...args);
  }
}
