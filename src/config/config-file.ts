/**
 * `.leakstop.toml`: the user's scan settings, rules, overrides, disabled rules, allowlists and
 * imported gitleaks rule files. Checked strictly (a typo such as `keyowrds` is an error).
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { FILE_KINDS, type FileKind, isFileKind } from "../findings/file-kind.js";
import { errorLines, isLeakstopError, LeakstopError } from "../lib/errors.js";
import { ioErrorText } from "../lib/io-error.js";
import { parseSize } from "../lib/size.js";
import { parseTomlFile } from "../rules/load-detectors.js";
import { checkAllowlist, checkRuleTableRegexes } from "../rules/regex-check.js";
import type { AllowlistSpec, RuleSpec } from "../rules/rule-spec.js";
import type { KeyPath } from "../rules/toml-locate.js";
import { isTable, Problems, parseAllowlist, parseRuleTable, throwProblems } from "../rules/toml-schema.js";
import { mergeConfigRules, ruleSources } from "./config-rules.js";

export interface ConfigFile {
  path: string;
  /** `report`: the file kinds whose findings are reported (default: every kind). */
  scan: { threads?: number; maxFileSize?: string; exclude: string[]; report?: FileKind[] };
  issuers: string[];
  disabledRules: string[];
  /** Load the built-in detectors too (default true). */
  useBuiltin: boolean;
  gitleaksFiles: string[];
  /** Extra leakstop detector files. */
  ruleFiles: string[];
  allowlists: AllowlistSpec[];
  /** New rules and partial overrides of built-in ones (by id). */
  rules: Partial<RuleSpec>[];
  /** `[hook] report = true`: the pre-commit/pre-push hook also reports what it finds (as scan --report). */
  hook: { report: boolean; minKind?: string };
}

/** An issuer prefix (SPEC §6): 2-10 lowercase letters or digits. */
export const ISSUER = /^[a-z0-9]{2,10}$/;

const TOP_KEYS = new Set(["scan", "issuers", "disabledRules", "extend", "allowlist", "allowlists", "rules", "hook"]);
const HOOK_KEYS = new Set(["report", "minKind"]);
const SCAN_KEYS = new Set(["threads", "maxFileSize", "exclude", "report"]);
const EXTEND_KEYS = new Set(["gitleaks", "detectors", "useBuiltin", "useDefault"]);

function strings(v: unknown, where: string, p: Problems, at: KeyPath): string[] {
  if (v === undefined) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  p.add(where, "must be a string or a list of strings", at);
  return [];
}

function checkKeys(t: Record<string, unknown>, allowed: Set<string>, where: string, p: Problems, at: KeyPath): void {
  for (const k of Object.keys(t)) if (!allowed.has(k)) p.add(where, `unknown key "${k}"`, [...at, k]);
}

function readScan(v: unknown, file: string, p: Problems): ConfigFile["scan"] {
  if (v === undefined) return { exclude: [] };
  if (!isTable(v)) {
    p.add(file, "[scan] must be a table", ["scan"]);
    return { exclude: [] };
  }
  checkKeys(v, SCAN_KEYS, `${file}: [scan]`, p, ["scan"]);
  const out: ConfigFile["scan"] = { exclude: strings(v.exclude, `${file}: scan.exclude`, p, ["scan", "exclude"]) };
  if (v.threads !== undefined) {
    if (!Number.isInteger(v.threads) || (v.threads as number) < 1)
      p.add(file, "scan.threads must be a whole number >= 1", ["scan", "threads"]);
    else out.threads = Number(v.threads);
  }
  if (v.maxFileSize !== undefined) {
    const size = String(v.maxFileSize);
    // Checked here with the file's other problems, not later on its own.
    if (parseSize(size) === null)
      p.add(file, "scan.maxFileSize must be a size such as 10MB, 512k or 0 (no cap)", ["scan", "maxFileSize"]);
    else out.maxFileSize = size;
  }
  if (v.report !== undefined) {
    const kinds = strings(v.report, `${file}: scan.report`, p, ["scan", "report"]);
    const bad = kinds.find((k) => !isFileKind(k));
    if (bad !== undefined)
      p.add(file, `scan.report: unknown file kind "${bad}" (${FILE_KINDS.join(", ")})`, ["scan", "report"]);
    else if (kinds.length === 0) p.add(file, "scan.report must name at least one file kind", ["scan", "report"]);
    else out.report = kinds as FileKind[];
  }
  return out;
}

/** Parses and checks a config file; relative paths inside it resolve against its folder. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new LeakstopError("LS_CONFIG_INVALID", `cannot read config file ${path}: ${ioErrorText(err)}`);
  }
  const data = parseTomlFile(text, path, "LS_CONFIG_INVALID");
  const p = new Problems();
  p.locate(path, text);
  const cfg: ConfigFile = {
    path,
    scan: { exclude: [] },
    issuers: [],
    disabledRules: [],
    useBuiltin: true,
    gitleaksFiles: [],
    ruleFiles: [],
    allowlists: [],
    rules: [],
    hook: { report: false },
  };
  if (!isTable(data)) return cfg;
  checkKeys(data, TOP_KEYS, path, p, []);
  cfg.scan = readScan(data.scan, path, p);
  cfg.issuers = strings(data.issuers, `${path}: issuers`, p, ["issuers"]);
  cfg.issuers.forEach((issuer, n) => {
    if (!ISSUER.test(issuer))
      p.add(path, `issuer "${issuer}" must be 2-10 lowercase letters or digits`, ["issuers", n]);
  });
  cfg.disabledRules = strings(data.disabledRules, `${path}: disabledRules`, p, ["disabledRules"]);
  if (data.hook !== undefined) {
    if (!isTable(data.hook)) p.add(path, "[hook] must be a table", ["hook"]);
    else {
      checkKeys(data.hook, HOOK_KEYS, `${path}: [hook]`, p, ["hook"]);
      if (data.hook.report !== undefined && typeof data.hook.report !== "boolean")
        p.add(path, "hook.report must be true or false", ["hook", "report"]);
      else cfg.hook = { report: data.hook.report === true };
      const minKind = data.hook.minKind;
      if (minKind !== undefined && !(typeof minKind === "string" && isFileKind(minKind)))
        p.add(path, `hook.minKind must be one of ${FILE_KINDS.join(", ")}`, ["hook", "minKind"]);
      else if (minKind !== undefined) cfg.hook.minKind = minKind;
    }
  }
  const base = dirname(resolve(path));
  if (data.extend !== undefined) {
    if (!isTable(data.extend)) p.add(path, "extend must be a table", ["extend"]);
    else {
      checkKeys(data.extend, EXTEND_KEYS, `${path}: extend`, p, ["extend"]);
      const ext = data.extend;
      const files = (key: string) =>
        strings(ext[key], `${path}: extend.${key}`, p, ["extend", key]).map((f) => resolve(base, f));
      cfg.gitleaksFiles = files("gitleaks");
      cfg.ruleFiles = files("detectors");
      const use = data.extend.useBuiltin ?? data.extend.useDefault;
      if (use !== undefined && typeof use !== "boolean")
        p.add(path, "extend.useBuiltin must be true or false", [
          "extend",
          "useBuiltin" in data.extend ? "useBuiltin" : "useDefault",
        ]);
      else if (use === false) cfg.useBuiltin = false;
    }
  }
  const single = parseAllowlist(data.allowlist, path, p, ["allowlist"]);
  if (single) {
    checkAllowlist(single, `${path}:`, p, ["allowlist"]);
    cfg.allowlists.push(single);
  }
  if (Array.isArray(data.allowlists)) {
    data.allowlists.forEach((a, i) => {
      const parsed = parseAllowlist(a, path, p, ["allowlists", i]);
      if (parsed) checkAllowlist(parsed, `${path}:`, p, ["allowlists", i]);
      if (parsed) cfg.allowlists.push(parsed);
    });
  }
  if (data.rules !== undefined && !Array.isArray(data.rules))
    p.add(path, "rules must be an array of tables ([[rules]])", ["rules"]);
  if (Array.isArray(data.rules)) {
    const seen = new Map<string, number>();
    data.rules.forEach((raw, i) => {
      const r = parseRuleTable(raw, i, path, p);
      if (!r) return;
      // Its own regexes are checked now, with the file's other problems (the merge with built-ins comes later).
      const at: KeyPath = ["rules", i];
      const where = r.id ? `${path}: rule "${r.id}"` : `${path}: rule #${i + 1}`;
      checkRuleTableRegexes(r, where, p, at);
      // parseRuleTable lists `allowlist` first, then `[[rules.allowlists]]` in order.
      const single = isTable(raw) && raw.allowlist !== undefined ? 1 : 0;
      r.allowlists?.forEach((a, n) => {
        checkAllowlist(a, where, p, n < single ? [...at, "allowlist"] : [...at, "allowlists", n - single]);
      });
      // Two tables for one id: which one wins would be an accident of order.
      const first = r.id === undefined ? undefined : seen.get(r.id);
      if (first !== undefined)
        p.add(path, `rule "${r.id}" is defined twice ([[rules]] #${first + 1} and #${i + 1})`, ["rules", i]);
      else if (r.id !== undefined) seen.set(r.id, i);
      cfg.rules.push(r);
    });
  }
  if (p.list.length > 0) addMergeProblems(cfg, p);
  throwProblems(p, "LS_CONFIG_INVALID");
  return Object.freeze(cfg);
}

/**
 * A file with problems gets the merge's too (an override of an unknown rule, a disabled rule that
 * does not exist, an unknown validator...), so they come in one run rather than once the file is
 * otherwise clean. Only on this path: a clean file is merged once, when the rule set is built.
 */
function addMergeProblems(cfg: ConfigFile, p: Problems): void {
  try {
    const { byId } = ruleSources(cfg, { examples: false });
    mergeConfigRules(cfg, byId, p);
  } catch (err) {
    // An extra detector or gitleaks file that does not load: its own problems, one line each.
    if (!isLeakstopError(err)) throw err;
    p.addLines(errorLines(err));
  }
}
