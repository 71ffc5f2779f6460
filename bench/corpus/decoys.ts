/**
 * Hard decoys: strings that look like secrets but are not, placed where a careless detector
 * fires. Labelled by kind so a false positive says which trap caught the scanner.
 */
import { createPublicKey } from "node:crypto";
import { encodeBase62 } from "../../src/lib/base62.js";
import { crc32 } from "../../src/lib/crc32.js";
import { BASE62, BASE64, HEX, type Rng } from "../lib/prng.js";
import { ed25519Pem } from "./structured.js";
import { leakstopKey } from "./tokens.js";

/** A planted decoy. `ref` marks an environment/config reference rendered per file format. */
export interface Decoy {
  kind: string;
  text: string;
  varName: string;
  multiline?: boolean;
  /** Rendered as an expression (process.env.X, os.environ[...]) rather than a string literal. */
  ref?: boolean;
}

type DecoyMaker = (rng: Rng) => Decoy;

const SECRETISH = [
  "API_KEY",
  "SECRET_KEY",
  "AUTH_TOKEN",
  "DB_PASSWORD",
  "STRIPE_SECRET_KEY",
  "GITHUB_TOKEN",
  "OPENAI_API_KEY",
  "AWS_SECRET_ACCESS_KEY",
  "CLIENT_SECRET",
  "PASSWORD",
];

const PLACEHOLDERS = [
  "<your-api-key>",
  "<YOUR_TOKEN_HERE>",
  "your-secret-here",
  "REPLACE_ME",
  "changeme",
  "CHANGE_ME_IN_PRODUCTION",
  "********",
  "TODO",
  "dummy",
  "password",
  "secret",
  "xxx-xxx-xxx",
  "INSERT_KEY_HERE",
  "placeholder",
];

// "$" is kept apart so these read as the literal ${VAR} placeholders they are.
const TEMPLATES = [
  "$" + "{STRIPE_SECRET_KEY}",
  "{{ .Values.apiKey }}",
  "$" + "{{ secrets.NPM_TOKEN }}",
  "%(db_password)s",
  "$DB_PASSWORD",
  "{{ vault_db_password }}",
  "$" + "{env:OPENAI_API_KEY}",
];

/** Providers' own documented example values (AWS, Stripe, jwt.io, Slack, ...). */
const DOC_EXAMPLES: [string, string][] = [
  ["AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"],
  ["AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
  ["STRIPE_SECRET_KEY", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"],
  [
    "JWT",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  ],
  ["SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"],
  ["DATABASE_URL", "postgres://user:password@localhost:5432/mydb"],
  ["MONGODB_URI", "mongodb://localhost:27017/test"],
];

function wrongCheck(rng: Rng, prefix: string): string {
  const body = rng.chars(BASE62, 30);
  const good = encodeBase62(crc32(body), 6);
  const bad = encodeBase62((crc32(body) + 1 + rng.int(1000)) >>> 0, 6);
  return `${prefix}${body}${bad === good ? "000000" : bad}`;
}

function publicKeyPem(rng: Rng): string {
  return createPublicKey(ed25519Pem(rng)).export({ format: "pem", type: "spki" }).toString().trim();
}

function certificatePem(rng: Rng): string {
  const body = `MII${rng.chars("BCDE", 1)}${rng.chars(BASE64, 600)}`;
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----`;
}

export const DECOY_MAKERS: Record<string, DecoyMaker> = {
  "placeholder-x": (r) => {
    const [name, prefix, n] = r.pick([
      ["STRIPE_SECRET_KEY", "sk_live_", 24],
      ["GITHUB_TOKEN", "ghp_", 36],
      ["AWS_ACCESS_KEY_ID", "AKIA", 16],
      ["OPENAI_API_KEY", "sk-", 48],
      ["SLACK_BOT_TOKEN", "xoxb-", 40],
      ["API_KEY", "", 32],
    ] as const);
    return { kind: "placeholder-x", text: prefix + r.pick(["x", "X"]).repeat(n), varName: name };
  },
  "placeholder-word": (r) => ({ kind: "placeholder-word", text: r.pick(PLACEHOLDERS), varName: r.pick(SECRETISH) }),
  "template-variable": (r) => ({ kind: "template-variable", text: r.pick(TEMPLATES), varName: r.pick(SECRETISH) }),
  "env-reference": (r) => ({ kind: "env-reference", text: "", varName: r.pick(SECRETISH), ref: true }),
  "documented-example": (r) => {
    const [varName, text] = r.pick(DOC_EXAMPLES);
    return { kind: "documented-example", text, varName };
  },
  "git-sha": (r) => ({
    kind: "git-sha",
    text: r.chars(HEX, 40),
    varName: r.pick(["GIT_SHA", "COMMIT", "REVISION", "BASE_REF_SHA"]),
  }),
  sha256: (r) => ({
    kind: "sha256",
    text: r.chars(HEX, 64),
    varName: r.pick(["CHECKSUM", "SHA256", "ARTIFACT_DIGEST", "CONTENT_HASH"]),
  }),
  uuid: (r) => {
    const h = r.chars(HEX, 32);
    const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
    return { kind: "uuid", text: uuid, varName: r.pick(["TENANT_ID", "REQUEST_ID", "PROJECT_ID", "SUBSCRIPTION_ID"]) };
  },
  integrity: (r) => ({ kind: "integrity", text: `sha512-${r.chars(BASE64, 86)}==`, varName: "INTEGRITY" }),
  "public-key": (r) => ({ kind: "public-key", text: publicKeyPem(r), varName: "PUBLIC_KEY", multiline: true }),
  "ssh-public-key": (r) => ({
    kind: "ssh-public-key",
    text: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r.chars(BASE64, 43)} deploy@ci`,
    varName: "SSH_PUBLIC_KEY",
  }),
  certificate: (r) => ({ kind: "certificate", text: certificatePem(r), varName: "TLS_CERT", multiline: true }),
  "base64-blob": (r) => ({
    kind: "base64-blob",
    text: `data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${r.chars(BASE64, 200)}`,
    varName: r.pick(["LOGO", "ICON_DATA", "PLACEHOLDER_IMAGE"]),
  }),
  "wrong-checksum-github": (r) => ({
    kind: "wrong-checksum-github",
    text: wrongCheck(r, "ghp_"),
    varName: "GITHUB_TOKEN",
  }),
  "wrong-checksum-npm": (r) => ({ kind: "wrong-checksum-npm", text: wrongCheck(r, "npm_"), varName: "NPM_TOKEN" }),
  "wrong-checksum-leakstop": (r) => {
    const good = leakstopKey(r, r.pick(["live", "test"]));
    const last = good.at(-1) === "A" ? "B" : "A";
    return { kind: "wrong-checksum-leakstop", text: good.slice(0, -1) + last, varName: "LEAKSTOP_API_KEY" };
  },
  "stripe-publishable": (r) => ({
    kind: "stripe-publishable",
    text: `pk_live_${r.chars(BASE62, 24)}`,
    varName: "STRIPE_PUBLISHABLE_KEY",
  }),
  "public-key-base64": (r) => ({
    kind: "public-key-base64",
    text: publicKeyPem(r).split("\n").slice(1, -1).join(""),
    varName: r.pick(["PUBLIC_KEY", "JWT_PUBLIC_KEY", "VERIFY_KEY"]),
  }),
  "password-hash": (r) => ({
    kind: "password-hash",
    text: `$2b$12$${r.chars(`${BASE62}./`, 53)}`,
    varName: r.pick(["PASSWORD_HASH", "ADMIN_PASSWORD_BCRYPT"]),
  }),
  "ui-text": (r) => ({
    kind: "ui-text",
    text: r.pick([
      "Password must contain at least 12 characters",
      "Your session token has expired",
      "Invalid API key, check your settings",
    ]),
    varName: r.pick(["PASSWORD_HINT", "TOKEN_EXPIRED_MESSAGE", "API_KEY_ERROR"]),
  }),
  "url-without-password": (r) => ({
    kind: "url-without-password",
    text: r.pick([
      `postgres://${r.pick(["app", "svc"])}@db.internal:5432/app`,
      `postgres://app:$` + "{DB_PASSWORD}@db.internal:5432/app",
      "redis://redis-master:6379/0",
      `https://${r.pick(["api", "hooks"])}.example.com/v1/token`,
    ]),
    varName: r.pick(["DATABASE_URL", "REDIS_URL", "TOKEN_ENDPOINT"]),
  }),
  "key-name-not-secret": (r) => {
    const h = r.chars(HEX, 32);
    const [varName, text] = r.pick([
      ["CACHE_KEY", `user:profile:v${r.range(1, 9)}`],
      ["SORT_KEY", "createdAt#desc"],
      ["PARTITION_KEY", "tenant_id"],
      ["IDEMPOTENCY_KEY", `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`],
      ["PRIMARY_KEY", "order_id"],
      ["KEYBOARD_LAYOUT", "en-US"],
      ["MONKEY_PATCH", "disabled"],
    ] as const);
    return { kind: "key-name-not-secret", text, varName };
  },
  "image-digest": (r) => ({
    kind: "image-digest",
    text: `${r.pick(["nginx", "redis", "ghcr.io/acme/api"])}@sha256:${r.chars(HEX, 64)}`,
    varName: r.pick(["IMAGE", "BASE_IMAGE"]),
  }),
  "sri-hash": (r) => ({ kind: "sri-hash", text: `sha384-${r.chars(BASE64, 64)}`, varName: "SCRIPT_INTEGRITY" }),
  "stripe-test-publishable": (r) => ({
    kind: "stripe-test-publishable",
    text: `pk_test_${r.chars(BASE62, 24)}`,
    varName: "STRIPE_PUBLISHABLE_KEY",
  }),
  // Encrypted values are safe to commit: that is what SOPS, Sealed Secrets and Ansible Vault are for.
  "sops-encrypted": (r) => ({
    kind: "sops-encrypted",
    text: `ENC[AES256_GCM,data:${r.chars(BASE64, 32)},iv:${r.chars(BASE64, 43)}=,tag:${r.chars(BASE64, 22)}==,type:str]`,
    varName: r.pick(["DB_PASSWORD", "API_KEY", "CLIENT_SECRET"]),
  }),
  "sealed-secret": (r) => ({
    kind: "sealed-secret",
    text: `AgB${r.chars(BASE64, 400)}==`,
    varName: r.pick(["DB_PASSWORD", "STRIPE_SECRET_KEY"]),
  }),
  "ansible-vault": (r) => {
    const hex = r.chars(HEX, 80 * 5);
    const body = hex.match(/.{1,80}/g)!.join("\n");
    return {
      kind: "ansible-vault",
      text: `$ANSIBLE_VAULT;1.1;AES256\n${body}`,
      varName: "DB_PASSWORD",
      multiline: true,
    };
  },
  "secret-reference": (r) => ({
    kind: "secret-reference",
    text: r.pick([
      "op://Production/postgres/password",
      "vault:secret/data/billing#api_key",
      "{{resolve:secretsmanager:prod/db:SecretString:password}}",
      "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/password",
      "projects/acme-prod/secrets/stripe-key/versions/latest",
    ]),
    varName: r.pick(["DB_PASSWORD", "API_KEY", "STRIPE_SECRET_KEY"]),
  }),
  "secret-name-not-secret": (r) => {
    const [varName, text] = r.pick([
      ["TOKEN_URL", "https://oauth2.googleapis.com/token"],
      ["SECRET_NAME", "prod/orders/db-password"],
      ["API_KEY_HEADER", "X-Api-Key"],
      ["PASSWORD_MIN_LENGTH", "12"],
      ["AUTH_TOKEN_TTL", "3600s"],
      ["SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"],
      ["PASSWORD_RESET_PATH", "/account/password/reset"],
    ] as const);
    return { kind: "secret-name-not-secret", text, varName };
  },
};

/** Minified-looking identifiers and string tables: random-looking but under no secret-like name. */
export function minifiedDecoyLine(rng: Rng): string {
  const ids = Array.from(
    { length: 6 },
    () => `${rng.pick(["_0x", "a", "t", "e"])}${rng.chars(BASE62, rng.range(12, 24))}`,
  );
  return `var ${ids[0]}=function(e,t){return e.${ids[1]}(t,"${ids[2]}")},${ids[3]}=["${ids[4]}","${ids[5]}"];`;
}
