/**
 * In a big text full of keywords (a generated file, a dump), several rules read the whole text and
 * most of them match nowhere in it. One RE2.Set pass over their regexes costs about what one of
 * their passes costs and tells which of them match at all: only those run. A set is compiled once
 * per combination of rules and kept with the engine (a big file's chunks ask for the same ones);
 * one that does not compile, or runs out of memory, lets every rule run.
 */
import type { CompiledRule, Engine } from "./compile.js";
import { dropFamilyMisses } from "./keyword-families.js";
import { compileRuleSet, type RuleSetMatcher, ruleSetMatches } from "./rule-set-match.js";
import type { WorkMeter } from "./work-meter.js";

/** Below this size a text's passes cost less than compiling a set for them. */
export const RULE_SET_MIN_TEXT = 2 * 1024 * 1024;
/** Rules per set: a set of many long regexes may not compile within RE2's memory budget. */
const SET_RULES = 16;
/** Sets kept per engine; past this many combinations the oldest go (each holds its own DFA cache). */
const MAX_SETS = 8;

const setsOf = new WeakMap<Engine, Map<string, RuleSetMatcher>>();

/**
 * Bytes of whole-text reading an engine does before the keyword families' sets are used. Until then
 * (a pre-commit hook's few files) compiling them costs more than the passes they spare: the hook over
 * 10 files (60 KiB) ran 47-55 M instructions fewer without them (callgrind, ~510 M instead of ~563 M).
 * They only ever drop rules that match nowhere, so findings are the same either way.
 */
export const FAMILY_SETS_AFTER = 256 * 1024;
const wholeTextBytes = new WeakMap<Engine, number>();

/** Counts `data` as read whole; true once the engine has read more than FAMILY_SETS_AFTER so. */
function familySetsPay(engine: Engine, data: Buffer): boolean {
  const seen = (wholeTextBytes.get(engine) ?? 0) + data.length;
  wholeTextBytes.set(engine, seen);
  return seen > FAMILY_SETS_AFTER;
}

function setFor(engine: Engine, rules: CompiledRule[]): RuleSetMatcher {
  let sets = setsOf.get(engine);
  if (!sets) {
    sets = new Map();
    setsOf.set(engine, sets);
  }
  const key = rules.map((r) => r.index).join(",");
  let set = sets.get(key);
  if (set === undefined) {
    if (sets.size >= MAX_SETS) sets.delete(sets.keys().next().value as string);
    set = compileRuleSet(rules);
    sets.set(key, set);
  }
  return set;
}

/** Of `rules`, each about to read all of `data`, those whose regex matches somewhere in it (in order). */
export function rulesThatMatch(engine: Engine, rules: CompiledRule[], data: Buffer, meter?: WorkMeter): CompiledRule[] {
  if (rules.length < 2 || data.length < RULE_SET_MIN_TEXT) return rules;
  const out: CompiledRule[] = [];
  // Groups of even size, so that no rule is left alone in a group (a lone rule is simply run).
  const size = Math.ceil(rules.length / Math.ceil(rules.length / SET_RULES));
  for (let i = 0; i < rules.length; i += size) {
    const group = rules.slice(i, i + size);
    const set = group.length > 1 ? setFor(engine, group) : null;
    const found = ruleSetMatches(set, data, meter);
    if (found === null) {
      out.push(...group);
      continue;
    }
    for (const k of found.sort((a, b) => a - b)) out.push(group[k]!);
  }
  return out;
}

/**
 * Of `rules`, each about to read all of `data`, those that match somewhere in it, as far as
 * RE2.Sets tell: the keyword families' sets (keyword-families.ts; once the engine has read
 * FAMILY_SETS_AFTER bytes so), then a set over what they left.
 * In a big text with at most SET_RULES such rules, one set over them all gives the same answer in
 * one pass instead of two or more (a big source file's 8 MiB chunk: ~15 ms instead of ~30).
 */
export function wholeTextRulesThatMatch(
  engine: Engine,
  rules: CompiledRule[],
  data: Buffer,
  meter?: WorkMeter,
): CompiledRule[] {
  if (rules.length >= 2 && rules.length <= SET_RULES && data.length >= RULE_SET_MIN_TEXT) {
    const found = ruleSetMatches(setFor(engine, rules), data, meter);
    if (found !== null) return found.sort((a, b) => a - b).map((k) => rules[k]!);
  }
  const kept = familySetsPay(engine, data) ? dropFamilyMisses(engine, rules, data, meter) : rules;
  return rulesThatMatch(engine, kept, data, meter);
}
