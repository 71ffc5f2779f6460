/**
 * One error type for the whole project. Guards check `code` (it survives worker
 * threads and structured clone; `instanceof` does not). Messages are built only
 * from redacted values: never pass a raw secret or a URL with credentials here.
 */
export const ERROR_CODES = {
  LS_USAGE: { exitCode: 2, summary: "bad command line: unknown flag, missing or malformed value" },
  LS_CONFIG_INVALID: {
    exitCode: 2,
    summary: "a config file (.leakstop.toml or --config) is malformed or has unknown keys",
  },
  LS_RULES_INVALID: {
    exitCode: 2,
    summary: "a detector file is malformed: bad TOML, unknown key, regex RE2 cannot compile",
  },
  LS_PATH_NOT_FOUND: { exitCode: 2, summary: "the path to scan does not exist or cannot be read" },
  LS_IO: { exitCode: 2, summary: "reading or writing a file failed" },
  LS_BASELINE_INVALID: { exitCode: 2, summary: "the --baseline file is not a leakstop baseline" },
  LS_REDIS_UNREACHABLE: { exitCode: 2, summary: "Redis did not answer at REDIS_URL" },
  LS_GITHUB_AUTH: { exitCode: 2, summary: "GitHub rejected GITHUB_TOKEN (401) or asked for one" },
  LS_GITHUB_NOT_FOUND: {
    exitCode: 2,
    summary: "no such GitHub organization at the API URL, or the token cannot see it (404)",
  },
  LS_GITHUB_API: {
    exitCode: 2,
    summary: "the GitHub API failed: unreachable, timed out, 5xx after retries, rate limit exhausted",
  },
  LS_ORG_SCAN_FAILED: { exitCode: 2, summary: "org-scan could not scan any repository of the organization" },
  LS_CACHE_BUSY: { exitCode: 2, summary: "another org-scan of the same organization is using the cache folder" },
  LS_KEY_NOT_FOUND: { exitCode: 2, summary: "no key with that id in the registry" },
  LS_KEY_STATE: {
    exitCode: 2,
    summary: "the key's state forbids the change (rotating a revoked, expired or rotated key)",
  },
  LS_IDEMPOTENCY_CONFLICT: {
    exitCode: 2,
    summary: "an idempotency key was reused for a different request (HTTP 422)",
  },
  LS_IDEMPOTENCY_UNSEALABLE: {
    exitCode: 2,
    summary:
      "a retry's first attempt issued a key this process cannot show again: it was sealed with another LEAKSTOP_SEAL_KEY (HTTP 410)",
  },
  LS_KEY_INVALID: { exitCode: 1, summary: "the key is not valid (revoked, expired, unknown, wrong scope, IP or rate)" },
  LS_AUDIT_BROKEN: {
    exitCode: 1,
    summary:
      "the audit chain does not verify: an entry was edited, dropped, reordered, inserted, unsigned or forged, or the chain was wiped, truncated or rewritten since an anchor",
  },
  LS_AUDIT_KEY_INVALID: {
    exitCode: 2,
    summary: "the audit key (LEAKSTOP_AUDIT_KEY, --public-key) cannot be read or is not an Ed25519 PEM key",
  },
  LS_AUDIT_ANCHOR_INVALID: {
    exitCode: 2,
    summary:
      "an --anchor file is not a leakstop checkpoint, anchors another namespace, or its signature does not verify",
  },
  LS_GIT_NOT_INSTALLED: { exitCode: 2, summary: "git is not installed or not on PATH (git sources need it)" },
  LS_GIT_NOT_A_REPO: { exitCode: 2, summary: "the path is not inside a git repository (nor a bare git dir)" },
  LS_GIT_BAD_REVISION: { exitCode: 2, summary: "a revision, branch or range names nothing git knows" },
  LS_GIT_FAILED: { exitCode: 2, summary: "git failed: a broken or unreadable repository, or another git error" },
  LS_ACTION_EVENT: {
    exitCode: 2,
    summary: "the GitHub Action's event is missing, unreadable or unsupported (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH)",
  },
  LS_ACTION_CHECKOUT: {
    exitCode: 2,
    summary:
      "the Action's checkout lacks the commits the event names (shallow clone: use fetch-depth: 0) or is no git repository",
  },
  LS_HOOK_CONFLICT: {
    exitCode: 2,
    summary: "hook install found both a hook and a <hook>.pre-leakstop it cannot chain; move one away or use --force",
  },
  LS_REPORT_KEY_INVALID: {
    exitCode: 2,
    summary:
      "the report key (LEAKSTOP_REPORT_PUBLIC_KEY, LEAKSTOP_REPORT_PRIVATE_KEY, GET /v1/report-key) cannot be read or is not an X25519 PEM key",
  },
  LS_SEALED_INVALID: {
    exitCode: 2,
    summary:
      "a sealed secret does not open: a field was altered, truncated or is not base64url, or the algorithm is unknown",
  },
  LS_SEALED_WRONG_KEY: {
    exitCode: 2,
    summary: "a sealed secret was sealed to another report key (its keyId names a different public key)",
  },
  LS_REPORT_REFUSED: {
    exitCode: 2,
    summary:
      "the server refused reported findings (LEAKSTOP_TOKEN not valid or without findings:write, a malformed batch); they were spooled",
  },
  LS_SPOOL_INVALID: {
    exitCode: 2,
    summary: "a file in the report spool (LEAKSTOP_SPOOL_DIR) is not a leakstop spool file; it is left in place",
  },
  LS_PARTNER_KEYS_INVALID: {
    exitCode: 2,
    summary:
      "GitHub's secret-scanning public keys (LEAKSTOP_GITHUB_PARTNER_KEYS or the API's list) cannot be read or are not EC P-256 keys",
  },
  LS_WEBHOOK_REFUSED: {
    exitCode: 2,
    summary:
      "a webhook URL was refused at delivery: it resolves to a loopback, private or reserved address (LEAKSTOP_WEBHOOK_ALLOW) or carries credentials",
  },
  LS_WEBHOOK_FAILED: {
    exitCode: 2,
    summary: "a webhook delivery failed: no 2xx answer, refused, timed out or the host does not resolve (retried)",
  },
  LS_EMAIL_FAILED: {
    exitCode: 2,
    summary:
      "an e-mail notification failed: the SMTP server at LEAKSTOP_SMTP_URL did not answer or answered 4xx (retried)",
  },
  LS_EMAIL_REJECTED: {
    exitCode: 2,
    summary:
      "the SMTP server refused an e-mail notification for good (5xx: unknown mailbox, policy): dead-lettered at once",
  },
  LS_PROVIDER_REVOKE_FAILED: {
    exitCode: 2,
    summary:
      "a provider's revocation API failed (5xx, rate limit, unreachable); retried, then raised to the security contact",
  },
  LS_DEMO_FAILED: {
    exitCode: 2,
    summary: "a step of leakstop demo did not do what the story needs (the message names the step)",
  },
  LS_INTERNAL: { exitCode: 2, summary: "an unexpected internal error; rerun with --verbose and report it" },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes of the HTTP API (`leakstop server`) and the status each answers with. One table with
 * ERROR_CODES: a code means the same on both (LS_INTERNAL is in both), and docs/errors.md lists both.
 */
export const API_ERROR_STATUS = {
  LS_BAD_REQUEST: 400,
  LS_UNAUTHENTICATED: 401,
  LS_FORBIDDEN: 403,
  LS_NOT_FOUND: 404,
  LS_METHOD_NOT_ALLOWED: 405,
  LS_CONFLICT: 409,
  LS_GONE: 410,
  LS_PAYLOAD_TOO_LARGE: 413,
  LS_URI_TOO_LONG: 414,
  LS_UNPROCESSABLE: 422,
  LS_UNSUPPORTED_MEDIA_TYPE: 415,
  LS_RATE_LIMITED: 429,
  LS_INTERNAL: 500,
  LS_UNAVAILABLE: 503,
} as const;

export class LeakstopError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LeakstopError";
    this.code = code;
    this.exitCode = ERROR_CODES[code].exitCode;
  }
}

/** True for a LeakstopError, also after it crossed a worker-thread boundary. */
export function isLeakstopError(err: unknown): err is { code: ErrorCode; message: string; exitCode: number } {
  return (
    typeof err === "object" &&
    err !== null &&
    typeof (err as { code?: unknown }).code === "string" &&
    (err as { code: string }).code in ERROR_CODES
  );
}

/** Strips credentials from any URL in a message (redis://:pw@host, https://user:tok@host). */
export function stripUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, "$1***@");
}

/**
 * What an error says to its user, one line each: every problem of an error that gathered several
 * (a config or rule file's, `problems`), else its message.
 */
export function errorLines(err: { message: string; problems?: unknown }): string[] {
  const { problems } = err;
  if (Array.isArray(problems) && problems.length > 1 && problems.every((x) => typeof x === "string"))
    return problems as string[];
  return [err.message];
}
