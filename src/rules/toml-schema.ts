/**
 * Strict checking of TOML-parsed detector data. Problems are collected (not thrown one by one)
 * so a user sees every mistake of a file at once, each naming the file and the rule id.
 */
import type { Severity } from "../findings/finding.js";
import { composeContext, unknownPieces } from "./compose-context.js";
import { countGroups } from "./count-groups.js";
import { handWrittenPrelude } from "./prelude-check.js";
import {
  type AllowlistSpec,
  type RegexTarget,
  RULE_KINDS,
  type RuleKind,
  type RuleSpec,
  SEVERITIES,
} from "./rule-spec.js";

type Table = Record<string, unknown>;

const RULE_KEYS = new Set([
  "id",
  "provider",
  "description",
  "regex",
  "context",
  "value",
  "also",
  "kind",
  "secretGroup",
  "keywords",
  "exactKeywords",
  "entropy",
  "validator",
  "severity",
  "tags",
  "references",
  "revoker",
  "path",
  "public",
  "structural",
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
  for (const key of ["context", "value"] as const) {
    const v = optionalString(raw, key, where, p);
    if (v !== undefined) spec[key] = v;
  }
  if (raw.also !== undefined) spec.also = stringList(raw.also, where, "also", p);
  if (raw.kind !== undefined) {
    if (!RULE_KINDS.includes(raw.kind as RuleKind)) p.add(where, `"kind" must be one of ${RULE_KINDS.join(", ")}`);
    else spec.kind = raw.kind as RuleKind;
  }
  for (const key of ["validator", "revoker", "path", "structural"] as const) {
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
  if (raw.exactKeywords !== undefined) {
    spec.exactKeywords = stringList(raw.exactKeywords, where, "exactKeywords", p);
    if (spec.exactKeywords.length === 0 || spec.exactKeywords.some((k) => k.length === 0)) {
      p.add(where, "exactKeywords must be a non-empty list of non-empty strings");
    }
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
  let ok = composeIfContext(spec, where, p);
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
    const steering = (spec.tags ?? []).filter((t) => t === "generic" || t === "entropy");
    if (steering.length > 0) p.add(where, `tag "${steering[0]}" steers nothing: say kind = "${steering[0]}"`);
    checkPrelude(spec, where, p);
  }
  // A literal the regex does not spell (a typo, a regex changed since) would silence the rule.
  for (const k of spec.exactKeywords ?? []) {
    if (spec.regex && !spec.regex.includes(k) && !spec.regex.includes(k.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")))
      p.add(where, `exact keyword "${k}" is not written in the regex`);
  }
  if (!ok) return null;
  return {
    id: spec.id!,
    provider: spec.provider!,
    description: spec.description!,
    regex: spec.regex!,
    secretGroup: spec.secretGroup,
    secretGroups: spec.secretGroups,
    kind: spec.kind ?? kindFromTags(spec.tags ?? []),
    context: spec.context,
    value: spec.value,
    also: spec.also,
    keywords: spec.keywords ?? [],
    ...(spec.exactKeywords ? { exactKeywords: spec.exactKeywords } : {}),
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

/**
 * A built-in rule gets its "name = value" forms from `context` and `value`; a regex that spells its own
 * prelude is refused unless the rule says why its format is a structure, not an assignment (`structural`).
 */
function checkPrelude(spec: Partial<RuleSpec>, where: string, p: Problems): void {
  if (spec.context !== undefined || spec.regex === undefined) {
    if (spec.structural !== undefined) p.add(where, `"structural" is for a regex rule; a context rule has no prelude`);
    return;
  }
  const prelude = handWrittenPrelude(spec.regex);
  if (prelude !== undefined && spec.structural === undefined) {
    p.add(
      where,
      `the regex spells its own assignment prelude (${prelude}): say "context" and "value" to get every shared form, or say why the format is not an assignment with structural = "..."`,
    );
  }
}

/** Rules written before `kind` (user files, imports) said it with a tag; the engine reads only `kind`. */
function kindFromTags(tags: string[]): RuleKind {
  if (tags.includes("entropy")) return "entropy";
  return tags.includes("generic") ? "generic" : "provider";
}

/**
 * A context rule (`context` + `value`) gets its regex from the shared assignment forms. Returns
 * false when the rule's context data is unusable (the problems name it).
 */
export function composeIfContext(spec: Partial<RuleSpec>, where: string, p: Problems): boolean {
  if (spec.context === undefined && spec.value === undefined && spec.also === undefined) return true;
  if (spec.context === undefined || spec.value === undefined) {
    p.add(where, `"context" and "value" go together (the names and the secret's shape)`);
    return false;
  }
  if (spec.regex !== undefined && spec.secretGroups === undefined) {
    p.add(
      where,
      `"regex" or "context": a context rule's regex comes from the shared forms (use "also" for other lead-ins)`,
    );
    return false;
  }
  const bad = unknownPieces(spec.context);
  if (bad.length > 0) p.add(where, `context names unknown piece {${bad[0]}} (shared pieces: {section}, {call})`);
  const grouped = [spec.context, ...(spec.also ?? [])].some((s) => countGroups(s) > 0);
  if (grouped) p.add(where, `"context" and "also" must not capture: use (?:...); the secret is the value's group`);
  if (spec.secretGroup !== undefined)
    p.add(where, `"secretGroup" does not apply: the secret is the value's first group`);
  if (bad.length > 0 || grouped) return false;
  const { regex, secretGroups } = composeContext({
    context: spec.context,
    value: spec.value,
    also: spec.also,
    keywords: spec.keywords,
    public: spec.public,
  });
  spec.regex = regex;
  spec.secretGroups = secretGroups;
  return true;
}
