/**
 * Recognises values that are obviously not real secrets: template variables, environment
 * lookups, masked or repeated characters, "your key here" phrases. Applied to every rule.
 */
const TEMPLATE =
  /\{[A-Za-z_][\w.]*\}|\$\{|\{\{|\}\}|%\(|<[a-z_ -]*>|\[\[|\$\(|^\$[A-Za-z_][A-Za-z0-9_]*$|^%[A-Za-z_]+%$|^<|>$/i;
const ENV_LOOKUP = /process\.env|os\.environ|getenv|System\.getenv|ENV\[|env\(|secrets\.|vault:|ssm:|arn:aws/i;
const MASKED = /x{4,}|\*{3,}|#{4,}|•{2,}|\.{3}|…/i;
const WORDS =
  /example|passw(?:or)?d|p[a@4][s5$]{2}w[o0]rd|placeholder|changeme|change_me|change-me|your[_-]?(?:own[_-]?)?(?:api|key|token|secret|pass|access|app|client|auth)|(?:^|[_-])your[_-](?:[a-z]{2,12}[_-]){1,3}(?:api|key|token|secret|pass|access)|yourkey|dummy|sample|redacted|replace[_-]?me|insert[_-]?(?:your|key|here)|notreal|not[_-]real|fake[_-]?(?:key|token|secret)|(?<![a-z])fake(?![a-z])|put[_-]?your|enter[_-]?your|goes[_-]?here|_here$|-here$|secret[_-]?here|key[_-]?here|token[_-]?here|lorem|ipsum/i;
const SEQUENCES =
  /0123456789|123456789|abcdefghij|ABCDEFGHIJ|qwertyuiop|1234567890|abcd1234|1234abcd|a1b2c3d4|1a2b3c4d/i;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz";

/** Six letters in alphabet order, whatever their case ("uvwxyz", "defGHijk"): typed by a person, not drawn. */
function hasAlphabetRun(text: string): boolean {
  const lower = text.toLowerCase();
  for (let i = 0; i + 6 <= lower.length; i++) {
    const at = ALPHABET.indexOf(lower[i]!);
    if (at >= 0 && at <= 20 && lower.startsWith(ALPHABET.slice(at, at + 6), i)) return true;
  }
  return false;
}

/** A PEM block's BEGIN line: its body is judged line by line (isPemPlaceholder). */
const PEM_BEGIN = /^-----BEGIN [A-Z0-9 ]+-----/;
/** A word of a PEM body that is all base64 (key material, or a PGP armor checksum "=XnzQ"). */
const BASE64_WORD = /^=?[A-Za-z0-9+/]+={0,2}$/;
/** Masks and placeholder words too long for random base64 to hold by chance. */
const PEM_MASK = /x{8,}|example|placeholder|changeme|notreal|replaceme|yourkey|yourprivatekey/i;

/**
 * A PEM block is a placeholder when a word of its body is one ("...", "<your key here>", "MIIEvQ…").
 * A word of plain base64 is key material: random base64 holds "xXXx", "lorem" or digits in order now and
 * then (an RSA key's body had "xxxx" about once in 400 keys), so such a word counts only when it is a
 * mask, a long placeholder word or a pattern no generator draws (eight x's, three or fewer characters, a
 * repeated unit).
 */
function isPemPlaceholder(secret: string, headerLength: number): boolean {
  const words = secret
    .slice(headerLength)
    .replace(/-----END [A-Z0-9 ]+-----[\s\S]*$/, "")
    .split(/\\[nr]|\r?\n|\r/)
    .filter((line) => !/^\s*[A-Za-z][A-Za-z0-9-]*: /.test(line)) // Proc-Type:, DEK-Info:, Comment:
    .flatMap((line) => line.split(/[\s"'`+]+/))
    .filter(Boolean);
  if (words.length === 0) return true;
  return words.some((word) =>
    BASE64_WORD.test(word)
      ? PEM_MASK.test(word) || hasRepeatedUnit(word) || (distinctChars(word) <= 3 && word.length >= 8)
      : isPlaceholder(word),
  );
}

/** Passwords of documentation and tests: a word that names itself or a stand-in, maybe with digits after it. */
const STAND_IN_PASSWORD =
  /^(?:secret|password|passwd|pass|pwd|test|testing|changeme|admin|root|guest|demo|example|sample|dummy|fake|foo|bar|baz|qux)[\d!._-]*$/i;

/** A stand-in word, then digits or punctuation at most ("admin1234", "testing321", "root!"): no password of anyone's. */
export const isStandInPassword = (value: string) => STAND_IN_PASSWORD.test(value);

/** True when the secret (or its random part after a fixed prefix) is a placeholder, not a key. */
export function isPlaceholder(secret: string, prefixLength = 0): boolean {
  const pem = PEM_BEGIN.exec(secret);
  if (pem) return isPemPlaceholder(secret, pem[0].length);
  const body = secret.slice(prefixLength);
  if (TEMPLATE.test(secret) || ENV_LOOKUP.test(secret) || MASKED.test(body) || WORDS.test(secret)) return true;
  // Digits typed in order between other characters ("a123b45c6d78e9f0…") count too.
  if (SEQUENCES.test(body) || hasAlphabetRun(body) || body.replace(/\D/g, "").includes("1234567")) return true;
  if (hasRepeatedUnit(body)) return true;
  return distinctChars(body) <= 3 && body.length >= 8;
}

/**
 * A short unit of two or more different characters typed over and over ("abc123abc123abc1…",
 * "deadbeefdeadbeef…"): 16 or more characters with a period of 2 to 8. A drawn secret has no such run.
 */
function hasRepeatedUnit(text: string): boolean {
  for (let period = 2; period <= 8; period++) {
    let run = 0;
    for (let i = 0; i + period < text.length; i++) {
      run = text[i] === text[i + period] ? run + 1 : 0;
      if (run + period >= Math.max(16, 3 * period) && distinctChars(text.slice(i + 1, i + 1 + period)) >= 2)
        return true;
    }
  }
  return false;
}

function distinctChars(text: string): number {
  return new Set(text).size;
}
