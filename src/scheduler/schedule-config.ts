/**
 * When scheduled org scans run and over which organizations: LEAKSTOP_ORG_SCAN_CRON (e.g.
 * "0 3 * * *"; 5 fields, or 6 with seconds first), LEAKSTOP_ORG_SCAN_ORGS ("acme,beta") and
 * LEAKSTOP_ORG_SCAN_TZ (an IANA zone, default UTC), or [scheduler] cron / orgs / tz in the
 * service config file (config/service-fields.ts).
 */
import { resolve } from "node:path";
import { loadServiceConfig, type ServiceConfig } from "../config/service-config.js";
import { DEFAULT_API_URL, normalizeApiUrl } from "../github/client.js";
import { LeakstopError } from "../lib/errors.js";
import { defaultCacheDir } from "../sources/org/cache-layout.js";

/** The schedule of org scans. */
export interface OrgScanSchedule {
  cron: string;
  orgs: string[];
  /** IANA time zone of the cron pattern (default "UTC"). */
  tz: string;
}

/** GitHub logins: letters, digits and single hyphens, at most 39 characters. */
const ORG_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const CRON_FIELD = /^[0-9A-Za-z*,/?#LW-]+$/;

/** Checks a cron pattern's shape (BullMQ's parser checks the ranges when the scheduler is stored). */
export function checkCron(cron: string, where: string): string {
  const fields = cron.trim().split(/\s+/);
  if ((fields.length !== 5 && fields.length !== 6) || !fields.every((f) => CRON_FIELD.test(f)))
    throw new LeakstopError("LS_CONFIG_INVALID", `${where} "${cron}" is not a cron pattern (e.g. "0 3 * * *")`);
  return fields.join(" ");
}

/** Checks a list of organization logins; lower-cased, deduplicated, in the given order. */
export function checkOrgs(orgs: string[], where: string): string[] {
  const out: string[] = [];
  for (const raw of orgs) {
    const org = raw.trim();
    if (org === "") continue;
    if (!ORG_LOGIN.test(org))
      throw new LeakstopError("LS_CONFIG_INVALID", `${where}: "${org}" is not a GitHub organization name`);
    if (!out.includes(org.toLowerCase())) out.push(org.toLowerCase());
  }
  return out;
}

/** The schedule from the service config's [scheduler] (or its variables), or null when none is set. Both or neither. */
export function orgScanSchedule(
  config: Pick<ServiceConfig["scheduler"], "cron" | "orgs" | "tz">,
): OrgScanSchedule | null {
  const cron = config.cron?.trim();
  const orgs = checkOrgs([...config.orgs], "LEAKSTOP_ORG_SCAN_ORGS");
  if (!cron && orgs.length === 0) return null;
  if (!cron)
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_ORG_SCAN_ORGS is set without LEAKSTOP_ORG_SCAN_CRON");
  if (orgs.length === 0)
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_ORG_SCAN_CRON is set without LEAKSTOP_ORG_SCAN_ORGS");
  const tz = config.tz.trim() || "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    throw new LeakstopError("LS_CONFIG_INVALID", `LEAKSTOP_ORG_SCAN_TZ "${tz}" is not a time zone`);
  }
  return { cron: checkCron(cron, "LEAKSTOP_ORG_SCAN_CRON"), orgs, tz };
}

/** {@link orgScanSchedule} from an environment alone (no config file). */
export function orgScanScheduleFromEnv(env: NodeJS.ProcessEnv): OrgScanSchedule | null {
  return orgScanSchedule(loadServiceConfig({ env }).scheduler);
}

/**
 * Where org scans list and clone: GITHUB_API_URL, GITHUB_TOKEN (or GH_TOKEN), and this host's
 * mirror cache (LEAKSTOP_CACHE_DIR, default $XDG_CACHE_HOME/leakstop).
 */
export interface OrgScanEnv {
  apiUrl: string;
  token: string | null;
  cacheDir: string;
}

export function orgScanEnv(env: NodeJS.ProcessEnv): OrgScanEnv {
  const api = env.GITHUB_API_URL?.trim();
  return {
    apiUrl: api ? normalizeApiUrl(api, "GITHUB_API_URL") : DEFAULT_API_URL,
    token: (env.GITHUB_TOKEN ?? env.GH_TOKEN ?? "").trim() || null,
    cacheDir: env.LEAKSTOP_CACHE_DIR?.trim() ? resolve(env.LEAKSTOP_CACHE_DIR.trim()) : defaultCacheDir(env),
  };
}
