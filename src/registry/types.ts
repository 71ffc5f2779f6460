/**
 * The key registry's public types (SPEC §6): records, scopes, role presets and
 * verify results. Shared by the registry, the CLI and the HTTP server.
 */
import type { AuditSigner } from "../audit/signing.js";

import type { WebhookAllow } from "../notify/webhook-url.js";
import type { SecretScreen } from "./free-text.js";
import type { Sealer } from "./seal.js";

/** Every scope a leakstop key can carry. */
export const SCOPES = ["keys:read", "keys:write", "keys:revoke", "findings:write", "audit:read"] as const;
export type Scope = (typeof SCOPES)[number];

/** Role presets: a role is only a named set of scopes, the record keeps the scopes. */
export const ROLE_SCOPES: Record<"admin" | "issuer" | "auditor" | "scanner", Scope[]> = {
  admin: ["keys:read", "keys:write", "keys:revoke", "findings:write", "audit:read"],
  issuer: ["keys:read", "keys:write", "keys:revoke"],
  auditor: ["keys:read", "audit:read"],
  scanner: ["findings:write"],
};
export type Role = keyof typeof ROLE_SCOPES;

/** True for scopes holding every admin scope: such a key manages every owner. */
export function isAdminScopes(scopes: readonly string[]): boolean {
  return ROLE_SCOPES.admin.every((s) => scopes.includes(s));
}

export type KeyStatus = "active" | "revoked" | "expired";

/** Who a key belongs to and how to reach them when it leaks. */
export interface KeyOwner {
  id: string;
  name?: string;
  email?: string;
  webhook?: string;
}

/** One issued key as the registry keeps it: never the key itself, only its SHA-256. */
export interface KeyRecord {
  id: string;
  keyHash: string;
  hint: string;
  owner: KeyOwner;
  scopes: string[];
  /**
   * Owner ids whose keys this key may create, rotate and revoke (with keys:* scopes); `*` for all.
   * Admin keys manage all; other keys default to their own owner.
   */
  manages: string[];
  env: "live" | "test";
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  /** Effective status: an active record whose expiry (or rotation overlap) has passed reads as "expired". */
  status: KeyStatus;
  rotatedFrom: string | null;
  rotatedTo: string | null;
  /** End of the rotation overlap window (set on the old key when it is rotated). */
  graceEndsAt: string | null;
  cidrs: string[];
  rateLimit: { limit: number; windowSeconds: number } | null;
  metadata: Record<string, string>;
  revokedAt: string | null;
  revokeReason: string | null;
  revokedBy: string | null;
  /** Successful verifications. */
  usageCount: number;
}

export type VerifyFailure =
  | "malformed"
  | "unknown"
  | "revoked"
  | "expired"
  | "rotated"
  | "scope"
  | "ip"
  | "rate_limited";

/** What the verify hot path answers. `reason` is set when `valid` is false. */
export interface VerifyResult {
  valid: boolean;
  reason?: VerifyFailure;
  keyId?: string;
  owner?: KeyRecord["owner"];
  scopes?: string[];
  env?: string;
  rateLimit?: { limit: number; remaining: number; resetSeconds: number };
}

/** Input of {@link Registry.create}. */
export interface CreateKeyInput {
  owner: KeyRecord["owner"];
  /** A label for the key, kept as `metadata.name`. */
  name?: string;
  scopes?: string[];
  /** Owner ids this key manages (`*` for all); default: its own owner (admins: `*`). */
  manages?: string[];
  env?: "live" | "test";
  expiresInSeconds?: number;
  cidrs?: string[];
  rateLimit?: { limit: number; windowSeconds: number };
  metadata?: Record<string, string>;
}

/** Filter of {@link Registry.list}; dates are ISO-8601; `cursor` comes from the previous page. */
export interface ListFilter {
  owner?: string;
  env?: string;
  status?: string;
  createdBefore?: string;
  createdAfter?: string;
  cursor?: string;
  limit?: number;
  /** Only keys of these owner ids (a caller's reach; absent: every owner). */
  ownerIn?: readonly string[];
}

/** Options of the Registry: issuer prefix (default LEAKSTOP_ISSUER or "lsk"), key namespace, clock. */
export interface RegistryOptions {
  issuer?: string;
  /** Non-public webhook hosts/networks allowed at registration (default: LEAKSTOP_WEBHOOK_ALLOW). */
  webhookAllow?: WebhookAllow;
  /** Seals new keys held for idempotent retries (default: LEAKSTOP_SEAL_KEY, else derived from the audit key, else a per-process key). */
  sealer?: Sealer;
  /** Credential screen for free-text fields (registry/secret-screen.ts); default none. */
  screen?: SecretScreen;
  namespace?: string;
  now?: () => number;
  /** Signs audit entries (default: the key at LEAKSTOP_AUDIT_KEY, if set; null: never sign). */
  auditSigner?: AuditSigner | null;
  /** How often verify's usage counts are written (default 1000 ms). */
  usageFlushMs?: number;
}
