/** Synthetic secrets in providers' documented shapes, random every run (never real keys). */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { BASE62_ALPHABET, encodeBase62 } from "../../src/lib/base62.js";
import { crc32 } from "../../src/lib/crc32.js";

export function base62(n: number): string {
  let s = "";
  while (s.length < n) for (const b of randomBytes(n)) if (b < 248 && s.length < n) s += BASE62_ALPHABET[b % 62];
  return s;
}

export function digits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join("");
}

/** GitHub/npm style: prefix + 30 random + base62 CRC32 of those 30. */
export function crcToken(prefix: string): string {
  const body = base62(30);
  return prefix + body + encodeBase62(crc32(body), 6);
}

/**
 * A random AWS access key id that the rule reports. About 1 draw in 4,000 repeats so many characters
 * that its Shannon entropy falls under the rule's floor (3.0 bits) and is rightly dropped; a test
 * that wants a finding must not meet one of those at random, so such draws are made again.
 */
export function awsAccessKeyId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  for (;;) {
    const id = `AKIA${Array.from(randomBytes(16), (b) => alphabet[b % 32]).join("")}`;
    if (shannonBits(id) >= 3.3) return id;
  }
}

function shannonBits(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / s.length) * Math.log2(n / s.length);
  return bits;
}

export function pemPrivateKey(): string {
  return generateKeyPairSync("rsa", { modulusLength: 1024 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
}
