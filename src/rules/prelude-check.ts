/**
 * Finds a built-in rule's regex that spells its own "name = value" prelude (blanks, an assignment
 * operator, blanks) instead of saying `context` and `value` and getting every shared form
 * (rules/assignment-forms.ts). A rule whose format is a structure rather than an assignment (a
 * connection string's field, a JSON layout, a line of one tool's file) says why in `structural`.
 */

/** Blanks a regex may allow around an operator: `\s*`, `\s{0,5}`, `[ \t]*`, `[ \t]{0,3}`, `\s+`. */
const BLANKS = String.raw`(?:\\s|\[ \\t\]|\[\\t \])(?:[*+?]|\{\d*,?\d*\})`;

/**
 * An assignment operator as a regex writes it: `=`, `:` (not the one of `(?:` or `(?i:`), a class
 * of operators (`[:=]`, `[=:,]`) or a group of operators only (`(?:=|:|=>|:=)`).
 */
const OPERATOR = String.raw`(?:=|(?<!\(\?[a-z]{0,3}):|\[[=:,(]{2,4}\]|\(\?:(?:[=:>?,(|<.+-]|\\[?(+.])+\))`;

const PRELUDE = new RegExp(`(?:${BLANKS})?${OPERATOR}${BLANKS}`);

/**
 * A prelude with no blanks: a name, an operator and the value's group right after it (`api_key=(…)`,
 * `apikey[:=]["']?(…)`). Not a group's own `(?:`, nor an operator followed by anything but the group.
 */
const TIGHT_PRELUDE =
  /[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\][?*]?)?(?:=|:|\[[=:]{2,3}\])(?:\[["'`]{1,3}\]\??|["'`]\??)?\((?!\?)/;

/** The hand-written prelude in a regex (e.g. `\s{0,5}[:=]\s{0,5}`, `api_key=(`), or undefined when there is none. */
export function handWrittenPrelude(regex: string): string | undefined {
  return (PRELUDE.exec(regex) ?? TIGHT_PRELUDE.exec(regex))?.[0];
}
