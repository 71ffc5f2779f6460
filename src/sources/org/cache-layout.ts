/**
 * Where org-scan keeps its bare mirrors and its --since-last state:
 *   <cache>/mirrors/<host>/<owner>/<name>.git   bare mirrors, fetched again on each run
 *   <cache>/state/<host>/<owner>/<name>.json    the ref tips scanned last time
 * The host keeps github.com and a GitHub Enterprise server with the same org name apart.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { LeakstopError } from "../../lib/errors.js";

/** $XDG_CACHE_HOME/leakstop, else ~/.cache/leakstop. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  // XDG: a relative XDG_CACHE_HOME is invalid and ignored.
  return xdg?.startsWith("/") ? resolve(xdg, "leakstop") : join(homedir(), ".cache", "leakstop");
}

/** GitHub's owner and repository names: letters, digits, ".", "_", "-" (so never a path escape). */
const FULL_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export interface RepoPaths {
  mirror: string;
  state: string;
}

/**
 * @throws LeakstopError LS_GITHUB_API for a name that is not a GitHub "owner/name" (it would not be
 * safe as a path; only a broken or hostile API answers one)
 */
export function repoPaths(cacheDir: string, fullName: string, cloneUrl: string): RepoPaths {
  if (!FULL_NAME.test(fullName) || fullName.split("/").some((p) => p === "." || p === ".."))
    throw new LeakstopError("LS_GITHUB_API", `the API returned an invalid repository name ${JSON.stringify(fullName)}`);
  const host = hostOf(cloneUrl);
  const [owner, name] = fullName.split("/") as [string, string];
  return {
    mirror: join(cacheDir, "mirrors", host, owner, `${name}.git`),
    state: join(cacheDir, "state", host, owner, `${name}.json`),
  };
}

/** "github.com", "ghe.example.com_8443", or "local" for a file path / file:// URL. */
function hostOf(cloneUrl: string): string {
  try {
    const u = new URL(cloneUrl);
    if (u.protocol === "file:" || u.host === "") return "local";
    return u.host.toLowerCase().replace(/[^a-z0-9.-]/g, "_");
  } catch {
    return "local";
  }
}
