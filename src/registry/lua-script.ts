/**
 * Loads the registry's Lua scripts and runs them with EVALSHA, falling back to
 * EVAL when Redis does not know the script yet (first call, or after a restart
 * flushed its script cache).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";

/** Reads a .lua file: next to the compiled module if copied there, else from the source tree (tsc does not copy). */
function readLua(dir: "registry" | "audit", name: string): string {
  const candidates = [
    new URL(`../${dir}/lua/${name}.lua`, import.meta.url),
    new URL(`../../../src/${dir}/lua/${name}.lua`, import.meta.url),
  ];
  for (const url of candidates) {
    try {
      return readFileSync(url, "utf8");
    } catch {
      // try the next location
    }
  }
  throw new Error(`Lua script ${dir}/lua/${name}.lua not found`);
}

/** One script (its text already prefixed with any library chunks it needs). */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  /** Runs the script; keys are the declared KEYS, args the ARGV. */
  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

const AUDIT_LIBRARY = () => `${readLua("audit", "sha256")}\n${readLua("audit", "append")}\n`;

/** The registry's scripts, loaded once per process. */
export interface RegistryScripts {
  create: LuaScript;
  /** create.lua behind a check that no active admin key exists (admin-absent.lua). */
  bootstrapAdmin: LuaScript;
  rotate: LuaScript;
  revoke: LuaScript;
  expire: LuaScript;
  verify: LuaScript;
  usage: LuaScript;
}

let cached: RegistryScripts | null = null;

/** Loads (once) every registry script; those that append to the audit chain carry its library. */
export function registryScripts(): RegistryScripts {
  if (cached) return cached;
  const lib = AUDIT_LIBRARY();
  cached = {
    create: new LuaScript("create", lib + readLua("registry", "create")),
    bootstrapAdmin: new LuaScript(
      "bootstrap-admin",
      `${lib}do\n${readLua("registry", "admin-absent")}\nend\n${readLua("registry", "create")}`,
    ),
    rotate: new LuaScript("rotate", lib + readLua("registry", "rotate")),
    revoke: new LuaScript("revoke", lib + readLua("registry", "revoke")),
    expire: new LuaScript("expire", lib + readLua("registry", "expire")),
    verify: new LuaScript("verify", readLua("registry", "verify")),
    usage: new LuaScript("usage", readLua("registry", "usage")),
  };
  return cached;
}
