/**
 * Validators by name: structural or checksum checks a rule names with `validator = "..."`.
 * A secret that fails its validator is dropped (a wrong checksum means it is not a real token).
 */

import { createRequire } from "node:module";
import { isValidKey, parseKey } from "../../keyformat/key-format.js";
import { decodeBase62, isBase62 } from "../../lib/base62.js";
import { crc32 } from "../../lib/crc32.js";
import type { EngineSettings } from "../rule-spec.js";
import { bech32Checksum, pypiMacaroon } from "./encodings.js";
import { isGenericSecret } from "./generic-secret.js";
import { commonAnnotatedKeyChecksum, identifiableKeyChecksum } from "./microsoft-keys.js";
import { isPlaceholder, isStandInPassword } from "./placeholder.js";
import { atlassianDataCenterPat, discordBotToken, gitlabClassicLength, secp256k1PrivateKey } from "./structural.js";

export interface ValidatorInput {
  secret: string;
  /** The whole regex match (context rules look at the variable name). */
  match: string;
  /** Path of the text relative to the scan root (context rules judge code and config differently). */
  path: string;
  settings: EngineSettings;
  /** The match's line up to the match, read on demand (whether a value sits inside a string literal). */
  before?: () => string;
}
/** true: the secret is structurally valid; false: it is not a secret (drop it); null: kept, but unverified (a heuristic). */
export type Validator = (input: ValidatorInput) => boolean | null;

/** GitHub/npm scheme: the last 6 chars are base62(CRC32(the 30 chars before them)). */
function base62Crc32Tail({ secret }: ValidatorInput): boolean {
  const tail = secret.slice(secret.lastIndexOf("_") + 1);
  if (tail.length !== 36 || !isBase62(tail)) return false;
  return crc32(tail.slice(0, 30)) === decodeBase62(tail.slice(30));
}

/** Atlassian API tokens (ATATT…, ATCTT…, ATBB…): the last 8 characters are the upper-case hex CRC32 of the rest. */
function atlassianCrc32({ secret }: ValidatorInput): boolean {
  const body = secret.slice(0, -8);
  return body.length > 0 && crc32(body).toString(16).toUpperCase().padStart(8, "0") === secret.slice(-8);
}

/** Cloudflare cfk_/cfut_/cfat_ tokens: the last 8 characters are the lower-case hex CRC32 of the 40 after the prefix. */
function cloudflareCrc32({ secret }: ValidatorInput): boolean {
  const tail = secret.slice(secret.indexOf("_") + 1);
  if (tail.length !== 48) return false;
  return crc32(tail.slice(0, 40)).toString(16).padStart(8, "0") === tail.slice(40);
}

/** Grafana service-account tokens (glsa_…_<8 hex>): the hex is the CRC32 of everything before the last "_", little-endian. */
function grafanaCrc32({ secret }: ValidatorInput): boolean {
  const cut = secret.lastIndexOf("_");
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32(secret.slice(0, cut)));
  return cut > 0 && sum.toString("hex") === secret.slice(cut + 1).toLowerCase();
}

/**
 * GitLab routable tokens (<prefix><base64url payload>.<2-char version>.<2-char payload length><7-char CRC>): the
 * last 7 characters are the base-36 CRC32 of everything before them, and the length holder is the payload's
 * length, both base 36 and zero-padded. Classic tokens (<prefix> + 20 characters, no dots) carry no checksum,
 * but one of another length than its kind's is not a GitLab token.
 */
function gitlabRoutableCrc32({ secret }: ValidatorInput): boolean | null {
  const parts = secret.split(".");
  if (parts.length === 1) return gitlabClassicLength(secret);
  if (parts.length !== 3) return false;
  const [head, version, tail] = parts as [string, string, string];
  if (!/^[0-9a-z]{2}$/.test(version) || !/^[0-9a-z]{9}$/.test(tail)) return false;
  const payload = head.slice(head.indexOf("-") + 1);
  if (Number.parseInt(tail.slice(0, 2), 36) !== payload.length) return false;
  return crc32(secret.slice(0, -7)).toString(36).padStart(7, "0") === tail.slice(2);
}

function leakstopKey({ secret, settings }: ValidatorInput): boolean {
  const parsed = parseKey(secret);
  if (!parsed) return false;
  if (settings.issuers.length > 0 && !settings.issuers.includes(parsed.issuer)) return false;
  return isValidKey(secret);
}

function base64url(text: string): string | null {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return null;
  return Buffer.from(text, "base64url").toString("utf8");
}

/**
 * HMAC keys that jwt.io's debugger fills in for HS256/HS384/HS512 (its older "your-N-bit-secret" defaults and
 * the current "a-string-secret-at-least-256-bits-long"): published, so a token they sign is a debugger's
 * example or one anyone can mint, and authenticates nothing.
 */
const PUBLISHED_HMAC_KEYS = [
  "your-256-bit-secret",
  "your-384-bit-secret",
  "your-512-bit-secret",
  "a-string-secret-at-least-256-bits-long",
];

// node:crypto (15 internal modules, ~9 M instructions) loads on the first signed JWT: a commit with none never needs it.
let crypto: typeof import("node:crypto") | undefined;

/** Whether an HS256/384/512 token's signature is made with one of the published keys. */
function signedWithPublishedKey(alg: string, parts: string[]): boolean {
  const hash = { HS256: "sha256", HS384: "sha384", HS512: "sha512" }[alg];
  if (!hash || !parts[2]) return false;
  const signed = `${parts[0]}.${parts[1]}`;
  crypto ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  const { createHmac } = crypto;
  return PUBLISHED_HMAC_KEYS.some((key) => createHmac(hash, key).update(signed).digest("base64url") === parts[2]);
}

/** Three base64url parts whose header is a JSON object naming an algorithm, not signed with a published key. */
function jwt({ secret }: ValidatorInput): boolean {
  const parts = secret.split(".");
  if (parts.length !== 3 || parts.some((x, i) => x.length === 0 && i < 2)) return false;
  try {
    const header = JSON.parse(base64url(parts[0]!) ?? "null");
    const payload = JSON.parse(base64url(parts[1]!) ?? "null");
    return (
      typeof header === "object" &&
      header !== null &&
      typeof header.alg === "string" &&
      typeof payload === "object" &&
      !signedWithPublishedKey(header.alg, parts)
    );
  } catch {
    return false;
  }
}

/** GitHub App installation tokens in the newer form ghs_<app id>_<JWT>: the JWT part must be one. */
function githubAppJwtToken(input: ValidatorInput): boolean {
  const m = /^ghs_[0-9]{1,12}_(.+)$/.exec(input.secret);
  return m !== null && jwt({ ...input, secret: m[1]! });
}

/** A whole GitHub classic token (ghp_, gho_, ghu_, ghs_, ghr_) or npm token: both carry a base62 CRC32 tail. */
const CRC_TAIL_TOKEN = /^(?:gh[pousr]|npm)_[0-9A-Za-z]{36}$/;

/**
 * The verdict on a user or password that is a whole checksummed token (ghp_… as a registry password, or as the
 * user of GitHub's token:x-oauth-basic): its checksum, as for the token written alone, so one with a wrong
 * checksum is not reported encoded either. undefined when neither side is such a token.
 */
function embeddedTokenVerdict(user: string, password: string): boolean | undefined {
  const token = CRC_TAIL_TOKEN.test(password) ? password : CRC_TAIL_TOKEN.test(user) ? user : undefined;
  return token === undefined ? undefined : base62Crc32Tail({ secret: token } as ValidatorInput);
}

/**
 * base64 of "user:password" (Docker's config.json "auth", HTTP Basic): printable, a colon, both sides set,
 * and the password not a placeholder ("username:password", "user:changeme" in docs and fixtures).
 */
function basicAuthBase64({ secret }: ValidatorInput): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  const text = Buffer.from(secret, "base64").toString("latin1");
  const colon = text.indexOf(":");
  // Printable, save the line breaks and tabs of a JSON key as password (GCR's "_json_key" user).
  if (!/^[\x20-\x7e\t\r\n]+$/.test(text) || colon <= 0 || colon >= text.length - 1) return false;
  const password = text.slice(colon + 1);
  return embeddedTokenVerdict(text.slice(0, colon), password) ?? !isPlaceholder(password);
}

/**
 * An Azure SAS token's parameters as Microsoft documents them: permissions (sp) from racwdxyltfmeopiu (service
 * and account SAS together), an allowed IP (sip) an IPv4 address or a range of two. A token breaking either
 * is no SAS Azure would have signed; one that holds both is kept unverified (the signature is not checked).
 */
function azureSas({ match }: ValidatorInput): boolean | null {
  const sp = /(?<![a-z])sp=([^&\s"'<>]*)/i.exec(match)?.[1];
  if (sp !== undefined && !/^[racwdxyltfmeopiu]+$/.test(sp)) return false;
  const sip = /(?<![a-z])sip=([^&\s"'<>]*)/i.exec(match)?.[1];
  const ipv4 = (ip: string) => /^(?:\d{1,3}\.){3}\d{1,3}$/.test(ip) && ip.split(".").every((n) => Number(n) <= 255);
  if (sip !== undefined && !decodeURIComponent(sip).split("-").every(ipv4)) return false;
  return null;
}

/**
 * An HTTP Basic header's credentials (RFC 7617: base64 of user-id ":" password), decoded and judged: printable
 * with a colon, and the password no placeholder or stand-in word ("111.222:secret", "user:test123"). An
 * empty password is kept only under an API key as user (16+ characters, Stripe's "sk_live_…:").
 */
function basicAuthHeader({ secret }: ValidatorInput): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  const text = Buffer.from(secret, "base64").toString("latin1");
  const colon = text.indexOf(":");
  if (!/^[\x20-\x7e]+$/.test(text) || colon <= 0) return false;
  const user = text.slice(0, colon);
  const password = text.slice(colon + 1);
  const embedded = embeddedTokenVerdict(user, password);
  if (embedded !== undefined) return embedded;
  if (password === "") return user.length >= 16 && !isPlaceholder(user);
  return !isPlaceholder(password) && !isStandInPassword(password);
}

function base64({ secret }: ValidatorInput): boolean {
  const clean = secret.replace(/\s+/g, "");
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(clean) && clean.length % 4 !== 1;
}

/**
 * A JSON Web Key holding its private part (RFC 7517): an EC, RSA or OKP key with "d" (RFC 7518 sections 6.2.2
 * and 6.3.2, RFC 8037 section 2), a symmetric "oct" key with "k" (RFC 7518 section 6.4.1), as base64url of 16
 * bytes or more. A public JWK (no "d") and a placeholder member are none. Quotes may be escaped (a JWK inside a
 * JSON string).
 */
function jwkPrivate({ secret }: ValidatorInput): boolean {
  const text = secret.replace(/\\+"/g, '"');
  const kty = /"kty"\s*:\s*"(EC|RSA|OKP|oct)"/.exec(text)?.[1];
  if (kty === undefined) return false;
  const member = kty === "oct" ? /"k"\s*:\s*"([^"]*)"/ : /"d"\s*:\s*"([^"]*)"/;
  const value = member.exec(text)?.[1];
  return value !== undefined && /^[A-Za-z0-9_-]{22,}$/.test(value) && !isPlaceholder(value);
}

const VALIDATORS: Record<string, Validator> = {
  "github-crc32": base62Crc32Tail,
  "npm-crc32": base62Crc32Tail,
  "leakstop-crc32": leakstopKey,
  "atlassian-crc32": atlassianCrc32,
  "cloudflare-crc32": cloudflareCrc32,
  "grafana-crc32": grafanaCrc32,
  "gitlab-routable-crc32": gitlabRoutableCrc32,
  jwt,
  "github-app-jwt": githubAppJwtToken,
  "microsoft-identifiable-key": ({ secret }) => identifiableKeyChecksum(secret),
  "microsoft-identifiable-key-strict": ({ secret }) => identifiableKeyChecksum(secret) === true,
  "microsoft-common-annotated-key": ({ secret }) => commonAnnotatedKeyChecksum(secret),
  "discord-bot-token": ({ secret }) => discordBotToken(secret),
  "atlassian-datacenter-pat": ({ secret }) => atlassianDataCenterPat(secret),
  "secp256k1-private-key": ({ secret }) => secp256k1PrivateKey(secret),
  // A matching checksum or structure marks the finding validated; a mismatch keeps it unverified rather
  // than dropping it (values written by hand or by generators rarely carry one).
  "bech32-checksum": ({ secret }) => (bech32Checksum(secret) ? true : null),
  "pypi-macaroon": ({ secret }) => (pypiMacaroon(secret) ? true : null),
  base64,
  "basic-auth-base64": basicAuthBase64,
  "jwk-private": jwkPrivate,
  "azure-sas": azureSas,
  "http-basic-credentials": basicAuthHeader,
  "generic-secret": ({ secret, match, path, before }) => (isGenericSecret(secret, match, path, before) ? null : false),
};

export function getValidator(name: string): Validator | undefined {
  return VALIDATORS[name];
}
