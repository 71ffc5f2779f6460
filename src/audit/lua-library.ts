/**
 * The audit chain's Lua library (sha256.lua + append.lua): chunks that scripts
 * writing an audit entry prepend to their own text, so the entry is appended in
 * the same atomic script as the change it records.
 */
import { readLua } from "../redis/script.js";

let cached: string | null = null;

/** The library text (read once), ending with a newline; defines `sha256hex` and `audit_append`. */
export function auditLuaLibrary(): string {
  cached ??= `${readLua(new URL("./lua/sha256.lua", import.meta.url))}\n${readLua(new URL("./lua/append.lua", import.meta.url))}\n`;
  return cached;
}
