/**
 * Secrets with structure: private keys (real ones, made with node:crypto), JWTs signed with a
 * random key, database URLs with passwords and generic high-entropy assignments.
 */
import { createECDH, createHmac, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { BASE62, type Rng } from "../lib/prng.js";
import type { Secret, SecretMaker } from "./tokens.js";

function pemAlternates(pem: string): string[] {
  const lines = pem.trim().split("\n");
  const body = lines.slice(1, -1);
  return [`${pem.trim()}\n`, body.join(""), body.join("\n"), lines.join("\r\n")];
}

function keySecret(kind: string, pem: string): Secret {
  const text = pem.trim();
  return {
    provider: "Private key",
    kind,
    text,
    secret: text,
    alternates: pemAlternates(pem),
    varName: "PRIVATE_KEY",
    multiline: true,
  };
}

/** Ed25519 PKCS#8 from a seeded 32-byte seed: deterministic and a real key. */
export function ed25519Pem(rng: Rng): string {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), rng.bytes(32)]);
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" })
    .export({ format: "pem", type: "pkcs8" })
    .toString();
}

/** EC P-256 (SEC1 "EC PRIVATE KEY") from a seeded scalar. */
export function ecPem(rng: Rng): string {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(Buffer.concat([Buffer.from([0x01]), rng.bytes(31)]));
  const pub = ecdh.getPublicKey();
  const b64 = (b: Buffer) => b.toString("base64url");
  const jwk = {
    kty: "EC",
    crv: "P-256",
    d: b64(ecdh.getPrivateKey()),
    x: b64(pub.subarray(1, 33)),
    y: b64(pub.subarray(33)),
  };
  return createPrivateKey({ key: jwk, format: "jwk" }).export({ format: "pem", type: "sec1" }).toString();
}

function sshString(data: Buffer | string): Buffer {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
}

/** An unencrypted OpenSSH-format Ed25519 private key, laid out as ssh-keygen writes it. */
export function opensshEd25519(rng: Rng): string {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), rng.bytes(32)]);
  const key = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  const jwk = key.export({ format: "jwk" }) as { d: string; x: string };
  const seed = Buffer.from(jwk.d, "base64url");
  const pub = Buffer.from(jwk.x, "base64url");
  const pubBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
  const check = rng.bytes(4);
  let priv = Buffer.concat([check, check, pubBlob, sshString(Buffer.concat([seed, pub])), sshString("dev@laptop")]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const blob = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    count,
    sshString(pubBlob),
    sshString(priv),
  ]);
  const wrapped = blob
    .toString("base64")
    .match(/.{1,70}/g)!
    .join("\n");
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrapped}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** RSA keys cannot be seeded with node:crypto: these differ per run (labels are recorded per run). */
function rsaPem(type: "pkcs1" | "pkcs8"): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return privateKey.export({ format: "pem", type }).toString();
}

export const PRIVATE_KEY_MAKERS: Record<string, SecretMaker> = {
  "private-key-ed25519-pkcs8": (r) => keySecret("ed25519-pkcs8", ed25519Pem(r)),
  "private-key-ec-sec1": (r) => keySecret("ec-sec1", ecPem(r)),
  "private-key-openssh": (r) => keySecret("openssh", opensshEd25519(r)),
};

/** RSA makers: real keys, not reproducible from the seed. */
export const RSA_KEY_MAKERS: Record<string, SecretMaker> = {
  "private-key-rsa-pkcs1": () => keySecret("rsa-pkcs1", rsaPem("pkcs1")),
  "private-key-rsa-pkcs8": () => keySecret("rsa-pkcs8", rsaPem("pkcs8")),
};

function b64url(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString("base64url");
}

/** A JWT signed (HS256) with a random key, claims of a plausible session. */
export function makeJwt(rng: Rng): string {
  const header = b64url({ alg: "HS256", typ: "JWT" });
  const iat = 1_700_000_000 + rng.int(50_000_000);
  const payload = b64url({
    sub: `user_${rng.chars(BASE62, 12)}`,
    role: rng.pick(["admin", "service", "user"]),
    iat,
    exp: iat + 86400 * 365,
  });
  const sig = createHmac("sha256", rng.bytes(32)).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${sig}`;
}

const URL_SAFE = `${BASE62}-_.~`;

function dbUrl(rng: Rng): Secret {
  const password = rng.chars(URL_SAFE, rng.range(16, 28));
  const user = rng.pick(["app", "admin", "postgres", "svc_orders", "root", "billing"]);
  const host = rng.pick([
    "db.internal",
    "10.0.3.12",
    "prod-db.c9akciq32.eu-west-1.rds.amazonaws.com",
    "cluster0.ab1cd.mongodb.net",
    "redis-master",
  ]);
  const [scheme, port, varName] = rng.pick([
    ["postgres", 5432, "DATABASE_URL"],
    ["postgresql", 5432, "DATABASE_URL"],
    ["mysql", 3306, "MYSQL_URL"],
    ["mongodb+srv", 0, "MONGODB_URI"],
    ["redis", 6379, "REDIS_URL"],
    ["amqp", 5672, "AMQP_URL"],
  ] as const);
  const authority = scheme === "redis" ? `:${password}` : `${user}:${password}`;
  const url = `${scheme}://${authority}@${host}${port ? `:${port}` : ""}/${rng.pick(["app", "orders", "0", "prod"])}`;
  return { provider: "Database URL", kind: scheme, text: url, secret: password, alternates: [url, authority], varName };
}

const GENERIC_NAMES = [
  "DB_PASSWORD",
  "PASSWORD",
  "API_KEY",
  "SECRET_KEY",
  "CLIENT_SECRET",
  "AUTH_TOKEN",
  "ACCESS_TOKEN",
  "APP_SECRET",
  "SIGNING_KEY",
  "ENCRYPTION_KEY",
  "SMTP_PASSWORD",
  "ADMIN_PASSWORD",
  "PRIVATE_TOKEN",
];

/** A high-entropy value assigned to a secret-looking name: only the generic detector can find it. */
function generic(rng: Rng): Secret {
  const alphabet = rng.pick([BASE62, `${BASE62}!#%^*-_=+`, "0123456789abcdef"]);
  // First character alphanumeric: a value starting with "=" or "#" reads as syntax, not as a password.
  const value = rng.chars(alphabet.replace(/[^A-Za-z0-9]/g, ""), 1) + rng.chars(alphabet, rng.range(19, 39));
  return {
    provider: "Generic",
    kind: "assignment",
    text: value,
    secret: value,
    alternates: [],
    varName: rng.pick(GENERIC_NAMES),
  };
}

export const STRUCTURED_MAKERS: Record<string, SecretMaker> = {
  jwt: (r) => {
    const t = makeJwt(r);
    return {
      provider: "JWT",
      kind: "jwt",
      text: t,
      secret: t,
      alternates: [],
      varName: r.pick(["JWT", "SESSION_TOKEN", "BEARER_TOKEN"]),
    };
  },
  "database-url": dbUrl,
  generic,
};
