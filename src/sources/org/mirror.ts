/**
 * Bare mirrors of an org's repositories, cloned once and fetched on later runs (git-run.ts).
 * The token reaches git as an `http.<origin>/.extraheader` set through GIT_CONFIG_* environment
 * variables: never in a URL, never on a command line (`ps`), never in a file of the mirror.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { redactToken } from "../../lib/redact-token.js";
import { GitAbortedError, runGit } from "./git-run.js";

export interface MirrorAuth {
  /** GITHUB_TOKEN, or null for public repositories. */
  token: string | null;
}

/** Abandon a git process that printed nothing (not even progress) for this long. */
const SILENT_TIMEOUT_MS = 5 * 60_000;

/** Environment variables that could make git run commands (the ones simple-git refuses); org-scan does without them. */
const BLOCKED_ENV =
  /^(editor|pager|prefix|ssh_askpass|git_(askpass|config|config_global|config_system|config_count|config_key_\d+|config_value_\d+|editor|exec_path|external_diff|pager|proxy_command|template_dir|sequence_editor|ssh|ssh_command))$/i;

/** The child environment: the user's, minus BLOCKED_ENV, plus no prompts and the auth header. */
export function gitEnv(
  cloneUrl: string,
  auth: MirrorAuth,
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !BLOCKED_ENV.test(k)) env[k] = v;
  env.GIT_TERMINAL_PROMPT = "0"; // a missing or bad credential fails at once instead of waiting on a prompt
  const origin = httpOrigin(cloneUrl);
  if (auth.token && origin) {
    const basic = Buffer.from(`x-access-token:${auth.token}`).toString("base64");
    env.GIT_CONFIG_COUNT = "1";
    // Scoped to the clone URL's origin: the header goes to that host only.
    env.GIT_CONFIG_KEY_0 = `http.${origin}/.extraheader`;
    env.GIT_CONFIG_VALUE_0 = `AUTHORIZATION: basic ${basic}`;
  }
  return env;
}

function httpOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : null;
  } catch {
    return null;
  }
}

/** Runs git for the mirror of `cloneUrl` (the auth header in its environment only). */
function git(args: string[], cwd: string, cloneUrl: string, auth: MirrorAuth, signal?: AbortSignal): Promise<string> {
  return runGit(args, { cwd, env: gitEnv(cloneUrl, auth), silentMs: SILENT_TIMEOUT_MS, ...(signal ? { signal } : {}) });
}

/** A mirror's folder is usable when git sees a bare repository there. */
async function isBareRepo(dir: string, signal?: AbortSignal): Promise<boolean> {
  if (!existsSync(dir)) return false;
  try {
    return (await git(["rev-parse", "--is-bare-repository"], dir, dir, { token: null }, signal)).trim() === "true";
  } catch (err) {
    if (err instanceof GitAbortedError) throw err;
    return false;
  }
}

/**
 * Brings the mirror at `dir` up to date with `cloneUrl`: fetch (pruning deleted refs) when it
 * exists, else a fresh `clone --mirror` into a temporary folder renamed into place once complete,
 * so an interrupted clone never passes for a mirror. A folder that is not a repository is replaced.
 * `signal` stops git and its helpers (a worker shutting down); the call settles once they are
 * gone and the temporary folder is removed.
 *
 * @returns "cloned" or "fetched"
 * @throws GitAbortedError when `signal` stopped it; Error with git's own one-line reason, the token
 *   and URL credentials removed
 */
export async function syncMirror(
  cloneUrl: string,
  dir: string,
  auth: MirrorAuth,
  signal?: AbortSignal,
): Promise<"cloned" | "fetched"> {
  try {
    if (await isBareRepo(dir, signal)) {
      await git(["remote", "set-url", "origin", cloneUrl], dir, cloneUrl, auth, signal);
      // --progress: a long fetch keeps talking, so the silence timeout only catches a stall.
      await git(["fetch", "--progress", "--prune", "origin"], dir, cloneUrl, auth, signal);
      return "fetched";
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    removeAbandonedClones(dir);
    const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      await git(["clone", "--mirror", "--progress", "--", cloneUrl, tmp], dirname(dir), cloneUrl, auth, signal);
      renameSync(tmp, dir);
    } finally {
      rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
    return "cloned";
  } catch (err) {
    if (err instanceof GitAbortedError) throw err;
    throw new Error(gitReason(err, auth.token));
  }
}

/** Clones an interrupted run left behind (the org lock guarantees no live run is writing them). */
function removeAbandonedClones(dir: string): void {
  const prefix = `${basename(dir)}.tmp-`;
  for (const name of readdirSync(dirname(dir)))
    if (name.startsWith(prefix)) rmSync(join(dirname(dir), name), { recursive: true, force: true });
}

/** git's last "fatal:"/"error:" line (or the last line), without credentials. */
export function gitReason(err: unknown, token: string | null): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text
    .split(/[\r\n]+/)
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines.filter((l) => /^(fatal|error):/i.test(l)).pop();
  return redactToken(fatal ?? lines.pop() ?? "git failed", token);
}
