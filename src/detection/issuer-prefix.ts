/**
 * A value that opens with a token format's own prefix (`npm_`, `nfp_`, `sbp_`: the literal that a
 * provider rule's secret begins with, which is also that rule's keyword) and holds a character that no
 * prefixed token format draws from (they are base62, base64, base64url or hex, with `_`, `-`, `.`, `:`
 * as separators: not `?`, `!`, `#`, `$`, `%`, `^`, `&`, `*`, `@`, `~`…) is no token: not the issuer's, whose
 * rule did not match it (`npm_hK0FJXBYCkejhEMY?Kp6…`), and no other's. The catch-all entropy detector
 * stays silent on it. (A prefixed value in the formats' alphabets is still the catch-all's to report:
 * the peers' positives hold many that a provider rule's exact length or alphabet misses.)
 */
import type { CompiledRule, Engine } from "./compile.js";

/** Prefixes that are words many formats share (`api_`, `key-`, `token-`), not one issuer's mark. */
const SHARED_WORD = /^(?:api|key|keys|token|secret|access|auth|app|sk|pk|rk|test|live)[_-]$/;

/** Per engine: literal prefix → whether a provider rule's secret begins with it. */
const owners = new WeakMap<Engine, Map<string, boolean>>();

/** Whether a provider rule's secret begins with this literal (case as written in the text). */
function beginsRuleSecret(rule: CompiledRule, literal: string): boolean {
  const spec = rule.spec;
  return spec.kind === "provider" && !spec.public && spec.regex.includes(`(${literal}`);
}

/** Characters of no prefixed token format. */
const OUTSIDE_TOKEN_ALPHABETS = /[^A-Za-z0-9+/=_.:-]/;

/** Whether the value opens with a provider format's prefix (four or more characters) and holds a character of no token format. */
export function brokenIssuerToken(engine: Engine, value: string): boolean {
  if (!OUTSIDE_TOKEN_ALPHABETS.test(value)) return false;
  const lower = value.slice(0, 64).toLowerCase();
  let seen = owners.get(engine);
  if (!seen) {
    seen = new Map();
    owners.set(engine, seen);
  }
  for (let k = 0; k < engine.keywords.length; k++) {
    const kw = engine.keywords[k]!;
    if (kw.length < 4 || kw.length >= value.length || !lower.startsWith(kw) || SHARED_WORD.test(kw)) continue;
    const literal = value.slice(0, kw.length);
    let owned = seen.get(literal);
    if (owned === undefined) {
      owned = engine.rulesByKeyword[k]!.some((r) => beginsRuleSecret(r, literal));
      seen.set(literal, owned);
    }
    if (owned) return true;
  }
  return false;
}
