/**
 * secretHash: SHA-256 of the secret in a canonical form, so that one key has one hash (and one
 * fingerprint) however it was written down. A PEM block is the same key in a plain file, in a
 * YAML block scalar, as a JSON string with "\n" escapes or as one notebook string per line.
 */
import { sha256Hex } from "../lib/hash.js";

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/** The secret as it is hashed: PEM blocks lose line breaks (real or escaped), indentation and quotes. */
export function canonicalSecret(secret: string): string {
  if (!PEM.test(secret)) return secret;
  return secret.replace(/\\[nr]|[\s"',]/g, "");
}

export function secretHashOf(secret: string): string {
  return sha256Hex(canonicalSecret(secret));
}
