import { createRequire } from "node:module";

// node:crypto loads on the first hash: a scan that finds nothing never needs it (~4 ms of start-up).
let crypto: typeof import("node:crypto") | undefined;

/**
 * Loads node:crypto now rather than at the first hash: a scan thread that is about to change V8's
 * flags (scan/tiering.ts) loads it under node's own, so that node's code cache for it is taken.
 */
export function loadHashing(): typeof import("node:crypto") {
  crypto ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return crypto;
}

/** SHA-256 hex of a string (UTF-8). The only form in which a secret is kept. */
export function sha256Hex(text: string | Buffer): string {
  const c = loadHashing();
  // One-shot crypto.hash (Node >= 20.12) skips the Hash object: verify hashes every key it sees.
  if (typeof c.hash === "function") return c.hash("sha256", text, "hex");
  return c.createHash("sha256").update(text).digest("hex");
}
