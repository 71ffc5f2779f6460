/**
 * Which of a text's candidate rules (those whose keywords occur) run, and where: the one place that
 * lists every check skipping a rule that cannot match in the text. Each only drops rules, so their
 * order changes no result; it goes by cost, per-rule byte questions before RE2.Set passes:
 *   1. the rule's `path` selects the file;
 *   2. exact keywords (compile.ts exactKeywordsOccur): one of them occurs as written, a byte search;
 * a rule whose keywords were placed in a big text then reads only windows around them (windows.ts);
 * the others read the whole text, and for them:
 *   3. value pre-check (value-precheck.ts), texts under 2 MiB: a context rule's value shape occurs;
 *   4. keyword families (keyword-families.ts): one RE2.Set per family of rules sharing keywords;
 *   5. big-text sets (rules-that-match.ts), texts of 2 MiB or more: one RE2.Set over at most 16 of
 *      them (in place of 4), else one per combination of what the families left;
 * and last, per window or whole text as the rule runs (detect.ts matchesOf):
 *   6. the gate (gate-regex.ts): a relaxed regex asked before the rule's own regex is compiled.
 * They stay separate modules, as each keeps its own regexes on its own key (rule, value shape,
 * family, combination) and builds them on first need, which keeps a hook's start-up free of them.
 */
import { type CompiledRule, type Engine, exactKeywordsOccur } from "./compile.js";
import { regexTest } from "./regex.js";
import { RULE_SET_MIN_TEXT, wholeTextRulesThatMatch } from "./rules-that-match.js";
import { valueMayOccur } from "./value-precheck.js";
import { type Range, reachAfter, ruleWindows } from "./windows.js";
import type { WorkMeter } from "./work-meter.js";

/** A rule to run over a text: in `ranges` (keyword windows) only, or over all of it (null). */
export interface RuleRun {
  rule: CompiledRule;
  ranges: Range[] | null;
}

/** Whether the rule's `path` selects the file (its allowlists' paths are asked only before it runs). */
function pathSelects(rule: CompiledRule, path: string): boolean {
  return !rule.path || regexTest(rule.path, path);
}

/**
 * A rule's windows from its keywords' positions; null (the whole text) for keyword-less rules or
 * dense texts. Rules with the same keywords and reach have the same windows: `known` keeps them per
 * text (a big source file's chunk: the five generic rules, each ~10,000 `token` hits to sort and snap).
 */
function windowsOf(
  rule: CompiledRule,
  data: Buffer,
  positions: Map<number, number[]>,
  known: Map<string, Range[] | null>,
  meter?: WorkMeter,
): Range[] | null {
  if (rule.keywordIndexes.length === 0) return null;
  const key = `${rule.keywordIndexes.join(",")}/${reachAfter(rule)}`;
  let ranges = known.get(key);
  if (ranges === undefined) {
    const at = rule.keywordIndexes.flatMap((k) => positions.get(k) ?? []);
    // The prefilter saw a keyword the locator did not place (overlapping occurrences): read it all.
    ranges = at.length === 0 ? null : ruleWindows(rule, data, at, meter);
    known.set(key, ranges);
  }
  return ranges;
}

/**
 * Of `rules` (candidates for the text `data` at `path`, in rule order), those that may match, with
 * where each reads; order is kept. `positions`: keyword positions in a big text (null: no windows).
 */
export function ruleRuns(
  engine: Engine,
  rules: readonly CompiledRule[],
  data: Buffer,
  path: string,
  positions: Map<number, number[]> | null,
  meter?: WorkMeter,
): RuleRun[] {
  // Answers of the value pre-check for this text, by value shape (rules share them).
  const values = new Map<string, boolean>();
  // In a big text one RE2.Set pass answers the value pre-check's question for all at once.
  const bigText = data.length >= RULE_SET_MIN_TEXT;
  const known = new Map<string, Range[] | null>();
  const runs = rules
    .filter((rule) => pathSelects(rule, path) && exactKeywordsOccur(rule, data))
    .map((rule) => ({ rule, ranges: positions && windowsOf(rule, data, positions, known, meter) }))
    .filter((r) => r.ranges !== null || bigText || valueMayOccur(engine, r.rule, data, values, meter));
  const whole = runs.filter((r) => r.ranges === null).map((r) => r.rule);
  const matching = new Set(wholeTextRulesThatMatch(engine, whole, data, meter));
  return runs.filter((r) => r.ranges !== null || matching.has(r.rule));
}
