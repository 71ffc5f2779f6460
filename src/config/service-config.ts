/**
 * The service configuration (server, worker, registry, audit, report delivery, notifications),
 * resolved once: flags > environment > config file (--config or LEAKSTOP_SERVICE_CONFIG, TOML
 * sections [redis] [server] [registry] [audit] [webhooks] [smtp] [report] [worker] [scheduler]
 * [partner] [github])
 * > defaults. Checked strictly (unknown sections and keys are errors), every problem reported in
 * one LS_CONFIG_INVALID line, then frozen. The scan side never loads it (scan-config.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { LeakstopError } from "../lib/errors.js";
import { type FieldSpec, SERVICE_FIELDS } from "./service-fields.js";

/** The resolved settings; see service-fields.ts for each one's variable and default. */
export interface ServiceConfig {
  /** Where the config file came from, or null when none was read. */
  readonly file: string | null;
  readonly redis: { readonly url: string; readonly cluster: boolean; readonly namespace: string };
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly ipRateLimit: string;
    readonly metricsToken?: string;
  };
  readonly registry: { readonly issuer: string; readonly sealKey?: string };
  readonly audit: { readonly key?: string; readonly publicKey?: string; readonly anchorDir?: string };
  readonly webhooks: { readonly allow: readonly string[]; readonly secret?: string };
  readonly smtp: { readonly url?: string; readonly from?: string };
  readonly report: {
    readonly server?: string;
    readonly token?: string;
    readonly spoolDir: string;
    readonly publicKey?: string;
    readonly privateKey?: string;
  };
  readonly worker: { readonly securityContact?: string };
  readonly scheduler: {
    readonly cron?: string;
    readonly orgs: readonly string[];
    readonly tz: string;
    readonly concurrency: number;
  };
  readonly partner: { readonly github: boolean; readonly keysFile?: string };
  readonly github: { readonly apiUrl: string; readonly token?: string };
}

/** Inputs of {@link loadServiceConfig}. */
export interface ServiceConfigSources {
  /** Values from flags, by "section.key" (e.g. "server.port": "9090"); they win over everything. */
  flags?: Record<string, string | number | boolean | string[] | undefined>;
  /** The environment (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** --config FILE; else LEAKSTOP_SERVICE_CONFIG; else no file. */
  configPath?: string;
}

type Source = "flag" | "env" | "file";

/** Turns one raw value into the field's type, or a problem. */
function coerce(spec: FieldSpec, raw: unknown, from: Source): { value?: unknown; problem?: string } {
  const text = typeof raw === "string" ? raw.trim() : raw;
  switch (spec.kind) {
    case "string":
      return typeof text === "string" && text !== "" ? { value: text } : { problem: "must be a non-empty string" };
    case "int": {
      const n = typeof text === "number" || from === "file" ? text : /^-?\d+$/.test(String(text)) ? Number(text) : NaN;
      const [lo, hi] = spec.range ?? [0, Number.MAX_SAFE_INTEGER];
      if (typeof n !== "number" || !Number.isInteger(n) || n < lo || n > hi)
        return { problem: `must be an integer ${lo}-${hi}` };
      return { value: n };
    }
    case "bool": {
      if (typeof text === "boolean") return { value: text };
      if (from !== "file" && /^(1|true|yes|on)$/i.test(String(text))) return { value: true };
      if (from !== "file" && /^(0|false|no|off|)$/i.test(String(text))) return { value: false };
      return { problem: "must be true or false" };
    }
    case "list": {
      if (Array.isArray(text) && text.every((x) => typeof x === "string"))
        return { value: text.map((x) => x.trim()).filter(Boolean) };
      if (typeof text === "string")
        return {
          value: text
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean),
        };
      return { problem: "must be a list of strings (or one comma-separated string)" };
    }
  }
}

function readFile(path: string, problems: string[]): Record<string, unknown> {
  if (!existsSync(path)) {
    problems.push(`${path}: config file not found`);
    return {};
  }
  let data: unknown;
  try {
    // smol-toml is loaded here only: a worker that has no file never parses TOML.
    const { parse } = createRequire(import.meta.url)("smol-toml") as typeof import("smol-toml");
    data = parse(readFileSync(path, "utf8"));
  } catch (err) {
    const { line, column } = (err ?? {}) as { line?: unknown; column?: unknown };
    const at = typeof line === "number" ? `:${line}:${column}` : "";
    const msg =
      err instanceof Error ? err.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "") : "unreadable";
    problems.push(`${path}${at}: invalid TOML: ${msg}`);
    return {};
  }
  const fields = SERVICE_FIELDS as Record<string, Record<string, FieldSpec>>;
  for (const [section, table] of Object.entries(data as Record<string, unknown>)) {
    if (!(section in fields)) {
      problems.push(`${path}: unknown section [${section}] (${Object.keys(fields).join(", ")})`);
    } else if (typeof table !== "object" || table === null || Array.isArray(table)) {
      problems.push(`${path}: [${section}] must be a table`);
    } else {
      for (const key of Object.keys(table)) {
        if (!(key in fields[section]!)) problems.push(`${path}: unknown key "${key}" in [${section}]`);
      }
    }
  }
  return data as Record<string, unknown>;
}

function deepFreeze<T>(obj: T): T {
  for (const v of Object.values(obj as object)) if (typeof v === "object" && v !== null) deepFreeze(v);
  return Object.freeze(obj);
}

/** Resolves, checks and freezes the service config; LS_CONFIG_INVALID lists every problem on one line. */
export function loadServiceConfig(sources: ServiceConfigSources = {}): ServiceConfig {
  const env = sources.env ?? process.env;
  const flags = sources.flags ?? {};
  const problems: string[] = [];
  const path = sources.configPath ?? (env.LEAKSTOP_SERVICE_CONFIG || undefined);
  const file = path ? readFile(path, problems) : {};
  const out: Record<string, Record<string, unknown>> = { file: path ?? null } as never;
  for (const [section, specs] of Object.entries(SERVICE_FIELDS as Record<string, Record<string, FieldSpec>>)) {
    const fromFile = (file[section] ?? {}) as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(specs)) {
      const flag = flags[`${section}.${key}`];
      const envText = spec.env ? env[spec.env] : undefined;
      const [raw, from, where]: [unknown, Source | null, string] =
        flag !== undefined
          ? [flag, "flag", `--${section}.${key}`]
          : envText !== undefined && envText !== ""
            ? [envText, "env", spec.env!]
            : fromFile[key] !== undefined
              ? [fromFile[key], "file", `${path} [${section}] ${key}`]
              : [undefined, null, ""];
      if (from === null) {
        const d =
          typeof spec.default === "function" ? (spec.default as (e: NodeJS.ProcessEnv) => unknown)(env) : spec.default;
        if (d !== undefined) values[key] = d;
        continue;
      }
      const { value, problem } = coerce(spec, raw, from);
      const checked = problem ?? (spec.check && value !== undefined ? spec.check(value as never) : null);
      // Secrets (tokens, URLs that may carry a password) are never echoed; other values are, shortened.
      const shown = spec.secret || typeof raw === "object" ? "" : ` ${JSON.stringify(String(raw).slice(0, 40))}`;
      if (checked) problems.push(`${where}${shown} ${checked}`);
      else values[key] = value;
    }
    out[section] = values;
  }
  if (problems.length > 0) {
    const head = problems.length > 1 ? `service config has ${problems.length} problems: ` : "service config: ";
    const err = new LeakstopError("LS_CONFIG_INVALID", head + problems.join("; "));
    (err as LeakstopError & { problems: string[] }).problems = problems;
    throw err;
  }
  return deepFreeze(out) as unknown as ServiceConfig;
}

let installed: ServiceConfig | null = null;

/**
 * The config an entry point installed with {@link useServiceConfig} (after reading its flags and
 * --config), else one resolved now from process.env (not cached, so tests may change the env).
 */
export function serviceConfig(): ServiceConfig {
  return installed ?? loadServiceConfig();
}

/** Makes `config` the one {@link serviceConfig} returns (null to go back to the environment). */
export function useServiceConfig(config: ServiceConfig | null): void {
  installed = config;
}
