/**
 * Ed25519 keys of the audit trail (SPEC §7). The private key lives in a PEM file
 * (LEAKSTOP_AUDIT_KEY) and never enters Redis: the process that appends an entry
 * signs it before the Lua script runs, and checkpoints are signed the same way.
 * Anyone holding only the public key can check both.
 */

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { readFileSync } from "node:fs";
import { loadServiceConfig, serviceConfig } from "../config/service-config.js";
import { LeakstopError } from "../lib/errors.js";

/** Signs audit entries and checkpoints; holds the private key in this process only. */
export interface AuditSigner {
  /** Short fingerprint of the public key (16 hex), written into checkpoints. */
  readonly keyId: string;
  readonly publicKey: KeyObject;
  /** Base64 Ed25519 signature of `text`. */
  sign(text: string): string;
}

/** Checks signatures made by one audit key. */
export interface AuditVerifier {
  readonly keyId: string;
  /** True when `sig` (base64) is this key's signature of `text`. */
  verify(text: string, sig: string): boolean;
}

/** The fingerprint of a public key: first 16 hex of SHA-256 over its SPKI DER. */
export function auditKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? "unreadable";
    throw new LeakstopError("LS_AUDIT_KEY_INVALID", `${what}: cannot read ${path} (${why})`, { cause: err });
  }
}

function requireEd25519(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new LeakstopError("LS_AUDIT_KEY_INVALID", `${what}: not an Ed25519 key (got ${key.asymmetricKeyType})`);
  }
  return key;
}

/** A signer from a PEM private key file; LS_AUDIT_KEY_INVALID when unreadable or not Ed25519. */
export function loadAuditSigner(path: string, what = "LEAKSTOP_AUDIT_KEY"): AuditSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readPem(path, what));
  } catch (err) {
    if (err instanceof LeakstopError) throw err;
    throw new LeakstopError("LS_AUDIT_KEY_INVALID", `${what}: ${path} is not a PEM private key`, { cause: err });
  }
  requireEd25519(privateKey, `${what} (${path})`);
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: auditKeyId(publicKey),
    publicKey,
    sign: (text) => sign(null, Buffer.from(text), privateKey).toString("base64"),
  };
}

/** A verifier from a public key: PEM text, or the path of a PEM file (public or private key). */
export function loadAuditVerifier(pemOrPath: string, what = "--public-key"): AuditVerifier {
  const pem = pemOrPath.includes("-----BEGIN") ? pemOrPath : readPem(pemOrPath, what);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch (err) {
    throw new LeakstopError("LS_AUDIT_KEY_INVALID", `${what}: not a PEM public key`, { cause: err });
  }
  return verifierFor(requireEd25519(publicKey, what));
}

/** A verifier for a public key object. */
export function verifierFor(publicKey: KeyObject): AuditVerifier {
  return {
    keyId: auditKeyId(publicKey),
    verify(text, sig) {
      const bytes = Buffer.from(sig, "base64");
      if (bytes.length !== 64) return false;
      try {
        return verify(null, Buffer.from(text), publicKey, bytes);
      } catch {
        return false;
      }
    },
  };
}

let envSigner: { path: string; signer: AuditSigner } | null = null;

/** The signer of the service config's audit key (LEAKSTOP_AUDIT_KEY or [audit] key; loaded once per path), or null when unset. */
export function signerFromEnv(env: NodeJS.ProcessEnv = process.env): AuditSigner | null {
  const path = (env === process.env ? serviceConfig() : loadServiceConfig({ env })).audit.key;
  if (!path) return null;
  if (envSigner?.path !== path) envSigner = { path, signer: loadAuditSigner(path) };
  return envSigner.signer;
}

/** A fresh key pair as PEM text (PKCS#8 private, SPKI public). */
export function generateAuditKeyPair(): { privatePem: string; publicPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: auditKeyId(publicKey),
  };
}
