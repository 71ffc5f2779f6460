import { createHash } from "node:crypto";

/** SHA-256 hex of a string (UTF-8). The only form in which a secret is kept. */
export function sha256Hex(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}
