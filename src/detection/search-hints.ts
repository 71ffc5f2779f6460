/**
 * What the engine works out from a built-in rule's regex before searching with it, worked out once
 * by the build and carried in the rule's bundle record (rules/lazy-rule.ts: `buildHintsOf`):
 * the relaxed form's edits and bounds (detection/relaxed-bounds.ts), the gate's edits
 * (detection/gate-regex.ts) and whether the regex is its context composed around its value
 * (detection/value-precheck.ts). Each is a pure function of the rule's fields, yet working them
 * out at scan time cost each scanning thread ~0.1 s of CPU on git/git: walking ~150 sources of
 * 1–2 KB character by character is hot enough for V8 to optimise the parsers, once per thread.
 * A rule without hints (one the user wrote or changed, a bundle-less run) has them worked out as
 * before, so the hints change how fast a rule is ready, never what it matches.
 */
import { composeContext } from "../rules/compose-context.js";
import { buildHintsOf } from "../rules/lazy-rule.js";
import type { RuleSpec } from "../rules/rule-spec.js";
import { gateEdits } from "./gate-regex.js";
import { type GroupBound, relaxEdits } from "./relaxed-bounds.js";
import { applyEdits, type SourceEdit } from "./source-edits.js";

/** As stored: 0 where there is nothing (no relaxed form, the search source is its own gate, not composed). */
export interface SearchHints {
  /** Edits of the regex into its relaxed form, and the bounds to check on a match. */
  relax: { edits: SourceEdit[]; bounds: GroupBound[] } | 0;
  /** Edits of the search source (the relaxed form, else the regex) into the gate. */
  gate: SourceEdit[] | 0;
  /** The regex is the rule's context composed around its value. */
  value: 1 | 0;
}

/** A rule's hints, worked out from its fields (what the build stores). */
export function searchHintsOf(spec: RuleSpec): SearchHints {
  const relax = relaxEdits(spec.regex);
  const search = relax ? applyEdits(spec.regex, relax.edits) : spec.regex;
  const composed = composesValue(spec);
  return { relax: relax ?? 0, gate: gateOf(spec, search, composed) ?? 0, value: composed ? 1 : 0 };
}

/**
 * The gate's edits of `search` (detection/gate-regex.ts), or null: none for the entropy catch-all
 * composed around any value (`generic-secret`). Its keywords are common words and its value any text,
 * so where it is selected its gate matches nearly as often as it does, at nearly its size: a second
 * automaton to build and run for nothing (git/git, cold engine pass: +90 ms of CPU over the hand-written
 * regex with the gate, +30 ms without; its gate matches the same 54 of git/git's files as it does). The
 * other entropy rules have a shape of their own (an XML element, a `name - "value"` note, a command's
 * option) that their gates keep: on git/git's and axios' files they matched nowhere, and compile in a
 * tenth of the time (`generic-secret-xml-element`: 20 M instructions for its `{0,198}` groups against ~1 M).
 * @param composed whether the regex is the rule's context composed around its value (composesValue),
 *   when known
 */
export function gateOf(spec: RuleSpec, search: string, composed?: boolean): SourceEdit[] | null {
  return spec.kind === "entropy" && (composed ?? composesValue(spec)) ? null : gateEdits(search);
}

/** Whether the rule's regex is exactly its context composed around its value (rules/compose-context.ts). */
export function composesValue(spec: RuleSpec): boolean {
  const { context, value, also, keywords, regex } = spec;
  return (
    context !== undefined &&
    value !== undefined &&
    composeContext({ context, value, also, keywords, public: spec.public, anyValue: spec.kind === "entropy" }).regex ===
      regex
  );
}

/** The build's hints for `spec` (its bundle record's, while its regex is the one they were worked out from), else null. */
export function storedHints(spec: RuleSpec): SearchHints | null {
  return (buildHintsOf(spec) as SearchHints | undefined) ?? null;
}
