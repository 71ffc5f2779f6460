/**
 * Strict checking of TOML-parsed detector data. Problems are collected (not thrown one by one)
 * so a user sees every mistake of a file at once, each naming the file and the rule id.
 */
import type { Severity } from "../findings/finding.js";
import { LeakstopError } from "../lib/errors.js";
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
import { type KeyPath, type TomlLocator, tomlLocator } from "./toml-locate.js";

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

/**
 * The problems found in one or more files, each one line. A problem given the key path it is about
 * (`at`) names its line and column when the text of the file it names was registered with `locate`:
 * `file.toml:12:1: rule "x": unknown key "keyowrds"`.
 */
export class Problems {
  readonly list: string[] = [];
  private readonly texts = new Map<string, string | (() => string)>();
  private readonly locators = new Map<string, TomlLocator>();
  /**
   * Registers the text of `file` (as problems name it) so problems in it get their positions; a
   * function is called only when a problem needs it (the happy path never reads the file again).
   */
  locate(file: string, text: string | (() => string)): void {
    this.texts.set(file, text);
  }
  add(where: string, what: string, at?: KeyPath): void {
    this.list.push(`${at ? this.positioned(where, at) : where}: ${what}`);
  }
  /** Lines already worded (another file's problems). */
  addLines(lines: string[]): void {
    this.list.push(...lines);
  }
  /** `list` without repeats (a merge may find again what the file's own check found). */
  unique(): string[] {
    return [...new Set(this.list)];
  }
  private positioned(where: string, at: KeyPath): string {
    for (const [file, text] of this.texts) {
      if (where !== file && !where.startsWith(`${file}:`)) continue;
      let locator = this.locators.get(file);
      if (!locator) {
        locator = tomlLocator(typeof text === "string" ? text : text());
        this.locators.set(file, locator);
      }
      const pos = locator(at);
      return pos ? `${file}:${pos.line}:${pos.column}${where.slice(file.length)}` : where;
    }
    return where;
  }
}

/**
 * Throws one error carrying every problem: the message is the first with a count of the others, and
 * `problems` lists them all (the CLI prints each on its own line).
 */
export function throwProblems(p: Problems, code: "LS_RULES_INVALID" | "LS_CONFIG_INVALID"): void {
  if (p.list.length === 0) return;
  const list = p.unique();
  const more = list.length > 1 ? ` (and ${list.length - 1} more problem${list.length > 2 ? "s" : ""})` : "";
  const err = new LeakstopError(code, `${list[0]}${more}`);
  (err as LeakstopError & { problems: string[] }).problems = list;
  throw err;
}

export function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function stringList(v: unknown, where: string, key: string, p: Problems, at?: KeyPath): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    p.add(where, `"${key}" must be a list of strings`, at);
    return [];
  }
  return v as string[];
}

function unknownKeys(t: Table, allowed: Set<string>, where: string, p: Problems, at: KeyPath = []): void {
  for (const k of Object.keys(t)) if (!allowed.has(k)) p.add(where, `unknown key "${k}"`, [...at, k]);
}

/** Checks one `[allowlist]` table; `at`: where it sits in the file ([] when unknown). */
export function parseAllowlist(v: unknown, where: string, p: Problems, at: KeyPath = []): AllowlistSpec | null {
  if (v === undefined) return null;
  if (!isTable(v)) {
    p.add(where, "allowlist must be a table", at);
    return null;
  }
  unknownKeys(v, ALLOWLIST_KEYS, `${where} allowlist`, p, at);
  const target = v.regexTarget ?? "secret";
  if (target !== "secret" && target !== "match" && target !== "line") {
    p.add(where, `allowlist.regexTarget must be secret, match or line`, [...at, "regexTarget"]);
  }
  return {
    regexes: stringList(v.regexes, where, "allowlist.regexes", p, [...at, "regexes"]),
    regexTarget: target as RegexTarget,
    stopwords: stringList(v.stopwords, where, "allowlist.stopwords", p, [...at, "stopwords"]).map((s) =>
      s.toLowerCase(),
    ),
    paths: stringList(v.paths, where, "allowlist.paths", p, [...at, "paths"]),
  };
}

function optionalString(t: Table, key: string, where: string, p: Problems, at: KeyPath = []): string | undefined {
  const v = t[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v.length === 0) {
    p.add(where, `"${key}" must be a non-empty string`, [...at, key]);
    return undefined;
  }
  return v;
}

/** Where a rule's table is in its file, found by its id (no position when it has none). */
function ruleAt(spec: Partial<RuleSpec>): KeyPath {
  return spec.id ? ["rules", { id: spec.id }] : [];
}

/**
 * Checks one `[[rules]]` entry. `partial` allows a user override that names only the fields it
 * changes (the id must then match an existing rule; completeness is checked after merging).
 */
export function parseRuleTable(raw: unknown, index: number, file: string, p: Problems): Partial<RuleSpec> | null {
  const where0 = `${file}: rule #${index + 1}`;
  const at: KeyPath = ["rules", index];
  const keyAt = (k: string): KeyPath => [...at, k];
  if (!isTable(raw)) {
    p.add(where0, "each [[rules]] entry must be a table", at);
    return null;
  }
  const id = typeof raw.id === "string" ? raw.id : undefined;
  const where = id ? `${file}: rule "${id}"` : where0;
  if (!id) p.add(where, `missing "id"`, at);
  else if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) p.add(where, `id must be kebab-case (a-z, 0-9, -)`, keyAt("id"));
  unknownKeys(raw, RULE_KEYS, where, p, at);

  const spec: Partial<RuleSpec> = { id, origin: file };
  const provider = optionalString(raw, "provider", where, p, at);
  if (provider !== undefined) spec.provider = provider;
  const description = optionalString(raw, "description", where, p, at);
  if (description !== undefined) spec.description = description;
  const regex = optionalString(raw, "regex", where, p, at);
  if (regex !== undefined) spec.regex = regex;
  for (const key of ["context", "value"] as const) {
    const v = optionalString(raw, key, where, p, at);
    if (v !== undefined) spec[key] = v;
  }
  if (raw.also !== undefined) spec.also = stringList(raw.also, where, "also", p, keyAt("also"));
  if (raw.kind !== undefined) {
    if (!RULE_KINDS.includes(raw.kind as RuleKind))
      p.add(where, `"kind" must be one of ${RULE_KINDS.join(", ")}`, keyAt("kind"));
    else spec.kind = raw.kind as RuleKind;
  }
  for (const key of ["validator", "revoker", "path", "structural"] as const) {
    const v = optionalString(raw, key, where, p, at);
    if (v !== undefined) spec[key] = v;
  }
  if (raw.public !== undefined) {
    if (typeof raw.public !== "boolean") p.add(where, `"public" must be true or false`, keyAt("public"));
    else spec.public = raw.public;
  }
  if (raw.secretGroup !== undefined) {
    if (!Number.isInteger(raw.secretGroup) || (raw.secretGroup as number) < 0) {
      p.add(where, `"secretGroup" must be a whole number >= 0`, keyAt("secretGroup"));
    } else spec.secretGroup = Number(raw.secretGroup);
  }
  if (raw.entropy !== undefined) {
    const e = Number(raw.entropy);
    if (typeof raw.entropy !== "number" || e < 0 || e > 8)
      p.add(where, `"entropy" must be a number from 0 to 8`, keyAt("entropy"));
    else spec.entropy = e;
  }
  if (raw.severity !== undefined) {
    if (!SEVERITIES.includes(raw.severity as Severity)) {
      p.add(where, `"severity" must be one of ${SEVERITIES.join(", ")}`, keyAt("severity"));
    } else spec.severity = raw.severity as Severity;
  }
  if (raw.keywords !== undefined) {
    spec.keywords = stringList(raw.keywords, where, "keywords", p, keyAt("keywords")).map((k) => k.toLowerCase());
    if (spec.keywords.some((k) => k.length === 0))
      p.add(where, "keywords must not be empty strings", keyAt("keywords"));
  }
  if (raw.exactKeywords !== undefined) {
    spec.exactKeywords = stringList(raw.exactKeywords, where, "exactKeywords", p, keyAt("exactKeywords"));
    if (spec.exactKeywords.length === 0 || spec.exactKeywords.some((k) => k.length === 0)) {
      p.add(where, "exactKeywords must be a non-empty list of non-empty strings", keyAt("exactKeywords"));
    }
  }
  if (raw.tags !== undefined) spec.tags = stringList(raw.tags, where, "tags", p, keyAt("tags"));
  if (raw.references !== undefined)
    spec.references = stringList(raw.references, where, "references", p, keyAt("references"));
  const lists: AllowlistSpec[] = [];
  const single = parseAllowlist(raw.allowlist, where, p, keyAt("allowlist"));
  if (single) lists.push(single);
  if (raw.allowlists !== undefined) {
    if (!Array.isArray(raw.allowlists)) p.add(where, `"allowlists" must be an array of tables`, keyAt("allowlists"));
    else
      raw.allowlists.forEach((a, i) => {
        const parsed = parseAllowlist(a, where, p, [...at, "allowlists", i]);
        if (parsed) lists.push(parsed);
      });
  }
  if (raw.allowlist !== undefined || raw.allowlists !== undefined) spec.allowlists = lists;
  if (raw.examples !== undefined) {
    if (!isTable(raw.examples)) p.add(where, `"examples" must be a table`, keyAt("examples"));
    else {
      unknownKeys(raw.examples, EXAMPLE_KEYS, `${where} examples`, p, keyAt("examples"));
      spec.examples = {
        positives: stringList(raw.examples.positives, where, "examples.positives", p, [...at, "examples", "positives"]),
        negatives: stringList(raw.examples.negatives, where, "examples.negatives", p, [...at, "examples", "negatives"]),
      };
    }
  }
  return spec;
}

/** Fills defaults and checks a merged rule is complete. `builtin` rules must carry examples and keywords. */
export function completeRule(spec: Partial<RuleSpec>, builtin: boolean, p: Problems): RuleSpec | null {
  const at = ruleAt(spec);
  const where = `${spec.origin}: rule "${spec.id}"`;
  let ok = composeIfContext(spec, where, p);
  for (const key of ["id", "provider", "description", "regex"] as const) {
    if (!spec[key]) {
      p.add(where, `missing "${key}"`, at);
      ok = false;
    }
  }
  const examples = spec.examples ?? { positives: [], negatives: [] };
  if (builtin) {
    if (!spec.keywords || spec.keywords.length === 0) p.add(where, `missing "keywords" (built-in rules need them)`, at);
    if (examples.positives.length === 0) p.add(where, "needs at least one positive example", at);
    if (examples.negatives.length === 0) p.add(where, "needs at least one negative example", at);
    const steering = (spec.tags ?? []).filter((t) => t === "generic" || t === "entropy");
    if (steering.length > 0) p.add(where, `tag "${steering[0]}" steers nothing: say kind = "${steering[0]}"`, at);
    checkPrelude(spec, where, p);
  }
  // A literal the regex does not spell (a typo, a regex changed since) would silence the rule.
  for (const k of spec.exactKeywords ?? []) {
    if (spec.regex && !spec.regex.includes(k) && !spec.regex.includes(k.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")))
      p.add(where, `exact keyword "${k}" is not written in the regex`, [...at, "exactKeywords"]);
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
  const at = ruleAt(spec);
  if (spec.context !== undefined || spec.regex === undefined) {
    if (spec.structural !== undefined)
      p.add(where, `"structural" is for a regex rule; a context rule has no prelude`, at);
    return;
  }
  const prelude = handWrittenPrelude(spec.regex);
  if (prelude !== undefined && spec.structural === undefined) {
    p.add(
      where,
      `the regex spells its own assignment prelude (${prelude}): say "context" and "value" to get every shared form, or say why the format is not an assignment with structural = "..."`,
      at,
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
  const at = ruleAt(spec);
  if (spec.context === undefined && spec.value === undefined && spec.also === undefined) return true;
  if (spec.context === undefined || spec.value === undefined) {
    p.add(where, `"context" and "value" go together (the names and the secret's shape)`, at);
    return false;
  }
  if (spec.regex !== undefined && spec.secretGroups === undefined) {
    p.add(
      where,
      `"regex" or "context": a context rule's regex comes from the shared forms (use "also" for other lead-ins)`,
      at,
    );
    return false;
  }
  const bad = unknownPieces(spec.context);
  if (bad.length > 0) p.add(where, `context names unknown piece {${bad[0]}} (shared pieces: {section}, {call})`, at);
  const grouped = [spec.context, ...(spec.also ?? [])].some((s) => countGroups(s) > 0);
  if (grouped) p.add(where, `"context" and "also" must not capture: use (?:...); the secret is the value's group`, at);
  if (spec.secretGroup !== undefined)
    p.add(where, `"secretGroup" does not apply: the secret is the value's first group`, at);
  if (bad.length > 0 || grouped) return false;
  const { regex, secretGroups } = composeContext({
    context: spec.context,
    value: spec.value,
    also: spec.also,
    keywords: spec.keywords,
    public: spec.public,
    anyValue: spec.kind === "entropy",
  });
  spec.regex = regex;
  spec.secretGroups = secretGroups;
  return true;
}
