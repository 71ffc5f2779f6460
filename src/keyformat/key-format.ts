/**
 * leakstop's own key format (SPEC §6): `<issuer>_<env>_<body><checksum>`.
 * body: 32 base62 characters from a CSPRNG (~190 bits); checksum: CRC32 (IEEE) of
 * `<issuer>_<env>_<body>`, base62, left-padded with "0" to 6 characters.
 * Pure: no I/O. Shared by the scanner's own-key detector and the registry.
 */
import { createRequire } from "node:module";
import { BASE62_ALPHABET, encodeBase62, isBase62 } from "../lib/base62.js";
import { crc32 } from "../lib/crc32.js";

export const KEY_ENVS = ["live", "test"] as const;
export type KeyEnv = (typeof KEY_ENVS)[number];
export const DEFAULT_ISSUER = "lsk";
export const BODY_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;
const ISSUER_RE = /^[a-z0-9]{2,10}$/;

export interface ParsedKey {
  issuer: string;
  env: KeyEnv;
  body: string;
  checksum: string;
}

export function isValidIssuer(issuer: string): boolean {
  return ISSUER_RE.test(issuer);
}

/** The checksum for `<issuer>_<env>_<body>`. */
export function keyChecksum(issuer: string, env: string, body: string): string {
  return encodeBase62(crc32(`${issuer}_${env}_${body}`), CHECKSUM_LENGTH);
}

// node:crypto loads when a key is issued: the scanner only checks keys (~4 ms of its start-up).
const require = createRequire(import.meta.url);

/** Uniform base62 characters from the CSPRNG (rejection sampling, no modulo bias). */
function randomBase62(length: number): string {
  const { randomBytes } = require("node:crypto") as typeof import("node:crypto");
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62_ALPHABET[byte % 62];
    }
  }
  return out;
}

/** Issues a new key. Throws on a malformed issuer (configuration error). */
export function generateKey(issuer: string = DEFAULT_ISSUER, env: KeyEnv = "live"): string {
  if (!isValidIssuer(issuer)) throw new RangeError("issuer prefix must be 2-10 lowercase letters or digits");
  if (!KEY_ENVS.includes(env)) throw new RangeError("env must be live or test");
  const body = randomBase62(BODY_LENGTH);
  return `${issuer}_${env}_${body}${keyChecksum(issuer, env, body)}`;
}

/** Splits a key into its parts without checking the checksum; null if the shape is wrong. */
export function parseKey(key: string): ParsedKey | null {
  const parts = key.split("_");
  if (parts.length !== 3) return null;
  const [issuer, env, tail] = parts as [string, string, string];
  if (!isValidIssuer(issuer) || !(KEY_ENVS as readonly string[]).includes(env)) return null;
  if (tail.length !== BODY_LENGTH + CHECKSUM_LENGTH || !isBase62(tail)) return null;
  return {
    issuer,
    env: env as KeyEnv,
    body: tail.slice(0, BODY_LENGTH),
    checksum: tail.slice(BODY_LENGTH),
  };
}

/** True when the key has the right shape and its checksum matches (optionally for one issuer). */
export function isValidKey(key: string, issuer?: string): boolean {
  const parsed = parseKey(key);
  if (!parsed) return false;
  if (issuer !== undefined && parsed.issuer !== issuer) return false;
  return keyChecksum(parsed.issuer, parsed.env, parsed.body) === parsed.checksum;
}

/** Display hint: the fixed prefix and the last 4 characters, e.g. `lsk_live_…a1B2`. */
export function keyHint(key: string): string {
  const parsed = parseKey(key);
  const prefix = parsed ? `${parsed.issuer}_${parsed.env}_` : "";
  return `${prefix}…${key.slice(-4)}`;
}
