/**
 * The registry's Lua scripts, registered on each connection with ioredis
 * `defineCommand` (src/redis/script.ts). Scripts that change a key's state carry
 * the audit library, so the change and its audit entry are one atomic script.
 */
import { auditLuaLibrary } from "../audit/lua-library.js";
import { RedisScript, readLua } from "../redis/script.js";

/** A registry .lua file, read from next to this compiled module. */
function registryLua(name: string): string {
  return readLua(new URL(`./lua/${name}.lua`, import.meta.url));
}

/** The registry's scripts, loaded once per process. */
export interface RegistryScripts {
  create: RedisScript;
  /** create.lua behind a check that no active admin key exists (admin-absent.lua). */
  bootstrapAdmin: RedisScript;
  rotate: RedisScript;
  revoke: RedisScript;
  expire: RedisScript;
  verify: RedisScript;
  /** The caller's key and the key it asks about in one script (POST /v1/keys/verify). */
  verifyPair: RedisScript;
  usage: RedisScript;
  /** Some fields of many keys' records in one call (lookup-many.lua). */
  lookupMany: RedisScript;
  /** The same changes with an idempotency record written in the same script (idem-begin/-end.lua). */
  idempotent: { create: RedisScript; bootstrapAdmin: RedisScript; rotate: RedisScript; revoke: RedisScript };
}

let cached: RegistryScripts | null = null;

/** Loads (once) every registry script; those that append to the audit chain carry its library. */
export function registryScripts(): RegistryScripts {
  if (cached) return cached;
  const lib = auditLuaLibrary();
  const verifyKey = registryLua("verify-key");
  const bootstrap = `do\n${registryLua("admin-absent")}\nend\n${registryLua("create")}`;
  const idem = (name: string, body: string) =>
    new RedisScript(`registry-${name}-idem`, `${lib}${registryLua("idem-begin")}${body}\n${registryLua("idem-end")}`);
  cached = {
    create: new RedisScript("registry-create", lib + registryLua("create")),
    bootstrapAdmin: new RedisScript("registry-bootstrap-admin", lib + bootstrap),
    rotate: new RedisScript("registry-rotate", lib + registryLua("rotate")),
    revoke: new RedisScript("registry-revoke", lib + registryLua("revoke")),
    expire: new RedisScript("registry-expire", lib + registryLua("expire")),
    verify: new RedisScript("registry-verify", `${verifyKey}\n${registryLua("verify")}`),
    verifyPair: new RedisScript("registry-verify-pair", `${verifyKey}\n${registryLua("verify-pair")}`),
    usage: new RedisScript("registry-usage", registryLua("usage")),
    lookupMany: new RedisScript("registry-lookup-many", registryLua("lookup-many")),
    idempotent: {
      create: idem("create", registryLua("create")),
      bootstrapAdmin: idem("bootstrap-admin", bootstrap),
      rotate: idem("rotate", registryLua("rotate")),
      revoke: idem("revoke", registryLua("revoke")),
    },
  };
  return cached;
}
