/**
 * JSON schemas of the HTTP API: fastify validates requests with them (ajv, no
 * type coercion, unknown fields rejected) and serializes responses through them,
 * so a response can only carry the fields listed here. The OpenAPI document is
 * built from the same objects.
 */

const str = { type: "string" } as const;
const nullableStr = { type: ["string", "null"] } as const;
const isoTime = { type: "string", format: "date-time" } as const;
const nullableTime = { type: ["string", "null"], format: "date-time" } as const;
const KEY_ID = { type: "string", minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9_.:-]+$" } as const;
/** The registry's own rules, so a bad value is a 400 naming the field, not a message without one. */
const SCOPE_NAME = { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9:._*/-]*$" } as const;

/** Owner of a key: who is told when it leaks. */
export const ownerSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: {
    id: { type: "string", minLength: 1, maxLength: 128, pattern: "^\\S+$", description: "no spaces" },
    name: { type: "string", maxLength: 200 },
    email: { type: "string", format: "email", maxLength: 320 },
    webhook: { type: "string", format: "uri", pattern: "^https?://", maxLength: 2048 },
  },
} as const;

const rateLimitSchema = {
  type: "object",
  additionalProperties: false,
  required: ["limit", "windowSeconds"],
  properties: {
    limit: { type: "integer", minimum: 1, maximum: 1_000_000_000 },
    windowSeconds: { type: "integer", minimum: 1, maximum: 31_536_000 },
  },
} as const;

/** POST /v1/keys: the options of `leakstop keys create`. */
export const createKeyBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["owner"],
  properties: {
    owner: ownerSchema,
    name: { type: "string", maxLength: 200 },
    scopes: {
      type: "array",
      maxItems: 64,
      uniqueItems: true,
      items: SCOPE_NAME,
      description: "leakstop scopes (keys:read, keys:write, keys:revoke, findings:write, audit:read) or your own",
    },
    manages: {
      type: "array",
      minItems: 1,
      maxItems: 256,
      uniqueItems: true,
      items: { type: "string", minLength: 1, maxLength: 128, pattern: "^\\S+$" },
      description:
        'owner ids whose keys this key may create, rotate and revoke, or ["*"] for all (default: its own owner; admins: all)',
    },
    role: {
      type: "string",
      enum: ["admin", "issuer", "auditor", "scanner"],
      description: "adds the role's leakstop scopes to `scopes`; a caller can only grant scopes it holds",
    },
    env: { type: "string", enum: ["live", "test"], description: "default live" },
    expiresInSeconds: { type: "integer", minimum: 1, maximum: 3_153_600_000, description: "default: never" },
    cidrs: {
      type: "array",
      maxItems: 256,
      items: { type: "string", minLength: 2, maxLength: 64, format: "cidr" },
      description: "source networks the key may be used from, IPv4 or IPv6 (default: anywhere)",
    },
    rateLimit: rateLimitSchema,
    metadata: {
      type: "object",
      maxProperties: 32,
      description: "at most 32 entries, `name` included",
      additionalProperties: { type: "string", maxLength: 1024 },
    },
  },
} as const;

/** POST /v1/keys/:id/rotate. */
export const rotateBodySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    overlapSeconds: {
      type: "integer",
      minimum: 0,
      maximum: 31_536_000,
      default: 86_400,
      description: "how long the old key keeps verifying (default 24 h)",
    },
  },
} as const;

/** POST /v1/keys/:id/revoke. */
export const revokeBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["reason"],
  properties: {
    reason: {
      type: "string",
      minLength: 1,
      maxLength: 500,
      pattern: "^[^\\r\\n]*\\S[^\\r\\n]*$",
      description: "one line",
    },
  },
} as const;

/** POST /v1/keys/verify: what an API gateway sends for each call it receives. */
export const verifyBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["key"],
  properties: {
    key: { type: "string", minLength: 1, maxLength: 256 },
    scope: {
      type: "string",
      minLength: 1,
      maxLength: 1024,
      pattern: "^[A-Za-z0-9_.:*/, -]+$",
      description: "scope(s) the call needs; several are separated by spaces or commas",
    },
    ip: {
      type: "string",
      minLength: 2,
      maxLength: 64,
      description: "address the key was presented from, checked against its CIDR list",
    },
  },
} as const;

/** Headers of create, rotate and revoke: the optional Idempotency-Key. */
export const idempotencyHeadersSchema = {
  type: "object",
  properties: {
    "idempotency-key": {
      type: "string",
      minLength: 1,
      maxLength: 255,
      pattern: "^[\\x21-\\x7e]+$",
      description: "a retry with the same key (same caller, same request, within 10 minutes) gets the first outcome",
    },
  },
} as const;

/** `:id` in key routes. */
export const keyIdParamsSchema = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: { id: KEY_ID },
} as const;

/** GET /v1/keys query: filters and cursor pagination (numbers arrive as strings: no coercion). */
export const listKeysQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    owner: { type: "string", minLength: 1, maxLength: 200 },
    env: { type: "string", enum: ["live", "test"] },
    status: { type: "string", enum: ["active", "revoked", "expired"] },
    createdBefore: isoTime,
    createdAfter: isoTime,
    cursor: { type: "string", minLength: 1, maxLength: 512 },
    limit: { type: "string", pattern: "^(?:[1-9][0-9]{0,2}|1000)$", description: "1 to 1000 (default 100)" },
  },
} as const;

/** GET /v1/audit query. */
export const auditQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: { since: isoTime },
} as const;

/** A key record as the API shows it: everything but the key itself (never stored). */
export const keyRecordSchema = {
  type: "object",
  required: ["id", "hint", "owner", "scopes", "env", "status", "createdAt"],
  properties: {
    id: str,
    keyHash: { type: "string", description: "SHA-256 hex of the key, the same value a finding's secretHash carries" },
    hint: str,
    owner: {
      type: "object",
      properties: { id: str, name: str, email: str, webhook: str },
    },
    scopes: { type: "array", items: str },
    manages: { type: "array", items: str },
    env: str,
    status: { type: "string", enum: ["active", "revoked", "expired"] },
    createdAt: isoTime,
    expiresAt: nullableTime,
    lastUsedAt: nullableTime,
    rotatedFrom: nullableStr,
    rotatedTo: nullableStr,
    graceEndsAt: nullableTime,
    cidrs: { type: "array", items: str },
    rateLimit: {
      type: ["object", "null"],
      properties: { limit: { type: "integer" }, windowSeconds: { type: "integer" } },
    },
    metadata: { type: "object", additionalProperties: str },
    revokedAt: nullableTime,
    revokeReason: nullableStr,
    revokedBy: nullableStr,
    usageCount: { type: "integer" },
  },
} as const;

/** The answer to create and rotate: the new key, shown this once. */
export const issuedKeySchema = {
  type: "object",
  required: ["key", "record"],
  properties: {
    key: { type: "string", description: "the new key; shown once, never stored, never retrievable again" },
    record: keyRecordSchema,
    previous: keyRecordSchema,
  },
} as const;

/** GET /v1/keys answer. */
export const keyListSchema = {
  type: "object",
  required: ["items", "nextCursor"],
  properties: { items: { type: "array", items: keyRecordSchema }, nextCursor: nullableStr },
} as const;

/** POST /v1/keys/verify answer: the registry's verdict, without any secret. */
export const verifyResultSchema = {
  type: "object",
  required: ["valid"],
  properties: {
    valid: { type: "boolean" },
    reason: {
      type: "string",
      enum: ["malformed", "unknown", "revoked", "expired", "rotated", "scope", "ip", "rate_limited"],
    },
    keyId: str,
    owner: { type: "object", properties: { id: str, name: str } },
    scopes: { type: "array", items: str },
    env: str,
    rateLimit: {
      type: "object",
      properties: {
        limit: { type: "integer" },
        remaining: { type: "integer" },
        resetSeconds: { type: "number" },
      },
    },
  },
} as const;

/** One line of GET /v1/audit: an audit entry (src/audit/types.ts). */
export const auditEntrySchema = {
  type: "object",
  required: ["seq", "prevHash", "hash", "id", "ts", "action", "actor", "keyId", "hint", "details"],
  properties: {
    seq: { type: "integer" },
    prevHash: str,
    hash: str,
    id: str,
    ts: isoTime,
    action: str,
    actor: str,
    keyId: nullableStr,
    hint: nullableStr,
    details: { type: "object" },
  },
} as const;

/** GET /v1/audit/verify answer. */
export const auditVerifySchema = {
  type: "object",
  required: ["ok"],
  properties: {
    ok: { type: "boolean" },
    count: { type: "integer" },
    index: { type: "integer" },
    entryId: str,
    problem: {
      type: "string",
      enum: [
        "edited",
        "dropped",
        "reordered",
        "inserted",
        "unsigned",
        "forged",
        "wiped",
        "truncated",
        "rewritten",
        "anchor_invalid",
      ],
    },
    /** The checkpoint file a problem was found against. */
    anchor: str,
    /** One line naming what was found (or, when intact, what was checked and what was not). */
    message: str,
    /** Fingerprint of the audit public key signatures were checked with; null when not checked. */
    signatures: { type: ["string", "null"] },
    /** The checkpoint compared against (newest in the anchor directory); null when none. */
    checkpoint: {
      type: ["object", "null"],
      required: ["file", "seq", "time"],
      properties: { file: str, seq: { type: "integer" }, time: str },
    },
  },
} as const;

/** GET /healthz answer. */
export const healthSchema = {
  type: "object",
  required: ["status", "redis"],
  properties: { status: { type: "string", enum: ["ok", "unavailable"] }, redis: { type: "string" } },
} as const;
