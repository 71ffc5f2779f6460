/**
 * A context rule's regex (rules/compose-context.ts) is long, names and shared forms around a short
 * value, yet every way it can match holds a match of its value regex: where the value's shape
 * occurs nowhere in a text, the rule cannot match there. Its keyword (a provider's name) is often
 * in a text that assigns no such value (prose, docs, other code), so the value alone is tried
 * first: it compiles in a tenth of the time and runs on RE2's fast path, and rules whose values
 * never occur are never compiled at all (git/git: 28 of the 113 rules its keywords select). Rules
 * sharing a value shape share its regex and its answer per text.
 */
import type { CompiledRule, Engine } from "./compile.js";
import { newRegex, type Regex, testBuffer } from "./regex.js";
import { composesValue, storedHints } from "./search-hints.js";
import type { WorkMeter } from "./work-meter.js";

/** Each rule's value source, when its regex is that value composed (else null). */
const valueSources = new WeakMap<CompiledRule, string | null>();
/** Per engine: compiled value regexes by source (null: does not compile alone; the rule just runs). */
const regexesOf = new WeakMap<Engine, Map<string, Regex | null>>();

/** The rule's value source, when its regex is exactly the composition of its context and value. */
function valueSource(rule: CompiledRule): string | null {
  let source = valueSources.get(rule);
  if (source === undefined) {
    const spec = rule.spec;
    const hints = storedHints(spec);
    const composed = hints ? hints.value === 1 : composesValue(spec);
    // Not for the entropy catch-all: its value (any 8 characters) occurs in every text, so trying it first
    // only adds a compile and a pass.
    source = composed && spec.kind !== "entropy" ? (spec.value as string) : null;
    valueSources.set(rule, source);
  }
  return source;
}

function valueRegex(engine: Engine, source: string): Regex | null {
  let regexes = regexesOf.get(engine);
  if (!regexes) {
    regexes = new Map();
    regexesOf.set(engine, regexes);
  }
  let re = regexes.get(source);
  if (re === undefined) {
    try {
      re = newRegex(source, "g");
    } catch {
      re = null;
    }
    regexes.set(source, re);
  }
  return re;
}

/**
 * False only when `rule` cannot match anywhere in `data` (the whole text it would read). `seen`
 * holds the answers for this text by value source.
 */
export function valueMayOccur(
  engine: Engine,
  rule: CompiledRule,
  data: Buffer,
  seen: Map<string, boolean>,
  meter?: WorkMeter,
): boolean {
  const source = valueSource(rule);
  if (source === null) return true;
  let found = seen.get(source);
  if (found === undefined) {
    const re = valueRegex(engine, source);
    if (re === null) return true;
    re.lastIndex = 0;
    found = testBuffer(re, data);
    if (meter) {
      meter.regexRuns++;
      meter.regexBytes += found ? re.lastIndex : data.length;
    }
    seen.set(source, found);
  }
  return found;
}
