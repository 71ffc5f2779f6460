/**
 * A rule set as a worker thread receives it. Structured cloning cannot copy a lazy rule (a Proxy),
 * and copying each one would parse all ~670 records in the sending thread and clone the parsed
 * objects (~0.85 MB of them, ~40 ms of the main thread and ~15 ms of each worker's start on
 * git/git), though a scan compiles only the ~100 rules whose keywords occur. So a built-in rule
 * travels as the span of its record in the bundle's text (sent once: one string copy) and becomes
 * a lazy rule again in the worker, parsed there only if read, and still marked as checked by the
 * build; any other rule (the user's, an override) is copied as plain data. Examples are left out:
 * only `rules test` and the tests run them.
 */
import { isBuildChecked } from "./build-checked.js";
import { lazyRecordOf, lazyRule, type RecordSource, type RuleIndexEntry, textRecords } from "./lazy-rule.js";
import type { RuleSet } from "./rule-set.js";
import type { RuleSpec } from "./rule-spec.js";

type PortableRule =
  | { lazy: Omit<RuleIndexEntry, "examples">; text: number; start: number; end: number; checked: boolean }
  | { plain: RuleSpec };

/** Structured-clone safe: strings, numbers and plain objects only. */
export interface PortableRuleSet extends Omit<RuleSet, "rules"> {
  /** The bundles' texts the lazy rules point into (in practice one). */
  texts: string[];
  rules: PortableRule[];
}

const NO_EXAMPLES = (): RuleSpec["examples"] => ({ positives: [], negatives: [] });

export function portableRuleSet(ruleSet: RuleSet): PortableRuleSet {
  const texts: string[] = [];
  const sources = new Map<RecordSource, number>();
  const rules = ruleSet.rules.map((spec): PortableRule => {
    const rec = lazyRecordOf(spec);
    if (!rec) return { plain: { ...spec, examples: NO_EXAMPLES() } };
    let text = sources.get(rec.source);
    if (text === undefined) {
      text = texts.push(rec.source.whole()) - 1;
      sources.set(rec.source, text);
    }
    const { examples: _e, ...lazy } = rec.entry;
    return { lazy, text, start: rec.start, end: rec.end, checked: isBuildChecked(spec) };
  });
  return { ...ruleSet, texts, rules };
}

/** The rule set a {@link portableRuleSet} describes, its built-in rules lazy again. */
export function ruleSetFromPortable(p: PortableRuleSet): RuleSet {
  const { texts, rules, ...rest } = p;
  const sources = texts.map(textRecords);
  const out = rules.map((r) => {
    if ("plain" in r) return r.plain;
    return lazyRule({ ...r.lazy, examples: NO_EXAMPLES() }, sources[r.text] as RecordSource, r.start, r.end, r.checked);
  });
  return { ...rest, rules: out };
}
