/**
 * The Action's inputs, as the runner passes them: `INPUT_<NAME upper-cased>` (spaces become `_`,
 * dashes are kept). Read and checked once; paths are resolved against GITHUB_WORKSPACE.
 */
import { isAbsolute, resolve } from "node:path";
import { kindsFromMinKind } from "../findings/triage.js";
import { LeakstopError } from "../lib/errors.js";

/** Formats the step log can print; `github` (annotations on the lines) is the default. */
export const LOG_FORMATS = ["github", "text", "json", "jsonl"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface ActionInputs {
  /** The repository to scan (absolute): input `path`, default the workspace. */
  root: string;
  /** Absolute config path, or null for `.leakstop.toml` at the root when present. */
  config: string | null;
  baseline: string | null;
  failOnFindings: boolean;
  /** Absolute path of the SARIF file to write, or null (input `sarif: ""`) to write none. */
  sarif: string | null;
  format: LogFormat;
  serverUrl: string | null;
  serverToken: string | null;
  /** Input `min-kind`: report only findings in files of this kind or more important; null = every kind. */
  minKind: string | null;
}

/** One input's value, trimmed; "" when unset (as @actions/core reads it). */
export function readInput(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** YAML 1.2 core booleans, as GitHub documents for action inputs. */
function booleanInput(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = readInput(env, name);
  if (value === "") return fallback;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new LeakstopError("LS_USAGE", `input ${name} must be true or false, not "${value.slice(0, 40)}"`);
}

function serverUrlInput(env: NodeJS.ProcessEnv): string | null {
  const value = readInput(env, "server-url");
  if (value === "") return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LeakstopError("LS_USAGE", "input server-url must be an http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new LeakstopError("LS_USAGE", "input server-url must be an http(s) URL");
  // The token belongs in server-token (a secret), never in a URL that ends up in logs.
  if (url.username !== "" || url.password !== "")
    throw new LeakstopError("LS_USAGE", "input server-url must not carry credentials: pass the token as server-token");
  return url.href;
}

/**
 * @throws LeakstopError LS_USAGE for a malformed input, LS_ACTION_EVENT without GITHUB_WORKSPACE
 */
export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const workspace = env.GITHUB_WORKSPACE;
  if (!workspace)
    throw new LeakstopError("LS_ACTION_EVENT", "GITHUB_WORKSPACE is not set: run leakstop's Action inside a workflow");
  const inWorkspace = (p: string) => (isAbsolute(p) ? p : resolve(workspace, p));
  const optionalPath = (name: string) => {
    const value = readInput(env, name);
    return value === "" ? null : inWorkspace(value);
  };
  const format = readInput(env, "format") || "github";
  if (!(LOG_FORMATS as readonly string[]).includes(format))
    throw new LeakstopError(
      "LS_USAGE",
      `input format must be one of ${LOG_FORMATS.join(", ")}, not "${format.slice(0, 40)}"`,
    );
  const serverUrl = serverUrlInput(env);
  const serverToken = readInput(env, "server-token") || null;
  if (serverToken !== null && serverUrl === null)
    throw new LeakstopError("LS_USAGE", "input server-token is set but server-url is not");
  if (serverUrl !== null && serverToken === null)
    throw new LeakstopError("LS_USAGE", "input server-url is set but server-token (a findings:write key) is not");
  // `sarif: ""` turns the file off; an unset input (outside action.yml's defaults) means the default name.
  const sarifRaw = env["INPUT_SARIF"];
  const sarif = sarifRaw === undefined ? "leakstop.sarif" : sarifRaw.trim();
  return {
    root: inWorkspace(readInput(env, "path") || "."),
    config: optionalPath("config"),
    baseline: optionalPath("baseline"),
    failOnFindings: booleanInput(env, "fail-on-findings", true),
    sarif: sarif === "" ? null : inWorkspace(sarif),
    format: format as LogFormat,
    serverUrl,
    serverToken,
    minKind: minKindInput(env),
  };
}

function minKindInput(env: NodeJS.ProcessEnv): string | null {
  const value = readInput(env, "min-kind");
  if (value === "") return null;
  kindsFromMinKind(value, "input min-kind"); // a bad kind fails here, named as the input it came from
  return value;
}
