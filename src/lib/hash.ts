import { createRequire } from "node:module";

// node:crypto loads on the first hash: a scan that finds nothing never needs it (~4 ms of start-up).
let crypto: typeof import("node:crypto") | undefined;

/** SHA-256 hex of a string (UTF-8). The only form in which a secret is kept. */
export function sha256Hex(text: string | Buffer): string {
  crypto ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  // One-shot crypto.hash (Node >= 20.12) skips the Hash object: verify hashes every key it sees.
  if (typeof crypto.hash === "function") return crypto.hash("sha256", text, "hex");
  return crypto.createHash("sha256").update(text).digest("hex");
}
