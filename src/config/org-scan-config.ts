/**
 * Resolves `leakstop org-scan` settings: the org, GitHub (token, API URL), the mirror cache,
 * repository filters and concurrency. Precedence: flags > environment > defaults. Output, rules
 * and threads come from the scan settings (resolveScanConfig), shared with `leakstop scan`.
 */
import { resolve } from "node:path";
import { LeakstopError } from "../lib/errors.js";

export interface OrgScanFlags {
  org?: string;
  apiUrl?: string;
  cacheDir?: string;
  concurrency?: string;
  sinceLast?: boolean;
  includeArchived?: boolean;
  excludeArchived?: boolean;
  includeForks?: boolean;
  excludeForks?: boolean;
  repo?: string[];
  skipRepo?: string[];
}

export interface OrgScanSettings {
  org: string;
  /** Null when no token is set: public repositories only. */
  token: string | null;
  /** Raw text of --api-url / GITHUB_API_URL (checked by the GitHub client), or null for api.github.com. */
  apiUrl: { text: string; where: string } | null;
  cacheDir: string;
  concurrency: number;
  sinceLast: boolean;
  includeArchived: boolean;
  includeForks: boolean;
  /** Only these repository names (without the owner), if any. */
  only: string[];
  skip: string[];
}

/** Mirrors fetched at once by default: enough to hide network latency, few enough not to trip abuse limits. */
export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 32;

/** GitHub logins: letters, digits and single hyphens, at most 39 characters. */
const ORG_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_NAME = /^[A-Za-z0-9_.-]+$/;

function pair(include: boolean | undefined, exclude: boolean | undefined, name: string, dflt: boolean): boolean {
  if (include && exclude)
    throw new LeakstopError("LS_USAGE", `org-scan: --include-${name} and --exclude-${name} contradict`);
  if (include) return true;
  if (exclude) return false;
  return dflt;
}

function repoNames(list: string[] | undefined, org: string, flag: string): string[] {
  return (list ?? [])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const name = s.toLowerCase().startsWith(`${org.toLowerCase()}/`) ? s.slice(org.length + 1) : s;
      if (!REPO_NAME.test(name))
        throw new LeakstopError("LS_USAGE", `org-scan: ${flag} "${s}" is not a repository name of ${org}`);
      return name.toLowerCase();
    });
}

export function resolveOrgScanSettings(
  flags: OrgScanFlags,
  env: NodeJS.ProcessEnv,
  defaultCacheDir: string,
): OrgScanSettings {
  const org = flags.org?.trim();
  if (!org) throw new LeakstopError("LS_USAGE", "org-scan: --org ORG is required (see leakstop org-scan --help)");
  if (!ORG_LOGIN.test(org)) throw new LeakstopError("LS_USAGE", `org-scan: "${org}" is not a GitHub organization name`);
  const concurrencyText = flags.concurrency ?? env.LEAKSTOP_CONCURRENCY;
  let concurrency = DEFAULT_CONCURRENCY;
  if (concurrencyText !== undefined) {
    concurrency = Number(concurrencyText);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
      throw new LeakstopError(
        "LS_USAGE",
        `${flags.concurrency !== undefined ? "--concurrency" : "LEAKSTOP_CONCURRENCY"} must be a whole number from 1 to ${MAX_CONCURRENCY}`,
      );
  }
  const token = (env.GITHUB_TOKEN ?? env.GH_TOKEN ?? "").trim() || null;
  const apiText = flags.apiUrl ?? env.GITHUB_API_URL;
  const cacheDir = flags.cacheDir ?? env.LEAKSTOP_CACHE_DIR;
  return Object.freeze({
    org,
    token,
    apiUrl: apiText ? { text: apiText, where: flags.apiUrl !== undefined ? "--api-url" : "GITHUB_API_URL" } : null,
    cacheDir: cacheDir ? resolve(cacheDir) : defaultCacheDir,
    concurrency,
    sinceLast: flags.sinceLast === true,
    includeArchived: pair(flags.includeArchived, flags.excludeArchived, "archived", true),
    includeForks: pair(flags.includeForks, flags.excludeForks, "forks", false),
    only: repoNames(flags.repo, org, "--repo"),
    skip: repoNames(flags.skipRepo, org, "--skip-repo"),
  });
}
