/**
 * One RE2.Set over several rules' regexes: which of them match anywhere in a text, in one pass.
 * Shared by the keyword families (keyword-families.ts) and the big-text sets (rules-that-match.ts).
 * A set that does not compile, or a pass that runs out of memory, answers null: the rules then run
 * as they would have without it.
 */
import type { CompiledRule } from "./compile.js";
import { newRegexSet } from "./regex.js";
import type { WorkMeter } from "./work-meter.js";

export type RuleSetMatcher = { match(text: Buffer): number[] } | null;

/** A set over `rules`' own regexes, or null when RE2 cannot build it within its memory budget. */
export function compileRuleSet(rules: readonly CompiledRule[]): RuleSetMatcher {
  try {
    // A relaxed regex matches wherever the rule's own does (detection/relaxed-bounds.ts), and more
    // rarely: a set of them drops no rule that could match.
    return newRegexSet(
      rules.map((r) => r.searchSource),
      "",
    );
  } catch {
    return null;
  }
}

/** The indexes (into the set's rules) of those matching somewhere in `data`, or null: no answer. */
export function ruleSetMatches(set: RuleSetMatcher, data: Buffer, meter?: WorkMeter): number[] | null {
  if (set === null) return null;
  let found: number[];
  try {
    found = set.match(data);
  } catch {
    return null; // Out of memory for this text.
  }
  if (meter) {
    meter.regexRuns++;
    meter.regexBytes += data.length;
  }
  return found;
}
