/**
 * The audit chain's Lua library (append.lua): a chunk that scripts writing an audit entry prepend
 * to their own text, so the entry is appended in the same atomic script as the change it records.
 * The entry is hashed in node (chain-tip.ts); the script checks the tip and appends.
 */
import { readLua } from "../redis/script.js";

let cached: string | null = null;

/** The library text (read once), ending with a newline; defines `audit_moved` and `audit_append`. */
export function auditLuaLibrary(): string {
  cached ??= `${readLua(new URL("./lua/append.lua", import.meta.url))}\n`;
  return cached;
}
