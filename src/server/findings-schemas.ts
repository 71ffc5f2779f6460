/**
 * JSON schemas of the findings intake (POST /v1/findings) and GET /v1/report-key: the FindingJob
 * payload of queue/jobs.ts, strictly (unknown fields refused, every string bounded).
 */
import { SEALED_ALG } from "../lib/sealed-box.js";

/** Most findings in one POST /v1/findings. */
export const MAX_FINDINGS_PER_BATCH = 500;
/** Largest POST /v1/findings body: 500 findings of ~1.5 KiB each, with room. */
export const FINDINGS_BODY_LIMIT = 1024 * 1024;

const HEX64 = { type: "string", pattern: "^[0-9a-f]{64}$" } as const;
const b64url = (min: number, max: number) =>
  ({ type: "string", minLength: min, maxLength: max, pattern: "^[A-Za-z0-9_-]*$" }) as const;

const sealedSecretSchema = {
  type: "object",
  additionalProperties: false,
  required: ["alg", "keyId", "epk", "iv", "ct", "tag"],
  properties: {
    alg: { type: "string", enum: [SEALED_ALG] },
    keyId: HEX64,
    epk: b64url(43, 43),
    iv: b64url(16, 16),
    ct: b64url(1, 8192),
    tag: b64url(22, 22),
  },
} as const;

const locationSchema = {
  type: "object",
  additionalProperties: false,
  required: ["source", "path", "startLine", "startColumn"],
  properties: {
    source: { type: "string", enum: ["tree", "history", "range", "staged", "stdin", "org"] },
    path: { type: "string", maxLength: 4096 },
    startLine: { type: "integer", minimum: 1, maximum: 2_147_483_647 },
    startColumn: { type: "integer", minimum: 1, maximum: 2_147_483_647 },
    commit: { type: "string", pattern: "^[0-9a-f]{40}([0-9a-f]{24})?$" },
    repository: { type: "string", minLength: 1, maxLength: 256, pattern: "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$" },
    url: { type: "string", format: "uri", pattern: "^https?://", maxLength: 2048 },
  },
} as const;

/** One FindingJob as a producer sends it. */
export const findingJobSchema = {
  type: "object",
  additionalProperties: false,
  required: [
    "v",
    "findingId",
    "secretHash",
    "ruleId",
    "provider",
    "severity",
    "validated",
    "location",
    "detectedAt",
    "reporter",
  ],
  properties: {
    v: { type: "integer", enum: [1] },
    findingId: { ...HEX64, description: "SHA-256 hex of secretHash + location (queue/finding-id.ts)" },
    secretHash: { ...HEX64, description: "SHA-256 hex of the raw secret" },
    ruleId: { type: "string", minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9][A-Za-z0-9._:-]*$" },
    provider: { type: "string", minLength: 1, maxLength: 128 },
    severity: { type: "string", enum: ["critical", "high", "medium", "low"] },
    validated: { type: ["boolean", "null"] },
    location: locationSchema,
    detectedAt: { type: "string", format: "date-time" },
    reporter: { type: "string", minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_.:-]+$" },
    sealedSecret: sealedSecretSchema,
  },
} as const;

/** POST /v1/findings. */
export const findingsBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["findings"],
  properties: {
    findings: { type: "array", minItems: 1, maxItems: MAX_FINDINGS_PER_BATCH, items: findingJobSchema },
  },
} as const;

/** The 202 answer. */
export const findingsAcceptedSchema = {
  type: "object",
  additionalProperties: false,
  required: ["accepted", "duplicates"],
  properties: {
    accepted: { type: "integer", description: "findings queued now" },
    duplicates: { type: "integer", description: "findings already queued earlier (same findingId): no second effect" },
  },
} as const;

/** GET /v1/report-key. */
export const reportKeySchema = {
  type: "object",
  additionalProperties: false,
  required: ["alg", "keyId", "publicKey"],
  properties: {
    alg: { type: "string", enum: [SEALED_ALG] },
    keyId: { ...HEX64, description: "SHA-256 hex of the key's DER SPKI (a sealed secret's keyId)" },
    publicKey: { type: "string", description: "X25519 public key, PEM (SPKI)" },
  },
} as const;
