/**
 * Strict checking of TOML-parsed detector data. Problems are collected (not thrown one by one)
 * so a user sees every mistake of a file at once, each naming the file and the rule id.
 */
import type { Severity } from "../findings/finding.js";
import { type AllowlistSpec, type RegexTarget, type RuleSpec, SEVERITIES } from "./rule-spec.js";

type Table = Record<string, unknown>;

const RULE_KEYS = new Set([
  "id",
  "provider",
  "description",
  "regex",
  "secretGroup",
  "keywords",
  "entropy",
  "validator",
  "severity",
  "tags",
  "references",
  "revoker",
  "path",
  "public",
  "allowlist",
  "allowlists",
  "examples",
]);
const ALLOWLIST_KEYS = new Set(["regexes", "regexTarget", "stopwords", "paths", "description"]);
const EXAMPLE_KEYS = new Set(["positives", "negatives"]);

export class Problems {
  readonly list: string[] = [];
  add(where: string, what: string): void {
    this.list.push(`${where}: ${what}`);
  }
}

export function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function stringList(v: unknown, where: string, key: string, p: Problems): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    p.add(where, `"${key}" must be a list of strings`);
    return [];
  }
  return v as string[];
}

function unknownKeys(t: Table, allowed: Set<string>, where: string, p: Problems): void {
  for (const k of Object.keys(t)) if (!allowed.has(k)) p.add(where, `unknown key "${k}"`);
}

/** Checks one `[allowlist]` table. */
export function parseAllowlist(v: unknown, where: string, p: Problems): AllowlistSpec | null {
  if (v === undefined) return null;
  if (!isTable(v)) {
    p.add(where, "allowlist must be a table");
    return null;
  }
  unknownKeys(v, ALLOWLIST_KEYS, `${where} allowlist`, p);
  const target = v.regexTarget ?? "secret";
  if (target !== "secret" && target !== "match" && target !== "line") {
    p.add(where, `allowlist.regexTarget must be secret, match or line`);
  }
  return {
    regexes: stringList(v.regexes, where, "allowlist.regexes", p),
    regexTarget: target as RegexTarget,
    stopwords: stringList(v.stopwords, where, "allowlist.stopwords", p).map((s) => s.toLowerCase()),
    paths: stringList(v.paths, where, "allowlist.paths", p),
  };
}

function optionalString(t: Table, key: string, where: string, p: Problems): string | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.length === 0) {
    p.add(where, `"${key}" must be a non-empty string`);
    return undefined;
  }
  return v;
}

/**
 * Checks one `[[rules]]` entry. `partial` allows a user override that names only the fields it
 * changes (the id must then match an existing rule; completeness is checked after merging).
 */
export function parseRuleTable(raw: unknown, index: number, file: string, p: Problems): Partial<RuleSpec> | null {
  const where0 = `${file}: rule #${index + 1}`;
  if (!isTable(raw)) {
    p.add(where0, "each [[rules]] entry must be a table");
    return null;
  }
  const id = typeof raw.id === "string" ? raw.id : undefined;
  const where = id ? `${file}: rule "${id}"` : where0;
  if (!id) p.add(where, `missing "id"`);
  else if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) p.add(where, `id must be kebab-case (a-z, 0-9, -)`);
  unknownKeys(raw, RULE_KEYS, where, p);

  const spec: Partial<RuleSpec> = { id, origin: file };
  const provider = optionalString(raw, "provider", where, p);
  if (provider !== undefined) spec.provider = provider;
  const description = optionalString(raw, "description", where, p);
  if (description !== undefined) spec.description = description;
  const regex = optionalString(raw, "regex", where, p);
  if (regex !== undefined) spec.regex = regex;
  for (const key of ["validator", "revoker", "path"] as const) {
    const v = optionalString(raw, key, where, p);
    if (v !== undefined) spec[key] = v;
  }
  if (raw.public !== undefined) {
    if (typeof raw.public !== "boolean") p.add(where, `"public" must be true or false`);
    else spec.public = raw.public;
  }
  if (raw.secretGroup !== undefined) {
    if (!Number.isInteger(raw.secretGroup) || (raw.secretGroup as number) < 0) {
      p.add(where, `"secretGroup" must be a whole number >= 0`);
    } else spec.secretGroup = Number(raw.secretGroup);
  }
  if (raw.entropy !== undefined) {
    const e = Number(raw.entropy);
    if (typeof raw.entropy !== "number" || e < 0 || e > 8) p.add(where, `"entropy" must be a number from 0 to 8`);
    else spec.entropy = e;
  }
  if (raw.severity !== undefined) {
    if (!SEVERITIES.includes(raw.severity as Severity)) {
      p.add(where, `"severity" must be one of ${SEVERITIES.join(", ")}`);
    } else spec.severity = raw.severity as Severity;
  }
  if (raw.keywords !== undefined) {
    spec.keywords = stringList(raw.keywords, where, "keywords", p).map((k) => k.toLowerCase());
    if (spec.keywords.some((k) => k.length === 0)) p.add(where, "keywords must not be empty strings");
  }
  if (raw.tags !== undefined) spec.tags = stringList(raw.tags, where, "tags", p);
  if (raw.references !== undefined) spec.references = stringList(raw.references, where, "references", p);
  const lists: AllowlistSpec[] = [];
  const single = parseAllowlist(raw.allowlist, where, p);
  if (single) lists.push(single);
  if (raw.allowlists !== undefined) {
    if (!Array.isArray(raw.allowlists)) p.add(where, `"allowlists" must be an array of tables`);
    else for (const a of raw.allowlists) lists.push(...[parseAllowlist(a, where, p)].filter((x) => x !== null));
  }
  if (raw.allowlist !== undefined || raw.allowlists !== undefined) spec.allowlists = lists;
  if (raw.examples !== undefined) {
    if (!isTable(raw.examples)) p.add(where, `"examples" must be a table`);
    else {
      unknownKeys(raw.examples, EXAMPLE_KEYS, `${where} examples`, p);
      spec.examples = {
        positives: stringList(raw.examples.positives, where, "examples.positives", p),
        negatives: stringList(raw.examples.negatives, where, "examples.negatives", p),
      };
    }
  }
  return spec;
}

/** Fills defaults and checks a merged rule is complete. `builtin` rules must carry examples and keywords. */
export function completeRule(spec: Partial<RuleSpec>, builtin: boolean, p: Problems): RuleSpec | null {
  const where = `${spec.origin}: rule "${spec.id}"`;
  let ok = true;
  for (const key of ["id", "provider", "description", "regex"] as const) {
    if (!spec[key]) {
      p.add(where, `missing "${key}"`);
      ok = false;
    }
  }
  const examples = spec.examples ?? { positives: [], negatives: [] };
  if (builtin) {
    if (!spec.keywords || spec.keywords.length === 0) p.add(where, `missing "keywords" (built-in rules need them)`);
    if (examples.positives.length === 0) p.add(where, "needs at least one positive example");
    if (examples.negatives.length === 0) p.add(where, "needs at least one negative example");
  }
  if (!ok) return null;
  return {
    id: spec.id!,
    provider: spec.provider!,
    description: spec.description!,
    regex: spec.regex!,
    secretGroup: spec.secretGroup,
    keywords: spec.keywords ?? [],
    entropy: spec.entropy,
    validator: spec.validator,
    severity: spec.severity ?? "high",
    tags: spec.tags ?? [],
    references: spec.references ?? [],
    revoker: spec.revoker,
    path: spec.path,
    ...(spec.public ? { public: true } : {}),
    allowlists: spec.allowlists ?? [],
    examples,
    origin: spec.origin ?? "?",
  };
}
