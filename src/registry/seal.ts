/**
 * Sealing for the one plaintext the registry must be able to show twice: a new key
 * held for an idempotent retry. AES-256-GCM with a key that never enters Redis
 * (LEAKSTOP_SEAL_KEY; else derived from the audit key, LEAKSTOP_AUDIT_KEY; else a
 * random key that lives as long as the process, so a retry that reaches another
 * process, or this one after a restart, cannot be shown the key: see
 * LS_IDEMPOTENCY_UNSEALABLE). The associated data binds a sealed value to the
 * Redis entry it was written for.
 */

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { AuditSigner } from "../audit/signing.js";
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

/** The text whose audit-key signature seeds the derived sealing key (never signed for anything else). */
const SEAL_SEED_TEXT = "leakstop-seal-key\nv1";

/**
 * A sealing key every holder of the audit private key derives alike: HKDF-SHA256 over the key's
 * Ed25519 signature of a fixed text (Ed25519 signatures are deterministic; this one is never
 * published, and its prefix is not that of an audit entry or checkpoint).
 */
export function sealKeyFromAuditKey(signer: AuditSigner): Buffer {
  const seed = Buffer.from(signer.sign(SEAL_SEED_TEXT), "base64");
  return Buffer.from(hkdfSync("sha256", seed, Buffer.alloc(0), "leakstop idempotency seal v1", 32));
}

/**
 * LEAKSTOP_SEAL_KEY (64 hex digits, or 32 bytes in base64); else, with an audit signer, a key
 * derived from the audit key; else a key random to this process (not durable).
 */
export function sealerFromEnv(env: NodeJS.ProcessEnv = process.env, auditSigner: AuditSigner | null = null): Sealer {
  const text = (env === process.env ? serviceConfig() : loadServiceConfig({ env })).registry.sealKey;
  if (!text && auditSigner) return createSealer(sealKeyFromAuditKey(auditSigner), true);
  if (!text) return createSealer(randomBytes(32), false);
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) {
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_SEAL_KEY must be 32 bytes: 64 hex digits or base64");
  }
  return createSealer(key, true);
}
