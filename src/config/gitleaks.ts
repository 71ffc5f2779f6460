/**
 * Loads a gitleaks TOML rule file as-is (both use RE2 syntax). Lenient by design: it is someone
 * else's format, so keys leakstop has no use for are ignored rather than rejected.
 */
import { readFileSync } from "node:fs";
import { LeakstopError } from "../lib/errors.js";
import { parseTomlFile } from "../rules/load-detectors.js";
import { regexMatchesEmpty } from "../rules/regex-check.js";
import type { AllowlistSpec, RuleSpec } from "../rules/rule-spec.js";
import { isTable } from "../rules/toml-schema.js";

type Table = Record<string, unknown>;

function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function allowlistOf(v: unknown): AllowlistSpec | null {
  if (!isTable(v)) return null;
  const target = v.regexTarget === "match" || v.regexTarget === "line" ? v.regexTarget : "secret";
  return {
    regexes: strs(v.regexes),
    regexTarget: target,
    stopwords: strs(v.stopwords).map((s) => s.toLowerCase()),
    paths: strs(v.paths),
  };
}

function allowlistsOf(t: Table): AllowlistSpec[] {
  const list = [allowlistOf(t.allowlist), ...(Array.isArray(t.allowlists) ? t.allowlists.map(allowlistOf) : [])];
  return list.filter((a): a is AllowlistSpec => a !== null);
}

export interface GitleaksImport {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
  /** Rules that cannot run here, as `id (why)`: reported with --verbose. */
  skipped: string[];
  /** False when the file's own `[extend] useDefault = false` asks for its rules alone. */
  useDefault: boolean;
}

export function loadGitleaksFile(path: string): GitleaksImport {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new LeakstopError("LS_CONFIG_INVALID", `cannot read gitleaks rule file ${path}`);
  }
  const data = parseTomlFile(text, path, "LS_CONFIG_INVALID");
  const out: GitleaksImport = { rules: [], allowlists: [], skipped: [], useDefault: true };
  if (!isTable(data)) return out;
  if (isTable(data.extend) && data.extend.useDefault === false) out.useDefault = false;
  out.allowlists = allowlistsOf(data);
  const rules = Array.isArray(data.rules) ? data.rules : [];
  for (const raw of rules) {
    if (!isTable(raw) || typeof raw.id !== "string") continue;
    if (typeof raw.regex !== "string") {
      out.skipped.push(`${raw.id} (path-only rule)`);
      continue;
    }
    // gitleaks tolerates such a regex; here it would match everywhere and find nothing. The file is
    // someone else's and loads as-is, so the rule is left out and named under --verbose.
    if (regexMatchesEmpty(raw.regex)) {
      out.skipped.push(`${raw.id} (its regex can match the empty string)`);
      continue;
    }
    out.rules.push({
      id: raw.id,
      provider: typeof raw.title === "string" ? raw.title : "gitleaks rule",
      description: typeof raw.description === "string" ? raw.description : raw.id,
      regex: raw.regex,
      secretGroup: typeof raw.secretGroup === "number" && raw.secretGroup > 0 ? raw.secretGroup : undefined,
      kind: "provider",
      keywords: strs(raw.keywords).map((k) => k.toLowerCase()),
      entropy: typeof raw.entropy === "number" ? raw.entropy : undefined,
      severity: "high",
      tags: strs(raw.tags),
      references: [],
      path: typeof raw.path === "string" ? raw.path : undefined,
      allowlists: allowlistsOf(raw),
      examples: { positives: [], negatives: [] },
      origin: path,
    });
  }
  return out;
}
