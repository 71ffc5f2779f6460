/**
 * The settings of the service side (server, worker, registry, audit, report delivery,
 * notifications): each with its TOML section and key, its environment variable, its
 * default and its check. The scan side has its own config (scan-config.ts) and never loads this.
 */
import { homedir } from "node:os";
import { join } from "node:path";

/** How a value is read and checked. */
export type FieldKind = "string" | "int" | "bool" | "list";

/** One setting. `check` returns a problem (without echoing the value) or null. */
export interface FieldSpec {
  kind: FieldKind;
  /** Environment variable that sets it (flags win over it, it wins over the file). */
  env?: string;
  /** Default when nothing sets it; a function when it depends on the environment. */
  default?: unknown | ((env: NodeJS.ProcessEnv) => unknown);
  check?: (value: never) => string | null;
  /** Minimum and maximum of an int. */
  range?: [number, number];
  /** Never echo it in messages (tokens, secrets, URLs with credentials). */
  secret?: boolean;
}

const URL_SCHEMES = (schemes: string[]) => (text: string) => {
  try {
    return schemes.includes(new URL(text).protocol)
      ? null
      : `must be a ${schemes.map((s) => `${s}//`).join(" or ")} URL`;
  } catch {
    return "is not a URL";
  }
};

/** REDIS_URL: one redis(s):// URL, or several comma-separated ones (Redis Cluster seed nodes). */
function redisUrlProblem(text: string): string | null {
  const check = URL_SCHEMES(["redis:", "rediss:"]);
  for (const part of text.split(",")) {
    const problem = check(part.trim());
    if (problem) return `${problem} (several comma-separated for a cluster)`;
  }
  return null;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** The default spool folder: $XDG_STATE_HOME/leakstop/spool, else ~/.local/state/leakstop/spool. */
export function defaultSpoolDir(env: NodeJS.ProcessEnv): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(state, "leakstop", "spool");
}

/** Every section and key of the service config, with camelCase keys as in .leakstop.toml. */
export const SERVICE_FIELDS = {
  redis: {
    url: { kind: "string", env: "REDIS_URL", default: "redis://127.0.0.1:6379", check: redisUrlProblem, secret: true },
    cluster: { kind: "bool", env: "LEAKSTOP_REDIS_CLUSTER", default: false },
    namespace: {
      kind: "string",
      env: "LEAKSTOP_NAMESPACE",
      default: "leakstop",
      check: (t: string) => (/^[A-Za-z0-9_.-]{1,64}$/.test(t) ? null : "must be 1-64 letters, digits, _ . or -"),
    },
  },
  server: {
    host: { kind: "string", env: "LEAKSTOP_HOST", default: "127.0.0.1" },
    port: { kind: "int", env: "LEAKSTOP_PORT", default: 8080, range: [0, 65535] },
    ipRateLimit: { kind: "string", env: "LEAKSTOP_IP_RATE_LIMIT", default: "1000/1s" },
    metricsToken: { kind: "string", env: "LEAKSTOP_METRICS_TOKEN", secret: true },
  },
  registry: {
    issuer: {
      kind: "string",
      env: "LEAKSTOP_ISSUER",
      default: "lsk",
      check: (t: string) => (/^[a-z0-9]{2,10}$/.test(t) ? null : "must be 2-10 lowercase letters or digits"),
    },
    sealKey: { kind: "string", env: "LEAKSTOP_SEAL_KEY", secret: true },
  },
  audit: {
    key: { kind: "string", env: "LEAKSTOP_AUDIT_KEY" },
    publicKey: { kind: "string", env: "LEAKSTOP_AUDIT_PUBLIC_KEY" },
    anchorDir: { kind: "string", env: "LEAKSTOP_AUDIT_ANCHOR_DIR" },
  },
  webhooks: {
    allow: { kind: "list", env: "LEAKSTOP_WEBHOOK_ALLOW", default: [] },
    secret: { kind: "string", env: "LEAKSTOP_WEBHOOK_SECRET", secret: true },
  },
  smtp: {
    url: { kind: "string", env: "LEAKSTOP_SMTP_URL", check: URL_SCHEMES(["smtp:", "smtps:"]), secret: true },
    from: {
      kind: "string",
      env: "LEAKSTOP_MAIL_FROM",
      check: (t: string) => (EMAIL.test(t.replace(/^.*<(.*)>$/, "$1")) ? null : "must be an e-mail address"),
    },
  },
  report: {
    server: { kind: "string", env: "LEAKSTOP_SERVER", check: URL_SCHEMES(["http:", "https:"]) },
    token: { kind: "string", env: "LEAKSTOP_TOKEN", secret: true },
    spoolDir: { kind: "string", env: "LEAKSTOP_SPOOL_DIR", default: defaultSpoolDir },
    publicKey: { kind: "string", env: "LEAKSTOP_REPORT_PUBLIC_KEY" },
    privateKey: { kind: "string", env: "LEAKSTOP_REPORT_PRIVATE_KEY" },
  },
  worker: {
    securityContact: {
      kind: "string",
      env: "LEAKSTOP_SECURITY_CONTACT",
      check: (t: string) =>
        EMAIL.test(t) || URL_SCHEMES(["http:", "https:"])(t) === null
          ? null
          : "must be an e-mail address or an http(s) URL",
    },
  },
  // Scheduled org scans (worker): both cron and orgs, or neither.
  scheduler: {
    cron: { kind: "string", env: "LEAKSTOP_ORG_SCAN_CRON" },
    orgs: { kind: "list", env: "LEAKSTOP_ORG_SCAN_ORGS", default: [] },
    tz: { kind: "string", env: "LEAKSTOP_ORG_SCAN_TZ", default: "UTC" },
    concurrency: { kind: "int", env: "LEAKSTOP_ORG_SCAN_CONCURRENCY", default: 1, range: [0, 64] },
  },
  // GitHub's secret-scanning partner endpoint (server): a keys file wins over fetching them.
  partner: {
    github: { kind: "bool", env: "LEAKSTOP_GITHUB_PARTNER", default: false },
    keysFile: { kind: "string", env: "LEAKSTOP_GITHUB_PARTNER_KEYS" },
  },
  github: {
    apiUrl: {
      kind: "string",
      env: "GITHUB_API_URL",
      default: "https://api.github.com",
      check: URL_SCHEMES(["http:", "https:"]),
    },
    token: { kind: "string", env: "GITHUB_TOKEN", secret: true },
  },
} as const satisfies Record<string, Record<string, FieldSpec>>;
