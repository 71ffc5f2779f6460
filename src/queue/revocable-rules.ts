/**
 * Third-party rules whose secrets a provider's revocation API accepts, by rule id → revoker name
 * (revoke/providers/<name>.ts). Only these travel sealed to the server (the raw secret is needed
 * to revoke them); every other finding carries its secretHash alone. The producer (report/) and
 * the workers (notify's provider revokers) read the same list.
 *
 * GitHub's credential revocation API (POST /credentials/revoke) accepts personal access tokens
 * (classic, ghp_), fine-grained PATs (github_pat_), OAuth app tokens (gho_), GitHub App
 * user-to-server tokens (ghu_) and GitHub App refresh tokens (ghr_). It does not take
 * installation tokens (ghs_): they expire within an hour and are left out.
 */
export const REVOCABLE_RULES: Readonly<Record<string, string>> = Object.freeze({
  "github-pat": "github",
  "github-fine-grained-pat": "github",
  "github-oauth-token": "github",
  "github-app-user-token": "github",
  "github-refresh-token": "github",
});

/** The revoker name for a rule id, or null when no provider can revoke its secrets. */
export function revokerFor(ruleId: string): string | null {
  return Object.hasOwn(REVOCABLE_RULES, ruleId) ? (REVOCABLE_RULES[ruleId] ?? null) : null;
}

/** The rule ids whose raw secret a producer must seal. */
export function revocableRuleIds(): string[] {
  return Object.keys(REVOCABLE_RULES);
}
