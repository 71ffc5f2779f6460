/**
 * The engine's compile step: a RuleSet (data, from rules/ and config/) becomes compiled rules plus
 * the keyword prefilter, whose one pass over a text tells which keywords occur, hence which rules run.
 */
import { LeakstopError } from "../lib/errors.js";
import { isBuildChecked } from "../rules/build-checked.js";
import { countGroups } from "../rules/count-groups.js";
import { matchesEmpty } from "../rules/empty-match.js";
import { fullRule, ruleHead } from "../rules/lazy-rule.js";
import { secretGroupOf } from "../rules/regex-check.js";
import type { RuleSet } from "../rules/rule-set.js";
import type { AllowlistSpec, EngineSettings, RuleSpec } from "../rules/rule-spec.js";
import { Problems, throwProblems } from "../rules/toml-schema.js";
import { getValidator, type Validator } from "../rules/validators/index.js";
import { KeywordPrefilter } from "./keyword-prefilter.js";
import { escapeLiteral, newRegex, newRegexSet, type Regex } from "./regex.js";
import { type RelaxedRegex, relaxBounds } from "./relaxed-bounds.js";
import { gateOf, type SearchHints, storedHints } from "./search-hints.js";
import { applyEdits } from "./source-edits.js";

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
 * eagerly to report errors first. A built-in rule from the build's bundle is parsed on first use
 * too (rules/lazy-rule.ts): building the engine reads only its id, keywords, origin and validator.
 */
export class CompiledRule {
  /** Indexes of this rule's keywords in Engine.keywords. */
  keywordIndexes: number[] = [];
  private compiledExact: Regex | undefined;
  /** The relaxed form it is searched with (null: the regex as written; undefined: not worked out yet). */
  private relaxedForm: RelaxedRegex | null | undefined;
  private compiledGate: Regex | null | undefined;
  private compiledPath: Regex | null | undefined;
  private compiledAllowlists: CompiledAllowlist[] | undefined;
  private secretGroup: number | undefined;
  private parsed: RuleSpec | undefined;
  private exact: Buffer[] | null | undefined;
  private storedHints: SearchHints | null | undefined;

  constructor(
    private readonly given: RuleSpec,
    readonly index: number,
    readonly validator: Validator | null,
    private compiled: Regex | null,
    /** The rule's keywords (read without parsing a lazy rule). */
    readonly keywords: readonly string[],
    eager?: { path: Regex | null; allowlists: CompiledAllowlist[] },
  ) {
    this.compiledPath = eager?.path;
    this.compiledAllowlists = eager?.allowlists;
    // A rule compiled up front (one the user wrote) keeps its regex exactly as written.
    if (compiled !== null) this.relaxedForm = null;
  }

  /** The rule's data (a lazy rule's parsed object: no Proxy on the hot paths). */
  get spec(): RuleSpec {
    this.parsed ??= fullRule(this.given);
    return this.parsed;
  }

  /** The capture group holding the secret. */
  get group(): number {
    this.secretGroup ??= secretGroupOf(this.spec);
    return this.secretGroup;
  }

  /** The capture groups that may hold the secret, the first that took part wins. */
  get groups(): number[] {
    return this.spec.secretGroups ?? [this.group];
  }

  /** The rule's exact keywords as bytes (null: none, the keywords alone select the rule). */
  get exactKeywords(): Buffer[] | null {
    if (this.exact === undefined) {
      const list = this.spec.exactKeywords;
      this.exact = list && list.length > 0 ? list.map((k) => Buffer.from(k, "utf8")) : null;
    }
    return this.exact;
  }

  /**
   * A built-in rule's regex with the upper bounds of its big counted groups dropped
   * (detection/relaxed-bounds.ts): what it is searched with, and what sets of rules hold. Null when
   * the regex is searched as written.
   */
  get relaxed(): RelaxedRegex | null {
    if (this.relaxedForm === undefined) {
      const regex = this.spec.regex;
      const relax = this.hints?.relax;
      if (relax === undefined) this.relaxedForm = relaxBounds(regex);
      else this.relaxedForm = relax === 0 ? null : { source: applyEdits(regex, relax.edits), bounds: relax.bounds };
    }
    return this.relaxedForm;
  }

  /** The build's hints for this rule (detection/search-hints.ts); null: worked out here. */
  private get hints(): SearchHints | null {
    if (this.storedHints === undefined) this.storedHints = storedHints(this.spec);
    return this.storedHints;
  }

  /** The source a search runs: the relaxed form, or the regex as written. */
  get searchSource(): string {
    return this.relaxed?.source ?? this.spec.regex;
  }

  /**
   * Global + indices ("gd"): exec() walks matches and reports group byte offsets on Buffers. The
   * relaxed form when there is one: a match whose bounded group is too long is answered by
   * {@link exactRegex}.
   */
  get regex(): Regex {
    this.compiled ??= this.compileLate((p, where) =>
      compileRuleRegex(this.searchSource, where, p, isBuildChecked(this.spec)),
    );
    return this.compiled;
  }

  /**
   * A cheaper regex that matches wherever {@link regex} does (detection/gate-regex.ts), asked on a
   * text before it: the search regex compiles only once its gate has matched somewhere, and from
   * then on runs alone. Null when there is none: the search regex is compiled already (a rule the
   * user wrote is compiled up front), or it has no repetition worth relaxing.
   */
  get gate(): Regex | null {
    if (this.compiled !== null) return null;
    if (this.compiledGate === undefined) {
      const gate = this.hints?.gate ?? gateOf(this.spec, this.searchSource) ?? 0;
      const source = gate === 0 ? null : applyEdits(this.searchSource, gate);
      try {
        this.compiledGate = source === null ? null : newRegex(source, "");
      } catch {
        this.compiledGate = null; // Cannot happen for a regex RE2 accepts; the rule then simply runs ungated.
      }
    }
    return this.compiledGate;
  }

  /**
   * The regex as written ("gd"), for the rare match the relaxed form must not decide alone. It is
   * compiled mid-scan, at that match, not with the rule: compiling it is the cost the relaxed form
   * exists to avoid (generic-secret: 12.9 M instructions against 2.0 M, BENCHMARKS.md "Big counted
   * groups relaxed"), and no match on the git/git and axios trees or axios history needs it.
   */
  get exactRegex(): Regex {
    if (this.relaxed === null) return this.regex;
    this.compiledExact ??= this.compileLate((p, where) =>
      compileRuleRegex(this.spec.regex, where, p, isBuildChecked(this.spec)),
    );
    return this.compiledExact;
  }

  /** RE2 on the relative path: the rule runs only on matching files (null: every file). */
  get path(): Regex | null {
    if (this.compiledPath === undefined) {
      const source = this.spec.path;
      this.compiledPath = source ? this.compileLate((p, where) => compileRegex(source, "", where, p)) : null;
    }
    return this.compiledPath;
  }

  /**
   * Asked for their paths before the rule runs on a file; their regexes compile only when a candidate
   * reaches them (lazyAllowlist), and most rules that run on a text find none: a scan of axios compiled
   * 9 such regexes, the URL rule's list of user names among them, and tested none.
   */
  get allowlists(): CompiledAllowlist[] {
    this.compiledAllowlists ??= this.spec.allowlists.map((a) =>
      lazyAllowlist(a, `${this.spec.origin}: rule "${this.spec.id}"`),
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
}

function compileRegex(source: string, flags: string, where: string, p: Problems): Regex | null {
  try {
    return newRegex(source, flags);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    p.add(where, `regex does not compile in RE2: ${why}`);
    return null;
  }
}

/**
 * A rule's main regex, global with indices ("gd"); one that can match the empty string is refused
 * (unless `checked`: the build already proved it cannot, see rules/build-checked.ts).
 */
function compileRuleRegex(source: string, where: string, p: Problems, checked = false): Regex | null {
  const re = compileRegex(source, "gd", where, p);
  if (re && !checked && matchesEmpty(re)) {
    p.add(where, "regex can match the empty string (it would match everywhere and never find a secret)");
    return null;
  }
  return re;
}

function compileAllowlist(a: AllowlistSpec, where: string, p: Problems): CompiledAllowlist {
  const compile = (list: string[]) =>
    list.map((s) => compileRegex(s, "", `${where} allowlist`, p)).filter((r): r is Regex => r !== null);
  return { regexes: compile(a.regexes), target: a.regexTarget, stopwords: a.stopwords, paths: compile(a.paths) };
}

/**
 * A global allowlist the build checked (the built-in one, rules/build-checked.ts), its regexes compiled
 * on first use: only a candidate that passed its rule's checks asks them, and most hook runs have none
 * (the publishable-key pattern's `{20,247}` alone cost ~4 M instructions, ~1 ms, at every start).
 */
function lazyAllowlist(a: AllowlistSpec, where: string): CompiledAllowlist {
  let regexes: Regex[] | undefined;
  let paths: Regex[] | undefined;
  const compile = (list: string[]): Regex[] => {
    const p = new Problems();
    const out = list.map((s) => compileRegex(s, "", `${where} allowlist`, p));
    if (p.list.length > 0) throw new LeakstopError("LS_RULES_INVALID", p.list[0]!);
    return out as Regex[];
  };
  return {
    target: a.regexTarget,
    stopwords: a.stopwords,
    get regexes() {
      regexes ??= compile(a.regexes);
      return regexes;
    },
    get paths() {
      paths ??= compile(a.paths);
      return paths;
    },
  };
}

function compileRule(spec: RuleSpec, index: number, eager: EagerPolicy, p: Problems): CompiledRule | null {
  // A lazy rule's index entry: what is read here never parses it (rules/lazy-rule.ts).
  const head = ruleHead(spec);
  let validator: Validator | null = null;
  if (head.validator) {
    validator = getValidator(head.validator) ?? null;
    if (!validator) p.add(`${head.origin}: rule "${head.id}"`, `unknown validator "${head.validator}"`);
  }
  if (!eager(head)) return new CompiledRule(spec, index, validator, null, head.keywords);
  const where = `${spec.origin}: rule "${spec.id}"`;
  const groups = countGroups(spec.regex);
  const group = secretGroupOf(spec);
  if (group > groups) p.add(where, `secretGroup ${group} but the regex has ${groups} capture group(s)`);
  const regex = compileRuleRegex(spec.regex, where, p);
  const path = spec.path ? compileRegex(spec.path, "", where, p) : null;
  const allowlists = spec.allowlists.map((a) => compileAllowlist(a, where, p));
  return regex ? new CompiledRule(spec, index, validator, regex, spec.keywords, { path, allowlists }) : null;
}

/** Which rules to compile up front: by default all; a scan passes {@link onlyUserRules}. */
export type EagerPolicy = (spec: Pick<RuleSpec, "origin">) => boolean;

/** Built-in detectors (origin `detectors/…`) compile lazily; everything a user wrote compiles now. */
export const onlyUserRules: EagerPolicy = (spec) => !spec.origin.startsWith("detectors/");

/**
 * Compiles a rule set (see {@link CompiledRule} for what is lazy); all problems found are reported
 * together as one LS_RULES_INVALID error.
 */
export function compileEngine(
  ruleSet: Pick<RuleSet, "rules" | "allowlists" | "settings">,
  eager: EagerPolicy = () => true,
): Engine {
  const p = new Problems();
  const rules = ruleSet.rules.map((s, i) => compileRule(s, i, eager, p)).filter((r): r is CompiledRule => r !== null);
  const globals = ruleSet.allowlists.map((a) =>
    isBuildChecked(a) ? lazyAllowlist(a, "global") : compileAllowlist(a, "global", p),
  );
  throwProblems(p, "LS_RULES_INVALID");
  const keywords: string[] = [];
  const keywordIndex = new Map<string, number>();
  const rulesByKeyword: CompiledRule[][] = [];
  const alwaysRules: CompiledRule[] = [];
  for (const rule of rules) {
    if (rule.keywords.length === 0) alwaysRules.push(rule);
    for (const kw of rule.keywords) {
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
  const prefilter = new KeywordPrefilter(keywords, (kind) =>
    newRegexSet(keywords.map(escapeLiteral), kind === "fold" ? "i" : ""),
  );
  return {
    rules,
    globalAllowlists: globals,
    settings: ruleSet.settings,
    prefilter,
    rulesByKeyword,
    alwaysRules,
    keywords,
  };
}

/** The rules whose keywords occur in `text` (plus keyword-less rules), in rule order. */
export function candidateRules(engine: Engine, text: Buffer | string): CompiledRule[] {
  return rulesOfKeywords(engine, engine.prefilter.match(text));
}

/**
 * Whether `rule` can match in `data` as far as its exact keywords tell: one of them occurs as written
 * (a native byte search per literal, cheaper than one regex pass), or it has none.
 */
export function exactKeywordsOccur(rule: CompiledRule, data: Buffer): boolean {
  const exact = rule.exactKeywords;
  return exact === null || exact.some((k) => data.includes(k));
}

/** The rules listing any of the keywords `hits` (indexes, as the prefilter reports them), plus keyword-less rules, in rule order. */
export function rulesOfKeywords(engine: Engine, hits: readonly number[]): CompiledRule[] {
  if (hits.length === 0) return engine.alwaysRules;
  const picked = new Set<CompiledRule>(engine.alwaysRules);
  for (const k of hits) for (const r of engine.rulesByKeyword[k]!) picked.add(r);
  return [...picked].sort((a, b) => a.index - b.index);
}
