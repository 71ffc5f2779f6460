/** Where findings go, read once from the environment (SPEC §7; PIPELINE.md names). */
import { LeakstopError } from "../lib/errors.js";
import { spoolDirFromEnv } from "./spool.js";

/** Resolved reporting settings. */
export interface ReportOptions {
  /** LEAKSTOP_SERVER + LEAKSTOP_TOKEN: when set, findings go through the server (it wins over Redis). */
  server: { url: string; token: string } | null;
  /** REDIS_URL (default redis://127.0.0.1:6379), used when no server is set. */
  redisUrl: string | undefined;
  /** LEAKSTOP_NAMESPACE (default "leakstop"): the queues' prefix is `{<namespace>}:q`. */
  namespace: string;
  spoolDir: string;
  /** LEAKSTOP_REPORT_PUBLIC_KEY: PEM file of the server's X25519 public key. */
  publicKeyPath: string | null;
}

/** Reads and checks the reporting environment; a half-set server is a config error. */
export function reportOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ReportOptions {
  const url = env.LEAKSTOP_SERVER?.trim() || "";
  const token = env.LEAKSTOP_TOKEN?.trim() || "";
  if (url && !token) {
    throw new LeakstopError(
      "LS_CONFIG_INVALID",
      "LEAKSTOP_SERVER is set but LEAKSTOP_TOKEN (a findings:write key) is not",
    );
  }
  if (url) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_SERVER must be an http:// or https:// URL");
    }
    if (parsed.username || parsed.password) {
      throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_SERVER must not carry credentials (use LEAKSTOP_TOKEN)");
    }
  }
  const namespace = env.LEAKSTOP_NAMESPACE?.trim() || "leakstop";
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(namespace)) {
    throw new LeakstopError("LS_CONFIG_INVALID", "LEAKSTOP_NAMESPACE must be 1-64 letters, digits, _ . or -");
  }
  return {
    server: url ? { url, token } : null,
    redisUrl: env.REDIS_URL || undefined,
    namespace,
    spoolDir: spoolDirFromEnv(env),
    publicKeyPath: env.LEAKSTOP_REPORT_PUBLIC_KEY?.trim() || null,
  };
}
