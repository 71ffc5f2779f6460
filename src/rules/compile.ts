/**
 * Compiles RuleSpecs with RE2 (the only module that imports `re2`) and builds the keyword
 * prefilter: one RE2.Set pass over a text tells which keywords occur, hence which rules run.
 */
import { createRequire } from "node:module";
import type RE2Class from "re2";
import { LeakstopError } from "../lib/errors.js";
import { matchesEmpty } from "./empty-match.js";
import { KeywordPrefilter } from "./keyword-prefilter.js";
import type { AllowlistSpec, EngineSettings, RuleSpec } from "./rule-spec.js";
import { Problems } from "./toml-schema.js";
import { getValidator, type Validator } from "./validators/index.js";

// Required, not imported: node would otherwise lex the CommonJS source for named exports at start-up.
const RE2 = createRequire(import.meta.url)("re2") as typeof RE2Class;

export type Regex = InstanceType<typeof RE2>;

export interface CompiledAllowlist {
  regexes: Regex[];
  target: AllowlistSpec["regexTarget"];
  stopwords: string[];
  paths: Regex[];
}

/**
 * A rule ready to run. Its regexes (main, path, allowlists) compile on first use: a scan compiles
 * only the rules whose keywords occur (RE2 compilation of ~500 rules costs ~250 ms per thread).
 * Built-in rules are proven to compile by the build and the test suite; user rules are compiled
 * eagerly to report errors first.
 */
export class CompiledRule {
  /** Indexes of this rule's keywords in Engine.keywords. */
  keywordIndexes: number[] = [];
  private compiledPath: Regex | null | undefined;
  private compiledAllowlists: CompiledAllowlist[] | undefined;
  private secretGroup: number | undefined;

  constructor(
    readonly spec: RuleSpec,
    readonly index: number,
    readonly validator: Validator | null,
    private compiled: Regex | null,
    eager?: { group: number; path: Regex | null; allowlists: CompiledAllowlist[] },
  ) {
    this.secretGroup = eager?.group;
    this.compiledPath = eager?.path;
    this.compiledAllowlists = eager?.allowlists;
  }

  /** The capture group holding the secret. */
  get group(): number {
    this.secretGroup ??= groupOf(this.spec);
    return this.secretGroup;
  }

  /** Global + indices ("gd"): exec() walks matches and reports group byte offsets on Buffers. */
  get regex(): Regex {
    this.compiled ??= this.compileLate((p, where) => compileRuleRegex(this.spec.regex, where, p));
    return this.compiled;
  }

  /** RE2 on the relative path: the rule runs only on matching files (null: every file). */
  get path(): Regex | null {
    if (this.compiledPath === undefined) {
      const source = this.spec.path;
      this.compiledPath = source ? this.compileLate((p, where) => compileRegex(source, "", where, p)) : null;
    }
    return this.compiledPath;
  }

  get allowlists(): CompiledAllowlist[] {
    this.compiledAllowlists ??= this.spec.allowlists.map((a) =>
      this.compileLate((p, where) => {
        const list = compileAllowlist(a, where, p);
        return p.list.length > 0 ? null : list;
      }),
    );
    return this.compiledAllowlists;
  }

  private compileLate<T>(compile: (p: Problems, where: string) => T | null): T {
    const p = new Problems();
    const out = compile(p, `${this.spec.origin}: rule "${this.spec.id}"`);
    if (out === null) throw new LeakstopError("LS_RULES_INVALID", p.list[0] ?? this.spec.id);
    return out;
  }
}

export interface Engine {
  rules: CompiledRule[];
  globalAllowlists: CompiledAllowlist[];
  settings: EngineSettings;
  /** Which keywords occur in a text (an RE2.Set over all of them, case-insensitive, built on first need). */
  prefilter: KeywordPrefilter;
  /** keyword index (in keywords) → rules that list it. */
  rulesByKeyword: CompiledRule[][];
  /** Rules with no keywords: they run on every text. */
  alwaysRules: CompiledRule[];
  /** The keywords, in prefilter order (lower case). */
  keywords: string[];
  /** Finds where keywords occur (built on first use; see {@link keywordLocator}). */
  locator: KeywordLocator | null;
}

/**
 * Where each keyword occurs in a text: one RE2 pass over an alternation of every keyword (longest
 * first), each hit also credited to the keywords it contains ("api_key" holds "key"), since one
 * pass reports one keyword per place.
 */
export interface KeywordLocator {
  regex: Regex;
  /** lower-case hit text → [keyword index, offset inside the hit] for it and every keyword it contains. */
  credits: (hit: string) => [number, number][];
}

export function keywordLocator(engine: Engine): KeywordLocator {
  if (engine.locator) return engine.locator;
  const longestFirst = [...engine.keywords].sort((a, b) => b.length - a.length);
  const regex = new RE2(`(?:${longestFirst.map(escapeLiteral).join("|")})`, "gi");
  // Worked out per distinct hit text, on first sight: a text shows only a few distinct keywords.
  const cache = new Map<string, [number, number][]>();
  const credits = (hit: string) => {
    let list = cache.get(hit);
    if (!list) {
      list = [];
      for (let j = 0; j < engine.keywords.length; j++) {
        const other = engine.keywords[j]!;
        for (let at = hit.indexOf(other); at !== -1; at = hit.indexOf(other, at + 1)) list.push([j, at]);
      }
      cache.set(hit, list);
    }
    return list;
  };
  engine.locator = { regex, credits };
  return engine.locator;
}

/** Counts capturing groups of an RE2 pattern ((...), (?P<n>...), (?<n>...)). */
export function countGroups(pattern: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") i++;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") {
      inClass = true;
      if (pattern[i + 1] === "]") i++;
    } else if (ch === "(") {
      if (pattern[i + 1] !== "?" || pattern.startsWith("(?P<", i) || /^\(\?<[A-Za-z]/.test(pattern.slice(i, i + 4)))
        n++;
    }
  }
  return n;
}

function compileRegex(source: string, flags: string, where: string, p: Problems): Regex | null {
  try {
    return new RE2(source, flags);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    p.add(where, `regex does not compile in RE2: ${why}`);
    return null;
  }
}

/** A rule's main regex, global with indices ("gd"); one that can match the empty string is refused. */
function compileRuleRegex(source: string, where: string, p: Problems): Regex | null {
  const re = compileRegex(source, "gd", where, p);
  if (re && matchesEmpty(re)) {
    p.add(where, "regex can match the empty string (it would match everywhere and never find a secret)");
    return null;
  }
  return re;
}

/** Whether `source` compiles in RE2 and can match the empty string (see {@link matchesEmpty}). */
export function regexMatchesEmpty(source: string): boolean {
  const re = compileRegex(source, "g", "", new Problems());
  return re !== null && matchesEmpty(re);
}

function compileAllowlist(a: AllowlistSpec, where: string, p: Problems): CompiledAllowlist {
  const compile = (list: string[]) =>
    list.map((s) => compileRegex(s, "", `${where} allowlist`, p)).filter((r): r is Regex => r !== null);
  return { regexes: compile(a.regexes), target: a.regexTarget, stopwords: a.stopwords, paths: compile(a.paths) };
}

function groupOf(spec: RuleSpec): number {
  return spec.secretGroup ?? (countGroups(spec.regex) > 0 ? 1 : 0);
}

function compileRule(spec: RuleSpec, index: number, eager: boolean, p: Problems): CompiledRule | null {
  const where = `${spec.origin}: rule "${spec.id}"`;
  let validator: Validator | null = null;
  if (spec.validator) {
    validator = getValidator(spec.validator) ?? null;
    if (!validator) p.add(where, `unknown validator "${spec.validator}"`);
  }
  if (!eager) return new CompiledRule(spec, index, validator, null);
  const groups = countGroups(spec.regex);
  const group = groupOf(spec);
  if (group > groups) p.add(where, `secretGroup ${group} but the regex has ${groups} capture group(s)`);
  const regex = compileRuleRegex(spec.regex, where, p);
  const path = spec.path ? compileRegex(spec.path, "", where, p) : null;
  const allowlists = spec.allowlists.map((a) => compileAllowlist(a, where, p));
  if (!regex) return null;
  return new CompiledRule(spec, index, validator, regex, { group, path, allowlists });
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/** Which rules to compile up front: by default all; a scan passes {@link onlyUserRules}. */
export type EagerPolicy = (spec: RuleSpec) => boolean;

/** Built-in detectors (origin `detectors/…`) compile lazily; everything a user wrote compiles now. */
export const onlyUserRules: EagerPolicy = (spec) => !spec.origin.startsWith("detectors/");

/**
 * Compiles the rules (see {@link CompiledRule} for what is lazy); all problems found are reported
 * together as one LS_RULES_INVALID error.
 */
export function compileEngine(
  specs: RuleSpec[],
  globalAllowlists: AllowlistSpec[],
  settings: EngineSettings,
  eager: EagerPolicy = () => true,
): Engine {
  const p = new Problems();
  const rules = specs.map((s, i) => compileRule(s, i, eager(s), p)).filter((r): r is CompiledRule => r !== null);
  const globals = globalAllowlists.map((a) => compileAllowlist(a, "global", p));
  if (p.list.length > 0) {
    const more = p.list.length > 1 ? ` (and ${p.list.length - 1} more)` : "";
    throw new LeakstopError("LS_RULES_INVALID", `${p.list[0]}${more}`);
  }
  const keywords: string[] = [];
  const keywordIndex = new Map<string, number>();
  const rulesByKeyword: CompiledRule[][] = [];
  const alwaysRules: CompiledRule[] = [];
  for (const rule of rules) {
    if (rule.spec.keywords.length === 0) alwaysRules.push(rule);
    for (const kw of rule.spec.keywords) {
      let k = keywordIndex.get(kw);
      if (k === undefined) {
        k = keywords.push(kw) - 1;
        keywordIndex.set(kw, k);
        rulesByKeyword.push([]);
      }
      rulesByKeyword[k]!.push(rule);
      rule.keywordIndexes.push(k);
    }
  }
  const prefilter = new KeywordPrefilter(keywords, () => new RE2.Set(keywords.map(escapeLiteral), "i"));
  return {
    rules,
    globalAllowlists: globals,
    settings,
    prefilter,
    rulesByKeyword,
    alwaysRules,
    keywords,
    locator: null,
  };
}

/** The rules whose keywords occur in `text` (plus keyword-less rules), in rule order. */
export function candidateRules(engine: Engine, text: Buffer | string): CompiledRule[] {
  const hits = engine.prefilter.match(text);
  if (hits.length === 0) return engine.alwaysRules;
  const picked = new Set<CompiledRule>(engine.alwaysRules);
  for (const k of hits) for (const r of engine.rulesByKeyword[k]!) picked.add(r);
  return [...picked].sort((a, b) => a.index - b.index);
}

/** RE2 test used by allowlists and path filters (keeps callers free of the re2 import). */
export function regexTest(re: Regex, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}

/** A match over a Buffer: byte offsets of the whole match and of each group. */
export interface BufferMatch {
  index: number;
  length: number;
  indices: ([number, number] | undefined)[];
}

/** exec() on a Buffer (re2 accepts Buffers and reports byte offsets; its typings only know strings). */
export function execBuffer(re: Regex, data: Buffer): BufferMatch | null {
  const m = (re.exec as unknown as (d: Buffer) => (Buffer[] & { index: number; indices: [number, number][] }) | null)(
    data,
  );
  if (m === null) return null;
  return { index: m.index, length: m[0]!.length, indices: m.indices };
}
