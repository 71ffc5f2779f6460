/**
 * Load-time checks of a rule's regexes, as the engine will run them: each compiles in RE2, the
 * secret group exists, the main regex cannot match the empty string. Rules are checked here, with
 * their data, so the detector bundle and the config need no engine to refuse a bad rule.
 */
import { createRequire } from "node:module";
import type RE2Class from "re2";
import { countGroups } from "./count-groups.js";
import { matchesEmpty } from "./empty-match.js";
import type { AllowlistSpec, RuleSpec } from "./rule-spec.js";
import type { KeyPath } from "./toml-locate.js";
import type { Problems } from "./toml-schema.js";

type RE2Type = typeof RE2Class;
let re2: RE2Type | undefined;
// Required on first use, not imported: node would otherwise lex the CommonJS source for named exports.
const RE2 = (): RE2Type => {
  re2 ??= createRequire(import.meta.url)("re2") as RE2Type;
  return re2;
};

/** Whether `source` compiles in RE2 with `flags`; a problem naming `where` (and key `at`) when it does not. */
function compiles(
  source: string,
  flags: string,
  where: string,
  p: Problems,
  at?: KeyPath,
): InstanceType<RE2Type> | null {
  try {
    return new (RE2())(source, flags);
  } catch (err) {
    p.add(where, `regex does not compile in RE2: ${err instanceof Error ? err.message : String(err)}`, at);
    return null;
  }
}

/** Whether `source` compiles in RE2 and can match the empty string (see {@link matchesEmpty}). */
export function regexMatchesEmpty(source: string): boolean {
  try {
    return matchesEmpty(new (RE2())(source, "g"));
  } catch {
    return false;
  }
}

/** The capture group holding a rule's secret: `secretGroup`, else 1 when the regex has a group, else 0. */
export function secretGroupOf(spec: Pick<RuleSpec, "regex" | "secretGroup">): number {
  return spec.secretGroup ?? (countGroups(spec.regex) > 0 ? 1 : 0);
}

/** Checks an allowlist's regexes and path regexes compile; `at`: where the allowlist sits in its file. */
export function checkAllowlist(a: AllowlistSpec, where: string, p: Problems, at?: KeyPath): void {
  for (const s of a.regexes) compiles(s, "", `${where} allowlist`, p, at && [...at, "regexes"]);
  for (const s of a.paths) compiles(s, "", `${where} allowlist`, p, at && [...at, "paths"]);
}

/**
 * Checks what a config file's rule table says itself, before it is merged with a built-in rule: its
 * regex and path compile, and its regex cannot match the empty string; `at`: the table in the file.
 */
export function checkRuleTableRegexes(rule: Partial<RuleSpec>, where: string, p: Problems, at: KeyPath): void {
  if (rule.regex !== undefined) {
    const re = compiles(rule.regex, "g", where, p, [...at, "regex"]);
    if (re && matchesEmpty(re))
      p.add(where, "regex can match the empty string (it would match everywhere and never find a secret)", [
        ...at,
        "regex",
      ]);
  }
  if (rule.path !== undefined) compiles(rule.path, "", where, p, [...at, "path"]);
}

/** Checks every regex of a rule (main, path, allowlists) as the engine will compile it. */
export function checkRuleRegexes(spec: RuleSpec, p: Problems): void {
  const where = `${spec.origin}: rule "${spec.id}"`;
  const groups = countGroups(spec.regex);
  for (const group of spec.secretGroups ?? [secretGroupOf(spec)])
    if (group > groups) p.add(where, `secretGroup ${group} but the regex has ${groups} capture group(s)`);
  const re = compiles(spec.regex, "g", where, p);
  if (re && matchesEmpty(re)) {
    p.add(where, "regex can match the empty string (it would match everywhere and never find a secret)");
  }
  if (spec.path) compiles(spec.path, "", where, p);
  for (const a of spec.allowlists) checkAllowlist(a, where, p);
}
