/**
 * The Octokit factory: @octokit/rest with the throttling and retry plugins, a token from the caller
 * (never logged), an optional GitHub Enterprise base URL and a timeout on every request. Only the
 * org-scan command loads this module (the scan and hook paths never load Octokit).
 */

import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { LeakstopError } from "../lib/errors.js";
import { redactToken } from "../lib/redact-token.js";
import { socketErrorCode } from "../lib/socket-error.js";

export type GitHubClient = InstanceType<typeof Octokit>;

export const DEFAULT_API_URL = "https://api.github.com";

export interface GitHubClientOptions {
  /** GITHUB_TOKEN; null = unauthenticated (public repositories only, 60 requests an hour). */
  token: string | null;
  /** REST base URL: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  /** Milliseconds before one request is abandoned (default 30 s). */
  timeoutMs?: number;
  /** Retries of a failed request (5xx, network error) with growing pauses of 1, 4, 9 s (default 3). */
  retries?: number;
  /** Told when the client waits for a rate limit, so the user sees why nothing moves. */
  onWait?: (message: string) => void;
}

/** Longest wait for a primary rate limit's reset before giving up (GitHub resets hourly). */
const MAX_RATE_LIMIT_WAIT_S = 15 * 60;
const MAX_LIMIT_RETRIES = 3;

/** Checks --api-url / GITHUB_API_URL: an http(s) URL without credentials; returns it without a trailing "/". */
export function normalizeApiUrl(text: string, where: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LeakstopError("LS_USAGE", `${where} is not a URL (e.g. https://github.example.com/api/v3)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new LeakstopError("LS_USAGE", `${where} must be an http(s) URL`);
  if (url.username || url.password)
    throw new LeakstopError("LS_USAGE", `${where} must not carry credentials (set GITHUB_TOKEN instead)`);
  return url.href.replace(/\/+$/, "");
}

export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const ThrottledOctokit = Octokit.plugin(throttling, retry);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const wait = opts.onWait ?? (() => {});
  const quiet = () => {};
  return new ThrottledOctokit({
    auth: opts.token ?? undefined,
    baseUrl: opts.apiUrl,
    userAgent: "leakstop-org-scan",
    // Octokit's default logger prints request errors with their URLs to the console; the CLI
    // reports errors itself, one line each, with the token stripped.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: {
      fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    },
    throttle: {
      onRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, count: number) => {
        if (count >= MAX_LIMIT_RETRIES || retryAfter > MAX_RATE_LIMIT_WAIT_S) return false;
        wait(`GitHub API rate limit reached (${options.method} ${options.url}); waiting ${retryAfter} s for its reset`);
        return true;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        options: { method: string; url: string },
        _o: unknown,
        count: number,
      ) => {
        if (count >= MAX_LIMIT_RETRIES) return false;
        wait(`GitHub API secondary rate limit (${options.method} ${options.url}); retrying in ${retryAfter} s`);
        return true;
      },
    },
    retry: { retries: opts.retries ?? 3 },
  });
}

/**
 * Turns an Octokit/fetch failure into one LeakstopError line: 401 → LS_GITHUB_AUTH, 404 →
 * LS_GITHUB_NOT_FOUND, anything else → LS_GITHUB_API. The token never appears in the message.
 */
export function gitHubError(err: unknown, what: string, apiUrl: string, token: string | null): LeakstopError {
  const e = err as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
  const status = typeof e.status === "number" ? e.status : 0;
  const detail = redactToken(firstLine(e.message ?? String(err)), token);
  if (status === 401)
    return new LeakstopError(
      "LS_GITHUB_AUTH",
      token
        ? `GitHub at ${apiUrl} rejected GITHUB_TOKEN (401 ${detail}): check the token and that it has not expired`
        : `GitHub at ${apiUrl} asks for a token (401): set GITHUB_TOKEN`,
    );
  if (status === 404)
    return new LeakstopError(
      "LS_GITHUB_NOT_FOUND",
      `${what}: not found at ${apiUrl} (404; a private organization also answers 404 to a token that cannot see it)`,
    );
  if (status === 403 || status === 429) {
    const headers = e.response?.headers ?? {};
    const reset = Number(headers["x-ratelimit-reset"]);
    const until = reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
    const why = headers["x-ratelimit-remaining"] === "0" ? `rate limit exhausted${until}` : detail;
    return new LeakstopError("LS_GITHUB_API", `${what}: GitHub at ${apiUrl} refused (${status} ${why})`);
  }
  const cause = status > 0 ? `${status} ${detail}` : causeOf(err, token);
  return new LeakstopError("LS_GITHUB_API", `${what}: GitHub API at ${apiUrl} failed (${cause})`);
}

function firstLine(text: string): string {
  return text
    .split("\n")[0]!
    .replace(/\s+-\s+https:\/\/docs\.github\.com\S*$/, "")
    .trim();
}

/** The socket error's code, else the error's first line with the token redacted. */
function causeOf(err: unknown, token: string | null): string {
  return socketErrorCode(err) ?? redactToken(firstLine(err instanceof Error ? err.message : String(err)), token);
}
