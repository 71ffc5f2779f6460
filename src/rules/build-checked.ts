/**
 * Rules the build has already checked: every built-in rule read from the detector bundle passed
 * checkRuleRegexes (RE2 compiles it, it cannot match the empty string) when `npm run build` wrote
 * the bundle, and a bundle is used only when it is fresh or trusted (detector-bundle.ts). The
 * engine then skips the empty-match probe for them (36 probe runs of each regex it compiles). The
 * bundle's global allowlists passed checkAllowlist too: the engine compiles their regexes on first use.
 * Held by identity: a copy (a config override `{...rule, regex}`, a rule sent to a worker thread)
 * is not marked and gets the full check, so a changed regex is never trusted.
 */
const checked = new WeakSet<object>();

export function markBuildChecked(rules: readonly object[]): void {
  for (const r of rules) checked.add(r);
}

export function isBuildChecked(rule: object): boolean {
  return checked.has(rule);
}
