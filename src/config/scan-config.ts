/**
 * Resolves `leakstop scan` settings in one place. Precedence: flags > environment
 * (LEAKSTOP_*) > config file > defaults. The result is validated once, then frozen.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { FileKind } from "../findings/file-kind.js";
import { kindsFromMinKind } from "../findings/triage.js";
import { LeakstopError } from "../lib/errors.js";
import { parseSize } from "../lib/size.js";
import { type ConfigFile, ISSUER, readConfigFile } from "./config-file.js";
import { isOutputFormat, type OutputFormat } from "./output-format.js";

export interface ScanFlags {
  path?: string;
  format?: string;
  output?: string;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  showSecrets?: boolean;
  threads?: string;
  maxFileSize?: string;
  quiet?: boolean;
  verbose?: boolean;
  noColor?: boolean;
  noProgress?: boolean;
  stdin?: boolean;
  stdinName?: string;
  range?: string;
  staged?: boolean;
  history?: boolean;
  since?: string;
  branch?: string;
  minKind?: string;
}

export interface ScanConfig {
  root: string;
  format: OutputFormat;
  output: string | null;
  baseline: string | null;
  writeBaseline: string | null;
  showSecrets: boolean;
  threads: number;
  /** Bytes; 0 = no cap. */
  maxFileSize: number;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  progress: boolean;
  stdin: boolean;
  stdinName: string;
  /** --range A..B: the commits a push adds (only added lines). */
  range: string | null;
  /** --staged: what the index adds to HEAD (only added lines). */
  staged: boolean;
  /** Scan the git history of `root` (every ref, or `branch`; commits after `since`). */
  history: boolean;
  since: string | null;
  branch: string | null;
  exclude: string[];
  /** The file kinds whose findings are reported; null = every kind (--min-kind, LEAKSTOP_MIN_KIND, scan.report). */
  report: FileKind[] | null;
  issuers: string[];
  configFile: ConfigFile | null;
}

/** Default: no size cap; large files are streamed in chunks, so memory stays bounded anyway. */
export const DEFAULT_MAX_FILE_SIZE = 0;

function threadsFrom(text: string, where: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new LeakstopError("LS_USAGE", `${where} must be a whole number from 1 to 256`);
  return n;
}

function sizeFrom(text: string, where: string): number {
  const n = parseSize(text);
  if (n === null) throw new LeakstopError("LS_USAGE", `${where} must be a size such as 10MB, 512k or 0 (no cap)`);
  return n;
}

/** Names where the max file size came from, for its error message. */
function sizeSource(flags: ScanFlags, env: NodeJS.ProcessEnv, configFile: ConfigFile | null): string {
  if (flags.maxFileSize !== undefined) return "--max-file-size";
  if (env.LEAKSTOP_MAX_FILE_SIZE !== undefined) return "LEAKSTOP_MAX_FILE_SIZE";
  return `${configFile?.path ?? "config file"}: scan.maxFileSize`;
}

/**
 * LEAKSTOP_ISSUER as the scanner reads it: comma-separated issuer prefixes for the own-key
 * detector, checked like the config file's `issuers` (LS_CONFIG_INVALID naming the variable).
 */
export function issuersFromEnv(env: NodeJS.ProcessEnv): string[] {
  const issuers = (env.LEAKSTOP_ISSUER ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = issuers.filter((i) => !ISSUER.test(i));
  if (bad.length > 0)
    throw new LeakstopError(
      "LS_CONFIG_INVALID",
      `LEAKSTOP_ISSUER: issuer ${JSON.stringify(bad[0]!.slice(0, 16))} must be 2-10 lowercase letters or digits`,
    );
  return issuers;
}

/**
 * @param isTty whether stderr is a terminal (the progress bar is drawn there)
 * @param stdoutIsTty whether stdout is a terminal (colours go only there: never into a file or a pipe)
 */
export function resolveScanConfig(
  flags: ScanFlags,
  env: NodeJS.ProcessEnv,
  isTty: boolean,
  stdoutIsTty = isTty,
): ScanConfig {
  const root = resolve(flags.path ?? ".");
  const cfgPath = flags.config ?? env.LEAKSTOP_CONFIG;
  const implicit = join(root, ".leakstop.toml");
  if (cfgPath && !existsSync(cfgPath))
    throw new LeakstopError(
      "LS_CONFIG_INVALID",
      `config file not found: ${cfgPath}${flags.config ? "" : " (from LEAKSTOP_CONFIG)"}`,
    );
  const configFile = cfgPath
    ? readConfigFile(cfgPath)
    : !flags.stdin && existsSync(implicit)
      ? readConfigFile(implicit)
      : null;

  const format = flags.format ?? env.LEAKSTOP_FORMAT ?? "text";
  if (!isOutputFormat(format))
    throw new LeakstopError(
      "LS_USAGE",
      `unknown ${flags.format !== undefined ? "--format" : "LEAKSTOP_FORMAT"} "${format}" (text, json, jsonl, sarif, github)`,
    );
  const threads = flags.threads
    ? threadsFrom(flags.threads, "--threads")
    : env.LEAKSTOP_THREADS
      ? threadsFrom(env.LEAKSTOP_THREADS, "LEAKSTOP_THREADS")
      : (configFile?.scan.threads ?? availableParallelism());
  const sizeText = flags.maxFileSize ?? env.LEAKSTOP_MAX_FILE_SIZE ?? configFile?.scan.maxFileSize;
  const maxFileSize =
    sizeText === undefined ? DEFAULT_MAX_FILE_SIZE : sizeFrom(sizeText, sizeSource(flags, env, configFile));
  const noColor = flags.noColor === true || env.NO_COLOR !== undefined || env.LEAKSTOP_NO_COLOR !== undefined;
  const envIssuers = issuersFromEnv(env);
  const report =
    flags.minKind !== undefined
      ? kindsFromMinKind(flags.minKind, "--min-kind")
      : env.LEAKSTOP_MIN_KIND
        ? kindsFromMinKind(env.LEAKSTOP_MIN_KIND, "LEAKSTOP_MIN_KIND")
        : (configFile?.scan.report ?? null);
  return Object.freeze({
    root,
    format,
    output: flags.output ?? null,
    baseline: flags.baseline ?? null,
    writeBaseline: flags.writeBaseline ?? null,
    showSecrets: flags.showSecrets === true,
    threads,
    maxFileSize,
    quiet: flags.quiet === true,
    verbose: flags.verbose === true,
    color: !noColor && stdoutIsTty && !flags.output,
    progress: !flags.noProgress && !flags.quiet && isTty,
    stdin: flags.stdin === true,
    stdinName: flags.stdinName ?? "stdin",
    range: flags.range ?? null,
    staged: flags.staged === true,
    history: flags.history === true,
    since: flags.since ?? null,
    branch: flags.branch ?? null,
    exclude: configFile?.scan.exclude ?? [],
    report,
    issuers: [...new Set([...(configFile?.issuers ?? []), ...envIssuers])],
    configFile,
  });
}
