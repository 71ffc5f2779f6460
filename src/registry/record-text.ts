/** Human-readable views of key records for the CLI (never the key, only its hint). */
import { stripUrlCredentials } from "../lib/errors.js";
import { formatDuration } from "./durations.js";
import type { KeyRecord, VerifyResult } from "./types.js";

function owner(r: KeyRecord): string {
  // A webhook URL may carry a token in its user-info part: show it without.
  const webhook = r.owner.webhook ? stripUrlCredentials(r.owner.webhook) : undefined;
  const contact = [r.owner.name, r.owner.email, webhook].filter(Boolean).join(", ");
  return contact ? `${r.owner.id} (${contact})` : r.owner.id;
}

/** One record as aligned "field  value" lines. */
export function recordDetails(r: KeyRecord): string {
  const rows: [string, string | null][] = [
    ["id", r.id],
    ["hint", r.hint],
    ["status", r.status],
    ["owner", owner(r)],
    ["env", r.env],
    ["scopes", r.scopes.join(", ") || "(none)"],
    ["manages", r.manages.join(", ")],
    ["created", r.createdAt],
    ["expires", r.expiresAt ?? "never"],
    ["last used", r.lastUsedAt ?? "never"],
    ["uses", String(r.usageCount)],
    ["cidrs", r.cidrs.length ? r.cidrs.join(", ") : "any"],
    ["rate limit", r.rateLimit ? `${r.rateLimit.limit}/${formatDuration(r.rateLimit.windowSeconds)}` : "none"],
    ["rotated from", r.rotatedFrom],
    ["rotated to", r.rotatedTo],
    ["overlap ends", r.graceEndsAt],
    ["revoked", r.revokedAt ? `${r.revokedAt} by ${r.revokedBy ?? "?"}: ${r.revokeReason ?? ""}` : null],
    ...Object.entries(r.metadata).map(([k, v]): [string, string] => [`meta.${k}`, v]),
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== null)
    .map(([k, v]) => `${k.padEnd(13)}${v}`)
    .join("\n");
}

/** A table of records, one line each. */
export function recordTable(records: KeyRecord[]): string {
  const header = ["ID", "HINT", "OWNER", "ENV", "STATUS", "CREATED", "EXPIRES", "LAST USED"];
  const rows = records.map((r) => [
    r.id,
    r.hint,
    r.owner.id,
    r.env,
    r.status,
    r.createdAt.slice(0, 19),
    r.expiresAt?.slice(0, 19) ?? "never",
    r.lastUsedAt?.slice(0, 19) ?? "never",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i] as number))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** One line saying whether a key verified, and why not. */
export function verifyLine(v: VerifyResult): string {
  if (v.valid) {
    const rl = v.rateLimit ? `, ${v.rateLimit.remaining}/${v.rateLimit.limit} left` : "";
    return `valid: ${v.keyId} (owner ${v.owner?.id ?? "?"}, ${v.env}, scopes ${v.scopes?.join(",") || "none"}${rl})`;
  }
  const REASONS: Record<string, string> = {
    malformed: "not a well-formed key (bad format or checksum)",
    unknown: "no such key in this registry",
    revoked: "the key was revoked",
    expired: "the key has expired",
    rotated: "the key was rotated and its overlap window has ended",
    scope: "the key does not grant the requested scope",
    ip: "the source address is not in the key's CIDR allowlist",
    rate_limited: `rate limit exceeded${v.rateLimit ? `, retry in ${v.rateLimit.resetSeconds} s` : ""}`,
  };
  const which = v.keyId ? ` (${v.keyId})` : "";
  return `not valid: ${v.reason}${which}: ${REASONS[v.reason ?? ""] ?? "rejected"}`;
}
