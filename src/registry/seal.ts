/**
 * Sealing for the one plaintext the registry must be able to show twice: a new key
 * held for an idempotent retry. AES-256-GCM with a key that never enters Redis
 * (LEAKSTOP_SEAL_KEY, else a random key that lives as long as the process); the
 * associated data binds a sealed value to the Redis entry it was written for.
 */

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { loadServiceConfig, serviceConfig } from "../config/service-config.js";
import { LeakstopError } from "../lib/errors.js";

/** Seals and unseals short texts; `aad` must be the same both ways. */
export interface Sealer {
  seal(plaintext: string, aad: string): string;
  /** The plaintext, or null when the value was sealed with another key or altered. */
  unseal(sealed: string, aad: string): string | null;
  /** False when the key is random to this process (a restart cannot unseal what it sealed). */
  readonly durable: boolean;
}

/** A sealer over a 32-byte key: "v1.<iv>.<tag>.<ciphertext>", base64url. */
export function createSealer(key: Buffer, durable: boolean): Sealer {
  if (key.length !== 32) throw new Error("a sealing key is 32 bytes");
  return {
    durable,
    seal(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(aad, "utf8"));
      const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return ["v1", iv, cipher.getAuthTag(), ct]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    unseal(sealed, aad) {
      const [v, iv, tag, ct] = sealed.split(".");
      if (v !== "v1" || !iv || !tag || ct === undefined) return null;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAAD(Buffer.from(aad, "utf8"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        return null;
      }
    },
  };
}

/** LEAKSTOP_SEAL_KEY (64 hex digits, or 32 bytes in base64) or, when unset, a key random to this process. */
export function sealerFromEnv(env: NodeJS.ProcessEnv = process.env): Sealer {
  const text = (env === process.env ? serviceConfig() : loadServiceConfig({ env })).registry.sealKey;
  if (!text) return createSealer(randomBytes(32), false);
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) {
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_SEAL_KEY must be 32 bytes: 64 hex digits or base64");
  }
  return createSealer(key, true);
}
