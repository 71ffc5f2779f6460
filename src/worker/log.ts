/**
 * Structured JSON logs of the worker (pino), with redaction in three layers: callers log chosen
 * fields only (never a job's payload); fields with secret-sounding names are censored wherever
 * they turn up; and every string is passed through scrubKeys, so a key-shaped value that slipped
 * in through an odd field, a path or an error message is blanked before it is written.
 */
import { type DestinationStream, type Logger, pino } from "pino";
import { stripUrlCredentials } from "../lib/errors.js";
import { scrubKeys } from "../revoke/scrub-keys.js";

export type { Logger } from "pino";

const SECRET_NAMES = ["secret", "key", "token", "password", "sealedSecret", "match", "raw", "data", "authorization"];
/** Field names censored at the top level and one level down. */
const REDACT_PATHS = SECRET_NAMES.flatMap((n) => [n, `*.${n}`]);

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return stripUrlCredentials(scrubKeys(value));
  if (value instanceof Error) return errFields(value);
  if (depth > 6 || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, depth + 1);
  return out;
}

/** An error as one scrubbed line with its code: no stack (it repeats the message and adds nothing safe). */
function errFields(err: Error): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    ...(typeof code === "string" ? { code } : {}),
    message: scrubDeep((err.message.split("\n")[0] ?? "").slice(0, 500)),
  };
}

/** Options of {@link createLogger}. */
export interface WorkerLogOptions {
  /** pino level (default LEAKSTOP_LOG_LEVEL, else "info"). */
  level?: string;
  /** Where lines go (default stdout). */
  destination?: DestinationStream;
}

/** A pino logger writing one JSON object per line, redacted as described above. */
export function createLogger(opts: WorkerLogOptions = {}): Logger {
  const options = {
    level: opts.level ?? process.env.LEAKSTOP_LOG_LEVEL ?? "info",
    base: { pid: process.pid, service: "leakstop-worker" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    formatters: { log: (obj: Record<string, unknown>) => scrubDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(this: Logger, args: Parameters<Logger["info"]>, method: (...a: unknown[]) => void) {
        // An Error passed first is logged as { err } (pino's own shape), already scrubbed.
        const [first, ...rest] = args as unknown[];
        const head = first instanceof Error ? { err: errFields(first) } : scrubDeep(first);
        method.apply(this, [head, ...rest.map((a) => scrubDeep(a))]);
      },
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
