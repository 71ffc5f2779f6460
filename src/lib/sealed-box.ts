/**
 * Sealed boxes for third-party secrets on their way to a provider's revocation API: a producer
 * seals the raw secret to the server's X25519 public key, and only a holder of the private key
 * (a worker) can open it. Scheme: an ephemeral X25519 key pair per box, ECDH with the recipient,
 * HKDF-SHA256 over the shared secret (salt = epk || recipient key, so a box is bound to both),
 * AES-256-GCM. Every field is base64url; `keyId` names the recipient key so a worker holding
 * another key refuses at once, with a clear code, instead of failing the tag check.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LeakstopError } from "./errors.js";

/** The one algorithm a sealed secret uses (the `alg` field). */
export const SEALED_ALG = "x25519-hkdf-sha256-aes256gcm";

/** The wire shape (the same as `SealedSecret` in queue/jobs.ts, kept here so lib/ imports nothing above it). */
export interface SealedBox {
  alg: typeof SEALED_ALG;
  /** SHA-256 hex of the recipient public key's DER SPKI. */
  keyId: string;
  epk: string;
  iv: string;
  ct: string;
  tag: string;
}

/** A recipient key pair (PEM text: SPKI public, PKCS#8 private). */
export interface SealKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
  keyId: string;
}

const INFO = Buffer.from("leakstop sealed secret v1", "utf8");
const B64URL = /^[A-Za-z0-9_-]*$/;

/** SHA-256 hex of a public key's DER SPKI: the `keyId` of boxes sealed to it. */
export function sealKeyId(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** A fresh X25519 key pair. */
export function generateSealKeyPair(): SealKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  return {
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    keyId: sealKeyId(publicKey),
  };
}

/** Parses an X25519 public key from PEM (a private key PEM also works: its public half is taken). */
export function loadSealPublicKey(pem: string, what = "the report public key"): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new LeakstopError("LS_REPORT_KEY_INVALID", `${what} is not a PEM public key`);
  }
  if (key.asymmetricKeyType !== "x25519") {
    throw new LeakstopError("LS_REPORT_KEY_INVALID", `${what} is a ${key.asymmetricKeyType} key, not X25519`);
  }
  return key;
}

/** Parses an X25519 private key from PEM. */
export function loadSealPrivateKey(pem: string, what = "the report private key"): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new LeakstopError("LS_REPORT_KEY_INVALID", `${what} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== "x25519") {
    throw new LeakstopError("LS_REPORT_KEY_INVALID", `${what} is a ${key.asymmetricKeyType} key, not X25519`);
  }
  return key;
}

/** Reads a PEM key file; `kind` picks the parser. Errors name the file, never its content. */
export function readSealKeyFile(path: string, kind: "public" | "private"): KeyObject {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new LeakstopError("LS_REPORT_KEY_INVALID", `cannot read the report ${kind} key ${path} (${code})`);
  }
  const what = `the report ${kind} key ${path}`;
  return kind === "public" ? loadSealPublicKey(text, what) : loadSealPrivateKey(text, what);
}

function deriveKey(shared: Buffer, epk: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, Buffer.concat([epk, recipient]), INFO, 32));
}

function rawPublic(key: KeyObject): Buffer {
  // The last 32 bytes of an X25519 SPKI are the raw public key.
  return key.export({ type: "spki", format: "der" }).subarray(-32);
}

/** Seals `plaintext` (UTF-8) to an X25519 public key. */
export function seal(plaintext: string, recipient: KeyObject): SealedBox {
  const eph = generateKeyPairSync("x25519");
  const epk = rawPublic(eph.publicKey);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const key = deriveKey(shared, epk, rawPublic(recipient));
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(SEALED_ALG, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    alg: SEALED_ALG,
    keyId: sealKeyId(recipient),
    epk: epk.toString("base64url"),
    iv: iv.toString("base64url"),
    ct: ct.toString("base64url"),
    tag: cipher.getAuthTag().toString("base64url"),
  };
}

function field(box: SealedBox, name: "epk" | "iv" | "ct" | "tag", bytes?: number): Buffer {
  const text = (box as unknown as Record<string, unknown>)[name];
  if (typeof text !== "string" || !B64URL.test(text)) {
    throw new LeakstopError("LS_SEALED_INVALID", `sealed secret: ${name} is not base64url`);
  }
  const buf = Buffer.from(text, "base64url");
  if (bytes !== undefined && buf.length !== bytes) {
    throw new LeakstopError("LS_SEALED_INVALID", `sealed secret: ${name} is not ${bytes} bytes`);
  }
  return buf;
}

/** Opens a box sealed to `privateKey`'s public half. Any alteration or another key is refused. */
export function unseal(box: SealedBox, privateKey: KeyObject): string {
  if (box === null || typeof box !== "object" || box.alg !== SEALED_ALG) {
    throw new LeakstopError("LS_SEALED_INVALID", `sealed secret: unknown algorithm (expected ${SEALED_ALG})`);
  }
  const recipient = createPublicKey(privateKey);
  const keyId = sealKeyId(recipient);
  if (box.keyId !== keyId) {
    throw new LeakstopError(
      "LS_SEALED_WRONG_KEY",
      `sealed secret was sealed to key ${String(box.keyId).slice(0, 12)}…, not to this key ${keyId.slice(0, 12)}…`,
    );
  }
  const epk = field(box, "epk", 32);
  const iv = field(box, "iv", 12);
  const tag = field(box, "tag", 16);
  const ct = field(box, "ct");
  try {
    const ephemeral = createPublicKey({
      key: Buffer.concat([Buffer.from("302a300506032b656e032100", "hex"), epk]),
      format: "der",
      type: "spki",
    });
    const shared = diffieHellman({ privateKey, publicKey: ephemeral });
    const decipher = createDecipheriv("aes-256-gcm", deriveKey(shared, epk, rawPublic(recipient)), iv);
    decipher.setAAD(Buffer.from(SEALED_ALG, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString("utf8");
  } catch {
    throw new LeakstopError(
      "LS_SEALED_INVALID",
      "sealed secret does not open: it was altered or sealed to another key",
    );
  }
}

/** Writes a new key pair to DIR: report-public.pem (0644) and report-private.pem (0600). Returns the paths. */
export function writeSealKeyPair(dir: string): { publicPath: string; privatePath: string; keyId: string } {
  const pair = generateSealKeyPair();
  const publicPath = join(dir, "report-public.pem");
  const privatePath = join(dir, "report-private.pem");
  if (existsSync(privatePath) || existsSync(publicPath)) {
    throw new LeakstopError("LS_IO", `a report key pair is already in ${dir}: choose another --output`);
  }
  try {
    mkdirSync(dir, { recursive: true });
    // "wx": never overwrite a key that may already have sealed secrets in flight.
    writeFileSync(privatePath, pair.privateKeyPem, { mode: 0o600, flag: "wx" });
    chmodSync(privatePath, 0o600);
    writeFileSync(publicPath, pair.publicKeyPem, { mode: 0o644, flag: "wx" });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    throw new LeakstopError("LS_IO", `cannot write the report key pair to ${dir} (${code})`);
  }
  return { publicPath, privatePath, keyId: pair.keyId };
}
