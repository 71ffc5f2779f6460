/**
 * A built-in rule parsed on first use. The detector bundle holds each rule as its own JSON record;
 * a start-up parses only an index (id, keywords, origin, validator) and a rule's record when
 * something reads any other field. A pre-commit hook runs the ~10 rules whose keywords occur in
 * what is staged, so it parses those and not the ~600 others (JSON.parse of every rule was ~20 M
 * instructions of each hook run).
 *
 * To everything else a lazy rule is a plain RuleSpec: reading, `in`, spreading, Object.keys,
 * JSON.stringify, assigning all see the parsed rule (a Proxy whose every trap forwards to it). The
 * engine reads a rule's index entry through {@link ruleHead} and a compiled rule's fields through
 * {@link fullRule}, the parsed object itself, so neither building the engine nor its hot paths go
 * through the Proxy. Only structured cloning refuses a Proxy: rules sent to a worker thread travel
 * as their records' spans (rules/portable-rules.ts) and are lazy rules there too.
 */
import { markBuildChecked } from "./build-checked.js";
import type { RuleSpec } from "./rule-spec.js";

/** What the index gives without parsing the record. */
export type RuleIndexEntry = Pick<RuleSpec, "id" | "keywords" | "origin" | "validator" | "examples">;

const CHEAP = new Set<PropertyKey>(["id", "keywords", "origin", "validator", "examples"]);
const FULL = Symbol("leakstop.fullRule");
const RECORD = Symbol("leakstop.ruleRecord");

/**
 * Where lazy rules' records are read from: the bundle's text, or its file read a record at a time
 * (rules/detector-bundle.ts). `whole` is the text every start/end points into (a worker pool is sent it).
 */
export interface RecordSource {
  slice(start: number, end: number): string;
  whole(): string;
}

/** Records held in a string already. */
export function textRecords(text: string): RecordSource {
  return { slice: (start, end) => text.slice(start, end), whole: () => text };
}

interface Stub extends RuleIndexEntry {
  [RECORD]: {
    source: RecordSource;
    start: number;
    end: number;
    full: RuleSpec | null;
    buildChecked: boolean;
    onParse?: (r: RuleSpec) => void;
  };
}

/**
 * The key of a record's build hints (what the engine would otherwise work out from the rule's
 * regex: detection/search-hints.ts). Written last in the record, taken out of the parsed rule.
 */
export const HINTS_KEY = "buildHints";

/** Parsed rules' build hints, with the regex they were worked out from. */
const hintsOf = new WeakMap<object, { regex: string; hints: unknown }>();

/**
 * The build hints of a rule parsed from a bundle record (the lazy rule or its parsed object), as
 * long as its regex is still the one they came with; undefined for any other rule, a copy included.
 */
export function buildHintsOf(spec: RuleSpec): unknown {
  const full = fullRule(spec);
  const entry = hintsOf.get(full);
  return entry !== undefined && entry.regex === full.regex ? entry.hints : undefined;
}

function parsed(stub: Stub): RuleSpec {
  const rec = stub[RECORD];
  if (rec.full === null) {
    const full = JSON.parse(rec.source.slice(rec.start, rec.end)) as RuleSpec & { [HINTS_KEY]?: unknown };
    if (full.id !== stub.id) throw new Error(`rule record of ${stub.id} holds ${String(full.id)}`);
    if (full[HINTS_KEY] !== undefined) {
      // Not a field of the rule: a spread or a copy must not carry hints for another regex.
      hintsOf.set(full, { regex: full.regex, hints: full[HINTS_KEY] });
      delete full[HINTS_KEY];
    }
    full.examples = stub.examples;
    rec.full = full;
    // The engine compiles the parsed object, so the build's check must follow the rule there.
    if (rec.buildChecked) markBuildChecked([full]);
    rec.onParse?.(full);
  }
  return rec.full;
}

/** Each lazy rule's stub (the Proxy's target). */
const stubs = new WeakMap<object, Stub>();

const handler: ProxyHandler<Stub> = {
  get(stub, key) {
    if (key === FULL) return parsed(stub);
    if (stub[RECORD].full === null && CHEAP.has(key)) return stub[key as keyof RuleIndexEntry];
    return Reflect.get(parsed(stub), key);
  },
  set: (stub, key, value) => Reflect.set(parsed(stub), key, value),
  has: (stub, key) => Reflect.has(parsed(stub), key),
  ownKeys: (stub) => Reflect.ownKeys(parsed(stub)),
  getOwnPropertyDescriptor: (stub, key) => Reflect.getOwnPropertyDescriptor(parsed(stub), key),
  defineProperty: (stub, key, d) => Reflect.defineProperty(parsed(stub), key, d),
  deleteProperty: (stub, key) => Reflect.deleteProperty(parsed(stub), key),
};

/**
 * A rule whose fields come from `source.slice(start, end)` (its JSON record, which must hold the
 * same id, keywords, origin and validator as `entry`) when first read.
 * @param buildChecked the build checked this record (rules/build-checked.ts): the rule and, once
 *   parsed, its plain object are marked so
 * @param onParse called with the parsed rule
 */
export function lazyRule(
  entry: RuleIndexEntry,
  source: RecordSource,
  start: number,
  end: number,
  buildChecked: boolean,
  onParse?: (r: RuleSpec) => void,
): RuleSpec {
  const stub: Stub = { ...entry, [RECORD]: { source, start, end, full: null, buildChecked, onParse } };
  const rule = new Proxy(stub, handler);
  stubs.set(rule, stub);
  if (buildChecked) markBuildChecked([rule]);
  return rule as unknown as RuleSpec;
}

/** A lazy rule's id, keywords, origin and validator without parsing it; any other rule as it is. */
export function ruleHead(spec: RuleSpec): RuleIndexEntry {
  const stub = stubs.get(spec);
  return stub && stub[RECORD].full === null ? stub : spec;
}

/** The plain object behind a lazy rule (parsed now if need be); any other rule as it is. */
export function fullRule(spec: RuleSpec): RuleSpec {
  return (spec as unknown as { [FULL]?: RuleSpec })[FULL] ?? spec;
}

/** Where a lazy rule's record lies (the bundle's records, start, end) and its index entry; null for any other rule. */
export function lazyRecordOf(
  spec: RuleSpec,
): { entry: RuleIndexEntry; source: RecordSource; start: number; end: number } | null {
  const stub = stubs.get(spec);
  if (!stub) return null;
  const { source, start, end } = stub[RECORD];
  const entry: RuleIndexEntry = { id: stub.id, keywords: stub.keywords, origin: stub.origin, examples: stub.examples };
  if (stub.validator !== undefined) entry.validator = stub.validator;
  return { entry, source, start, end };
}
