/**
 * GitHub secret-scanning partner alerts → FindingJobs. An alert is `{token, type, url, source}`;
 * the token is hashed at once and never kept: jobs and answers carry its SHA-256 only. Where
 * it leaked comes from the URL (a blob URL names repository, commit, path and line).
 */
import { parseKey } from "../keyformat/key-format.js";
import { sha256Hex } from "../lib/hash.js";
import { findingIdOf } from "../queue/finding-id.js";
import { type FindingJob, JOB_SCHEMA_VERSION, type LeakLocation } from "../queue/jobs.js";

/** One match as GitHub sends it (after validation; the token is still raw here). */
export interface PartnerAlert {
  token: string;
  type: string;
  url: string;
  source: string;
}

/** One alert's answer entry, GitHub's feedback format (hashed form only). */
export interface PartnerLabel {
  token_hash: string;
  token_type: string;
  label: "true_positive" | "false_positive";
}

const MAX_TOKEN_LENGTH = 4096;
const MAX_FIELD_LENGTH = 2048;

/**
 * Checks the parsed body: a non-empty array of objects with a string `token` and `type`
 * (`url` and `source` may be missing or empty). Messages name the field, never its value.
 * @returns the alerts, or the first problem as a one-line message
 */
export function parsePartnerAlerts(body: unknown): PartnerAlert[] | string {
  if (!Array.isArray(body)) return "the body must be a JSON array of secret-scanning matches";
  if (body.length === 0) return "the body holds no matches";
  const alerts: PartnerAlert[] = [];
  for (const [i, item] of body.entries()) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return `body[${i}] must be an object`;
    const o = item as Record<string, unknown>;
    if (typeof o.token !== "string" || o.token === "" || o.token.length > MAX_TOKEN_LENGTH)
      return `body[${i}].token must be a non-empty string of at most ${MAX_TOKEN_LENGTH} characters`;
    for (const field of ["type", "url", "source"] as const) {
      const v = o[field];
      const required = field === "type";
      if ((v === undefined || v === null) && !required) continue;
      if (typeof v !== "string" || v.length > MAX_FIELD_LENGTH || (required && v === ""))
        return `body[${i}].${field} must be a ${required ? "non-empty " : ""}string`;
    }
    alerts.push({
      token: o.token,
      type: o.type as string,
      url: (o.url as string | undefined) ?? "",
      source: (o.source as string | undefined) ?? "",
    });
  }
  return alerts;
}

/** `https://github.com/<owner>/<repo>/blob/<commit>/<path>#L<n>` */
const BLOB = /^\/([^/]+)\/([^/]+)\/blob\/([0-9a-f]{7,64})\/(.+)$/;

/** Where an alert says the token was: from a blob URL all of it, else the repository and the page. */
export function partnerLocation(alert: Pick<PartnerAlert, "url" | "source">): LeakLocation {
  const fallback: LeakLocation = {
    source: "github-partner",
    path: `(${alert.source.toLowerCase() || "unknown"})`,
    startLine: 0,
    startColumn: 0,
  };
  let u: URL;
  try {
    u = new URL(alert.url);
  } catch {
    return fallback;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return fallback;
  // Never keep credentials or a query (it could hold anything); the page and its anchor say where.
  const url = `${u.origin}${u.pathname}${u.hash}`;
  const blob = BLOB.exec(u.pathname);
  if (blob) {
    const line = /^#L(\d{1,9})/.exec(u.hash);
    return {
      source: "github-partner",
      repository: `${decode(blob[1]!)}/${decode(blob[2]!)}`,
      commit: blob[3]!,
      path: decode(blob[4]!),
      startLine: line ? Number(line[1]) : 0,
      startColumn: 0,
      url,
    };
  }
  const parts = u.pathname.split("/").filter(Boolean).map(decode);
  return {
    source: "github-partner",
    ...(parts.length >= 2 ? { repository: `${parts[0]}/${parts[1]}` } : {}),
    path: `${parts.slice(2).join("/") || fallback.path}${u.hash}`,
    startLine: 0,
    startColumn: 0,
    url,
  };
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The rule id of a partner type: `github-partner/<type>`, limited to safe characters. */
function ruleIdOf(type: string): string {
  return `github-partner/${type.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 100)}`;
}

/** An alert once its token is hashed: from here on nothing holds the raw token. */
export interface HashedAlert extends Omit<PartnerAlert, "token"> {
  /**
   * SHA-256 hex of the raw token: GitHub's token_hash and the registry's keyHash alike. (The scan
   * side's secretHashOf differs only for PEM blocks, which no partner token format is.)
   */
  secretHash: string;
  /** The token is in leakstop's own key format with a valid checksum. */
  ownKey: boolean;
}

/** Hashes each alert's token. */
export function hashAlerts(alerts: PartnerAlert[]): HashedAlert[] {
  return alerts.map(({ token, ...rest }) => ({
    ...rest,
    secretHash: sha256Hex(token),
    ownKey: parseKey(token) !== null,
  }));
}

/** The FindingJob of one alert. */
export function partnerFindingJob(alert: HashedAlert, detectedAt: string): FindingJob {
  const location = partnerLocation(alert);
  return {
    v: JOB_SCHEMA_VERSION,
    findingId: findingIdOf(alert.secretHash, location),
    secretHash: alert.secretHash,
    // An issued key (leakstop format, valid checksum) is what the registry can revoke.
    ruleId: alert.ownKey ? "leakstop-key" : ruleIdOf(alert.type),
    provider: alert.ownKey ? "leakstop" : "github-partner",
    severity: "critical",
    validated: alert.ownKey,
    location,
    detectedAt,
    reporter: "github-partner",
  };
}
