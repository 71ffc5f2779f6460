import { sha256Hex } from "../lib/hash.js";

/** Length, in hex characters, of a finding's fingerprint (128 bits). */
export const FINGERPRINT_LENGTH = 32;

/**
 * The stable id of a finding (SPEC §4): hex SHA-256 of `<ruleId>:<secretHash>`, cut to 32 characters.
 * It depends on nothing else, so it is unchanged when lines move, files are renamed or commits squashed;
 * the same secret found by two rules gives two fingerprints.
 */
export function fingerprintOf(ruleId: string, secretHash: string): string {
  return sha256Hex(`${ruleId}:${secretHash}`).slice(0, FINGERPRINT_LENGTH);
}
