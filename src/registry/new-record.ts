/**
 * Validates a create/rotate input and builds the new key and its record. The
 * plaintext key leaves this module only in the return value of create/rotate.
 */
import { randomBytes } from "node:crypto";
import { generateKey, keyHint } from "../keyformat/key-format.js";
import { LeakstopError } from "../lib/errors.js";
import { sha256Hex } from "../lib/hash.js";
import { NO_WEBHOOK_ALLOW, type WebhookAllow, webhookUrlProblem } from "../notify/webhook-url.js";
import { cidrToBits } from "./cidr.js";
import { checkFreeText, checkMetadataText, type SecretScreen } from "./free-text.js";
import { defaultManages } from "./record-codec.js";
import { type CreateKeyInput, isAdminScopes, type KeyRecord } from "./types.js";

const SCOPE_RE = /^[A-Za-z0-9][A-Za-z0-9:._*/-]{0,63}$/;
const OWNER_ID_RE = /^[^\s]{1,128}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

function usage(message: string): never {
  throw new LeakstopError("LS_USAGE", message);
}

/** A fresh record id: "key_" + 20 hex characters from the CSPRNG. */
export function newKeyId(): string {
  return `key_${randomBytes(10).toString("hex")}`;
}

function checkOwner(
  owner: CreateKeyInput["owner"],
  webhookAllow: WebhookAllow | null,
  screen: SecretScreen | null,
): KeyRecord["owner"] {
  if (!owner || typeof owner.id !== "string" || !OWNER_ID_RE.test(owner.id)) {
    usage("owner id is required: 1-128 characters without spaces");
  }
  checkFreeText("owner.id", owner.id, 128, screen);
  const out: KeyRecord["owner"] = { id: owner.id };
  if (owner.name !== undefined) {
    checkFreeText("owner.name", String(owner.name), 200, screen);
    out.name = String(owner.name);
  }
  if (owner.email !== undefined) {
    checkFreeText("owner.email", String(owner.email), 320, screen);
    // The value is not repeated: a key pasted in the wrong field must not come back.
    if (!EMAIL_RE.test(owner.email)) usage("owner email (owner.email) is not an e-mail address");
    out.email = owner.email;
  }
  if (owner.webhook !== undefined) {
    // null: a rotation carries the webhook over unchecked (delivery checks it again anyway).
    const problem = webhookAllow ? webhookUrlProblem(String(owner.webhook), webhookAllow) : null;
    if (problem) usage(`owner webhook (owner.webhook) refused: ${problem}`);
    out.webhook = owner.webhook;
  }
  return out;
}

function checkScopes(scopes: string[] | undefined, screen: SecretScreen | null): string[] {
  const list = [...new Set(scopes ?? [])];
  for (const s of list) {
    if (!SCOPE_RE.test(s)) usage("a scope is malformed (1-64 letters, digits and : . _ * / -)");
    checkFreeText("scopes", s, 64, screen);
  }
  return list;
}

/** Owner ids (or `*`) a key manages; admins always manage every owner. */
function checkManages(
  manages: string[] | undefined,
  scopes: string[],
  ownerId: string,
  screen: SecretScreen | null,
): string[] {
  if (manages === undefined || isAdminScopes(scopes)) return defaultManages(scopes, ownerId);
  const list = [...new Set(manages.map((m) => m.trim()).filter((m) => m !== ""))];
  if (list.length === 0) usage("manages: name at least one owner id, or * for all");
  if (list.length > 256) usage("manages: at most 256 owner ids");
  for (const m of list) {
    if (m !== "*" && !OWNER_ID_RE.test(m)) usage("manages: owner ids are 1-128 characters without spaces");
    checkFreeText("manages", m, 128, screen);
  }
  return list.includes("*") ? ["*"] : list;
}

function checkCidrs(cidrs: string[] | undefined): string[] {
  const list = (cidrs ?? []).map((c) => c.trim()).filter((c) => c !== "");
  for (const c of list) if (cidrToBits(c) === null) usage(`"${c}" is not an IPv4 or IPv6 CIDR`);
  return list;
}

function checkRateLimit(rl: CreateKeyInput["rateLimit"]): KeyRecord["rateLimit"] {
  if (rl === undefined) return null;
  const windowMs = Math.round(rl.windowSeconds * 1000);
  const ok = Number.isInteger(rl.limit) && rl.limit > 0 && Number.isFinite(rl.windowSeconds) && windowMs >= 1;
  if (!ok) usage("rate limit needs a positive whole number of requests per a window of at least 1 ms");
  // The verify script counts in units of 1/limit ms: limit x window (ms) must stay an exact double.
  if (rl.limit * windowMs > Number.MAX_SAFE_INTEGER) {
    usage("rate limit: requests x window in milliseconds must be at most 2^53 (use a shorter window)");
  }
  return { limit: rl.limit, windowSeconds: windowMs / 1000 };
}

function checkMetadata(input: CreateKeyInput, screen: SecretScreen | null): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.metadata ?? {})) meta[k] = String(v);
  if (input.name !== undefined) {
    checkFreeText("name", String(input.name), 200, screen);
    meta.name = String(input.name);
  }
  checkMetadataText(meta, screen);
  return meta;
}

/** Builds a new key and its record from a validated input. */
export function buildNewKey(
  input: CreateKeyInput,
  ctx: {
    issuer: string;
    nowMs: number;
    rotatedFrom?: string;
    webhookAllow?: WebhookAllow;
    /** Credential screen for free-text fields (null: characters and lengths only). */
    screen?: SecretScreen | null;
  },
): { key: string; record: KeyRecord } {
  const env = input.env ?? "live";
  if (env !== "live" && env !== "test") usage(`env must be live or test, not "${env}"`);
  const expiresIn = input.expiresInSeconds;
  if (expiresIn !== undefined && !(Number.isFinite(expiresIn) && expiresIn > 0)) {
    usage("expiry must be a positive duration");
  }
  // A rotation copies fields its predecessor's creation already checked.
  const rotation = ctx.rotatedFrom !== undefined;
  const screen = rotation ? null : (ctx.screen ?? null);
  const owner = checkOwner(input.owner, rotation ? null : (ctx.webhookAllow ?? NO_WEBHOOK_ALLOW), screen);
  const scopes = checkScopes(input.scopes, screen);
  const manages = checkManages(input.manages, scopes, owner.id, screen);
  const key = generateKey(ctx.issuer, env);
  const record: KeyRecord = {
    id: newKeyId(),
    keyHash: sha256Hex(key),
    hint: keyHint(key),
    owner,
    scopes,
    manages,
    env,
    createdAt: new Date(ctx.nowMs).toISOString(),
    expiresAt: expiresIn === undefined ? null : new Date(ctx.nowMs + expiresIn * 1000).toISOString(),
    lastUsedAt: null,
    status: "active",
    rotatedFrom: ctx.rotatedFrom ?? null,
    rotatedTo: null,
    graceEndsAt: null,
    cidrs: checkCidrs(input.cidrs),
    rateLimit: checkRateLimit(input.rateLimit),
    metadata: checkMetadata(input, screen),
    revokedAt: null,
    revokeReason: null,
    revokedBy: null,
    usageCount: 0,
  };
  return { key, record };
}
