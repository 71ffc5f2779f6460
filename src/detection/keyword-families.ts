/**
 * Rules that share their keywords are selected together: where one of the generic rules' keywords
 * (`token`, `secret`, `password`…) occurs, and in minified code, source maps and lockfiles one
 * nearly always does, all four generic rules (and the rules whose keywords are a subset of theirs,
 * such as `pypirc-password`) read the whole text, and almost never match. One RE2.Set pass over
 * such a family costs about one of their passes and tells which of them match at all: only those
 * run. A family's set is fixed (compiled once per engine, on first need), unlike the per-combination
 * sets of rules-that-match.ts, so it pays on texts of any size. A set that does not compile, or
 * runs out of memory on a text, lets every rule run.
 */
import type { CompiledRule, Engine } from "./compile.js";
import { compileRuleSet, type RuleSetMatcher, ruleSetMatches } from "./rule-set-match.js";
import type { WorkMeter } from "./work-meter.js";

/** Rules per family set: a set of many long regexes may not compile within RE2's memory budget. */
const FAMILY_RULES = 16;

interface Family {
  rules: CompiledRule[];
  /** undefined: not compiled yet; null: does not compile (its rules always run). */
  set?: RuleSetMatcher;
}

const familiesOf = new WeakMap<Engine, Map<CompiledRule, Family>>();

/** A rule's keyword indexes as one key (order-free); most rules have one keyword, spared the sort. */
function keywordsKey(indexes: readonly number[]): string {
  return indexes.length === 1 ? `${indexes[0]}` : [...indexes].sort((a, b) => a - b).join(",");
}

/**
 * Each rule's family: rules with the same keywords, joined by rules whose keywords are a subset of
 * theirs. Built on the first text (a pre-commit hook's cold JS: a scan of every family for each of
 * ~680 rules cost ~6 ms of CPU), so a rule looks only at the families that hold its first keyword,
 * in family order: the home it finds is the one the scan of all families finds.
 */
function familyMap(engine: Engine): Map<CompiledRule, Family> {
  let map = familiesOf.get(engine);
  if (map) return map;
  map = new Map();
  const byKeywords = new Map<string, CompiledRule[]>();
  for (const rule of engine.rules) {
    if (rule.keywordIndexes.length === 0) continue;
    const key = keywordsKey(rule.keywordIndexes);
    const list = byKeywords.get(key);
    if (list) list.push(rule);
    else byKeywords.set(key, [rule]);
  }
  /** keyword index → the families holding it, in family order. */
  const byKeyword = new Map<number, { keywords: Set<number>; family: Family }[]>();
  for (const group of byKeywords.values()) {
    if (group.length < 2 || group.length > FAMILY_RULES) continue;
    // Nor does a context rule join its own keywords' family (the generic detector: it matches in most
    // texts its keywords select, and its composed regex would make the set's pass cost more than it spares).
    const rules = group.filter((r) => r.spec.context === undefined);
    if (rules.length < 2) continue;
    const family: Family = { rules };
    const entry = { keywords: new Set(rules[0]!.keywordIndexes), family };
    for (const k of entry.keywords) {
      const list = byKeyword.get(k);
      if (list) list.push(entry);
      else byKeyword.set(k, [entry]);
    }
    for (const rule of rules) map.set(rule, family);
  }
  for (const rule of engine.rules) {
    if (rule.keywordIndexes.length === 0 || map.has(rule)) continue;
    const home = byKeyword
      .get(rule.keywordIndexes[0]!)
      ?.find((f) => f.family.rules.length < FAMILY_RULES && rule.keywordIndexes.every((k) => f.keywords.has(k)));
    // A context rule's composed regex (every assignment form) would swell the set's automaton. Read
    // last: `spec` parses a built-in rule's record (rules/lazy-rule.ts), and most rules have no home.
    if (!home || rule.spec.context !== undefined) continue;
    home.family.rules.push(rule);
    map.set(rule, home.family);
  }
  familiesOf.set(engine, map);
  return map;
}

function setOf(family: Family): RuleSetMatcher {
  if (family.set === undefined) family.set = compileRuleSet(family.rules);
  return family.set;
}

/**
 * Of `rules`, each about to read all of `data`, drops those that match nowhere in it, as far as
 * their families' sets tell (a family runs its set where two or more of its rules are about to
 * read the text). Order is kept.
 */
export function dropFamilyMisses(
  engine: Engine,
  rules: CompiledRule[],
  data: Buffer,
  meter?: WorkMeter,
): CompiledRule[] {
  if (rules.length < 2) return rules;
  const map = familyMap(engine);
  const present = new Map<Family, number>();
  for (const rule of rules) {
    const family = map.get(rule);
    if (family) present.set(family, (present.get(family) ?? 0) + 1);
  }
  let misses: Set<CompiledRule> | null = null;
  for (const [family, count] of present) {
    if (count < 2) continue;
    const found = ruleSetMatches(setOf(family), data, meter);
    if (found === null) continue;
    const hit = new Set(found.map((k) => family.rules[k]));
    misses ??= new Set();
    for (const rule of family.rules) if (!hit.has(rule)) misses.add(rule);
  }
  return misses === null ? rules : rules.filter((r) => !misses.has(r));
}
