/**
 * Recognises values that are obviously not real secrets: template variables, environment
 * lookups, masked or repeated characters, "your key here" phrases. Applied to every rule.
 */
const TEMPLATE = /\$\{|\{\{|\}\}|%\(|<[a-z_ -]*>|\[\[|\$\(|^\$[A-Za-z_][A-Za-z0-9_]*$|^%[A-Za-z_]+%$|^<|>$/i;
const ENV_LOOKUP = /process\.env|os\.environ|getenv|System\.getenv|ENV\[|env\(|secrets\.|vault:|ssm:|arn:aws/i;
const MASKED = /x{4,}|\*{3,}|#{4,}|•{2,}|\.{3}|…/i;
const WORDS =
  /example|placeholder|changeme|change_me|change-me|your[_-]?(?:own[_-]?)?(?:api|key|token|secret|pass|access|app|client|auth)|yourkey|dummy|sample|redacted|replace[_-]?me|insert[_-]?(?:your|key|here)|notreal|not[_-]real|fake[_-]?(?:key|token|secret)|put[_-]?your|enter[_-]?your|goes[_-]?here|_here$|-here$|secret[_-]?here|key[_-]?here|token[_-]?here|lorem|ipsum/i;
const SEQUENCES = /0123456789|123456789|abcdefghij|ABCDEFGHIJ|qwertyuiop|1234567890/;

/** True when the secret (or its random part after a fixed prefix) is a placeholder, not a key. */
export function isPlaceholder(secret: string, prefixLength = 0): boolean {
  const body = secret.slice(prefixLength);
  if (TEMPLATE.test(secret) || ENV_LOOKUP.test(secret) || MASKED.test(body) || WORDS.test(secret)) return true;
  if (SEQUENCES.test(body)) return true;
  return distinctChars(body) <= 3 && body.length >= 8;
}

function distinctChars(text: string): number {
  return new Set(text).size;
}
