/**
 * GitHub's credential revocation API (`POST /credentials/revoke`, body `{ credentials: [token] }`,
 * 202 Accepted) through @octokit/rest. GitHub revokes the token and tells its owner. On
 * github.com the endpoint takes unauthenticated requests only (an authenticated one gets 403),
 * so GITHUB_TOKEN is sent only to another API URL (GitHub Enterprise Server). No Octokit retries:
 * a failure goes back to BullMQ, which retries the job with backoff.
 */

import { Octokit } from "@octokit/rest";
import { redactToken } from "../../lib/redact-token.js";
import { socketErrorCode } from "../../lib/socket-error.js";
import { revokerFor } from "../../queue/revocable-rules.js";
import type { ProviderRevokeOutcome, ProviderRevoker } from "./provider-revoker.js";

/** The public API, where requests must be unauthenticated. */
export const GITHUB_PUBLIC_API = "https://api.github.com";

/** Options of {@link createGitHubRevoker}. */
export interface GitHubRevokerOptions {
  /** REST base URL (GITHUB_API_URL; default https://api.github.com). */
  apiUrl?: string;
  /** GITHUB_TOKEN, sent only when `apiUrl` is not api.github.com. */
  token?: string | null;
  /** Milliseconds per request (default 10 s). */
  timeoutMs?: number;
}

/** The GitHub revoker, registered as "github". */
export function createGitHubRevoker(opts: GitHubRevokerOptions = {}): ProviderRevoker {
  const apiUrl = (opts.apiUrl ?? GITHUB_PUBLIC_API).replace(/\/+$/, "");
  const token = apiUrl === GITHUB_PUBLIC_API ? null : (opts.token ?? null);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const quiet = () => {};
  const octokit = new Octokit({
    auth: token ?? undefined,
    baseUrl: apiUrl,
    userAgent: "leakstop-revoker",
    // Octokit's default logger prints failed requests to the console; the worker logs one line itself.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: {
      fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    },
  });
  return {
    name: "github",
    // The rules queue/revocable-rules.ts maps to "github": ghp_, github_pat_, gho_, ghu_, ghr_ tokens.
    handles: (ruleId) => revokerFor(ruleId) === "github",
    async revoke(secret: string): Promise<ProviderRevokeOutcome> {
      try {
        const res = await octokit.rest.credentials.revoke({ credentials: [secret] });
        return { outcome: "revoked", detail: `GitHub accepted the revocation (${res.status})` };
      } catch (err) {
        return classify(err, apiUrl, [secret, token]);
      }
    },
  };
}

/** 422/403/404: GitHub will not revoke it (a human must); 429, rate limits, 5xx, network: try again. */
function classify(err: unknown, apiUrl: string, hide: (string | null)[]): ProviderRevokeOutcome {
  const e = err as { status?: number; message?: string; response?: { headers?: Record<string, string> } };
  const status = typeof e.status === "number" ? e.status : 0;
  let detail = (e.message ?? String(err)).split("\n")[0]!.replace(/\s+-\s+https:\/\/docs\.github\.com\S*$/, "");
  for (const h of hide) detail = redactToken(detail, h);
  detail = detail.slice(0, 200);
  const headers = e.response?.headers ?? {};
  const limited = status === 429 || (status === 403 && headers["x-ratelimit-remaining"] === "0");
  // Octokit reports a request that got no answer (refused, timed out) as status 500 without a response.
  if (status === 0 || e.response === undefined)
    return { outcome: "failed", detail: `GitHub at ${apiUrl} did not answer (${causeCode(err)})` };
  if (limited || status >= 500)
    return { outcome: "failed", detail: `GitHub at ${apiUrl} answered ${status} (${detail})` };
  return { outcome: "rejected", detail: `GitHub at ${apiUrl} refused the revocation (${status} ${detail})` };
}

function causeCode(err: unknown): string {
  const inMessage = /\bE[A-Z]{4,}\b/.exec(err instanceof Error ? err.message : "")?.[0];
  if (inMessage) return inMessage;
  return socketErrorCode(err) ?? "network error";
}
