/** Reads detector TOML files (the built-in `detectors/` folder or files a user names) into RuleSpecs. */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LeakstopError } from "../lib/errors.js";
import type { AllowlistSpec, RuleSpec } from "./rule-spec.js";
import { completeRule, isTable, Problems, parseAllowlist, parseRuleTable, throwProblems } from "./toml-schema.js";

/** The built-in detectors folder, found relative to this module (src/ or dist/src/). */
export function builtinDetectorsDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const up = here.includes(`${"/"}dist${"/"}`) ? "../../../detectors" : "../../detectors";
  return join(here, up);
}

let resolvedBuiltinDir: string | undefined;
function isBuiltinFile(file: string): boolean {
  resolvedBuiltinDir ??= resolve(builtinDetectorsDir());
  return dirname(resolve(file)) === resolvedBuiltinDir;
}

export interface DetectorSet {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
}

// The TOML parser loads on first use (its one-file CommonJS build): a scan that reads the prebuilt
// detector bundle and no config file never needs it.
let tomlParse: ((text: string) => unknown) | undefined;
function parse(text: string): unknown {
  tomlParse ??= (createRequire(import.meta.url)("smol-toml") as typeof import("smol-toml")).parse;
  return tomlParse(text);
}

/** Parses TOML text, turning a syntax error into one line naming the file. */
export function parseTomlFile(text: string, file: string, code: "LS_RULES_INVALID" | "LS_CONFIG_INVALID"): unknown {
  try {
    return parse(text);
  } catch (err) {
    const msg =
      err instanceof Error ? err.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "") : String(err);
    // smol-toml's errors carry the position; it is the first thing a user needs to fix the file.
    const { line, column } = (err ?? {}) as { line?: unknown; column?: unknown };
    const at = typeof line === "number" && typeof column === "number" ? `:${line}:${column}` : "";
    throw new LeakstopError(code, `${file}${at}: invalid TOML: ${msg}`);
  }
}

/** Checks one detector file's parsed content, adding problems instead of throwing. */
export function readDetectorData(data: unknown, file: string, p: Problems, builtin: boolean): DetectorSet {
  const out: DetectorSet = { rules: [], allowlists: [] };
  if (!isTable(data)) return out;
  for (const k of Object.keys(data)) {
    if (k !== "rules" && k !== "allowlist") p.add(file, `unknown top-level key "${k}"`);
  }
  const global = parseAllowlist(data.allowlist, file, p);
  if (global) out.allowlists.push(global);
  if (data.rules !== undefined && !Array.isArray(data.rules)) p.add(file, `"rules" must be an array of tables`);
  const rules = Array.isArray(data.rules) ? data.rules : [];
  rules.forEach((raw, i) => {
    const partial = parseRuleTable(raw, i, file, p);
    const spec = partial && completeRule(partial, builtin, p);
    if (spec) out.rules.push(spec);
  });
  return out;
}

/** Loads every `*.toml` of a folder (sorted, so rule order is stable). */
export function loadDetectorDir(dir: string): DetectorSet {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith(".toml"))
      .sort();
  } catch {
    throw new LeakstopError("LS_RULES_INVALID", `cannot read the detectors folder ${dir}`);
  }
  return loadDetectorFiles(
    names.map((n) => join(dir, n)),
    true,
  );
}

/** Loads the given detector files; all problems of all files are reported together. */
export function loadDetectorFiles(files: string[], builtin: boolean): DetectorSet {
  const p = new Problems();
  const out: DetectorSet = { rules: [], allowlists: [] };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new LeakstopError("LS_RULES_INVALID", `cannot read detector file ${file}`);
    }
    // Built-in files are named as in the repository; any other file (`rules test ./mine.toml`) as given.
    const label = builtin && isBuiltinFile(file) ? `detectors/${basename(file)}` : file;
    p.locate(label, text);
    const set = readDetectorData(parseTomlFile(text, label, "LS_RULES_INVALID"), label, p, builtin);
    out.rules.push(...set.rules);
    out.allowlists.push(...set.allowlists);
  }
  const seen = new Map<string, string>();
  for (const r of out.rules) {
    const prev = seen.get(r.id);
    if (prev) p.add(r.origin, `rule id "${r.id}" is also defined in ${prev}`);
    seen.set(r.id, r.origin);
  }
  throwProblems(p, "LS_RULES_INVALID");
  return out;
}
