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

export function awsAccessKeyId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return `AKIA${Array.from(randomBytes(16), (b) => alphabet[b % 32]).join("")}`;
}

export function pemPrivateKey(): string {
  return generateKeyPairSync("rsa", { modulusLength: 1024 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
}
