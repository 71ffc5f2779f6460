/**
 * The generic detector's judgement: is a value assigned to a secret-like name really a secret?
 * Written for precision: names that hold hashes, ids, sizes or URLs are not secrets, nor are
 * values that read like words, code identifiers, paths, versions or dates.
 */
import { shannonEntropy } from "../../lib/entropy.js";
import { isInsideString, isPassphrase, unsetterName } from "./literal-context.js";
import { isStandInPassword } from "./placeholder.js";

/** Words that, anywhere in a variable name, say it holds something other than a secret. */
const NOT_SECRET_WORDS = new Set(
  (
    "hash hashed digest checksum sha sha1 sha256 sha512 md5 crc type name names id ids url uri urls path file " +
    "filename dir length len size count field label prompt regex pattern format version mode method endpoint " +
    "header prefix suffix policy provider expiry expires expiration expire ttl timeout max min enabled enable " +
    "required placeholder tokenizer tokens index position public pubkey encoding algorithm algo scheme kind " +
    "store manager reset strength validator verify confirm confirmation hint question rotation lifetime " +
    "template location ref arn param params parameter parameters policy get getter set setter is has bcrypt " +
    "scrypt argon2 crypt salt salted spec next change lock request idempotency continuation pagination page " +
    "cursor marker lifecycle update csrf xsrf nonce authenticity accessor address addr previous prev"
  ).split(" "),
);

/** A glued word that ends in what it holds: PWDHASH, passwordsalt, tokendigest. */
const HOLDS_A_HASH = /(?:hash|digest|checksum|salt|crypt|sha\d*|md5)$/;

/** The words of a variable name: db_password → db, password; authTokenURL → auth, token, url. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const NOT_SECRET_VALUE =
  /^[:|=#]|^\$[A-Za-z_{(]|^\$(?:2[abxy]?|1|5|6|apr1|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*)\$|^(?:true|false|null|nil|none|undefined|required|optional|string|number|boolean|bearer|basic|password|secret|token)$|:\/\/|^\d+(?:\.\d+)+$|^\d{4}-\d{2}-\d{2}|^sha(?:1|256|384|512)-|@[\w-]+\.[a-z]{2,}$|^[a-z][a-z0-9+.-]*:[a-z]|\.(?:js|ts|py|go|rb|java|json|ya?ml|toml|txt|md|html|css|png|jpg|svg|pem|crt|key|env)$/i;

/**
 * A value opening with a mark of something other than a literal: `?` (a URL's query part, a SQL or
 * template placeholder), `@` before a bare name (a variable, a mention or a file reference: `@db_pass`,
 * `@hxrx…`), `%` before a conversion letter or a bracket (printf's `%s`/`%c`, `%(name)s`, `%{…}`; not
 * two hex digits, which is percent-encoding and may open an encoded password).
 */
const MARKED_VALUE = /^\?|^@\w+$|^%(?![0-9A-Fa-f]{2})[A-Za-z({]/;

/**
 * A template rather than a value: a printf conversion or a format field inside it (`…?name=%s`,
 * `%(user)s`, `{}`/`{0}`), or a path with a query part (`channels.join?name=…`, an API method passed
 * after a token: `do(self.token, "channels.join?name=%s")`).
 */
const TEMPLATE_VALUE = /%[sdif](?![A-Za-z0-9])|%\(\w+\)[sdif]|\{\d*\}|^[\w./-]+\?[\w.-]+=/;

/**
 * Shaped as a JWT (a base64url `eyJ…` header, dot-separated parts) but holding characters outside
 * base64url: no JWT, which the JWT rule judges, and no key of another kind.
 */
const BROKEN_JWT = /^eyJ[^.]*\.[^.]*\./;
const isBrokenJwt = (value: string) => BROKEN_JWT.test(value) && /[^A-Za-z0-9_.=-]/.test(value);

/**
 * Values that name or point at something instead of being a secret: an Ethereum address (0x + 40 hex; a
 * private key is 64), an AWS SigV4 or Google Cloud Storage V4 credential scope (…/20240101/us-east-1/s3/aws4_request,
 * X-Goog-Credential=…%2Fauto%2Fstorage%2Fgoog4_request), a build
 * artifact and its version (jjwt-jackson-0.11.2, jjwt-jackson:0.11.2), a lower-case setting such as
 * vcpkg's "x64-uwp=fail".
 */
const NAMES_A_THING = /^0x[0-9a-f]{40}$|aws4_request|goog4_request/i;
const LOWER_CASE_SETTING = /^[a-z0-9]+(?:-[a-z0-9]+)*=[a-z]+$/;
const ARTIFACT_VERSION = /^([A-Za-z][\w.-]*?)[-:_]v?\d+(?:\.\d+){1,3}(?:[-.+][a-z0-9]+)?$/;

/**
 * A package manager's dependency range with its protocol, as Yarn Berry's yarn.lock and package.json
 * spell them ("@octokit/auth-token": "npm:^2.4.0", "workspace:*", "npm:@scope/pkg@^1.2.3"): the name is
 * a package's, the value a version range.
 */
const PACKAGE_RANGE =
  /^(?:npm|workspace|jsr):(?:@?[\w.-]+(?:\/[\w.-]+)?@)?(?:[\^~*]|[<>]=?)?(?:v?\d+(?:\.(?:\d+|[x*]))*(?:-[\w.]+)?)?$/;

/** jjwt-jackson-0.11.2, log4j-core:2.17.1: a name that reads as words (lower-case, or code-like), then a version. */
function isArtifactVersion(value: string): boolean {
  const name = ARTIFACT_VERSION.exec(value)?.[1];
  return name !== undefined && (/^[a-z][a-z0-9]*(?:[-_.][a-z][a-z0-9]*)*$/.test(name) || looksLikeCode(name));
}

/**
 * Algorithm and cipher names (JOSE "HS256"/"RSA-OAEP-256", Java "SHA256withRSA"/"PBKDF2WithHmacSHA256",
 * OpenSSL "aes-256-gcm", SSH "ecdsa-sha2-nistp256"/"hmac-sha2-512", "chacha20-poly1305", "argon2id"): they
 * say how a secret is made or used, not what it is.
 */
const ALGORITHM_NAME =
  /^(?:(?:HS|RS|ES|PS)(?:256|384|512)K?|EdDSA|RSA-OAEP(?:-\d+)?|RSA1_5|A(?:128|192|256)(?:GCM|CBC-HS\d+|KW|GCMKW)|ECDH-ES(?:\+A\d+KW)?|dir|(?:SHA|MD)\d*with(?:RSA|ECDSA|DSA)(?:andMGF1)?|PBKDF2WithHmacSHA\d+|Hmac(?:SHA|MD)\d+|(?:aes|camellia|aria)[-_]?(?:128|192|256)(?:[-_](?:gcm|cbc|ctr|ecb|cfb8?|ofb|xts|ccm|siv|wrap))?|(?:ecdsa-sha2-nistp|hmac-sha(?:1|2-))\d*(?:-etm@openssh\.com)?|ssh-(?:ed25519|rsa|dss)|chacha20(?:-poly1305)?(?:@openssh\.com)?|x?salsa20(?:-poly1305)?|argon2(?:id|i|d)|scrypt|bcrypt|blake2[bs]?(?:-\d+)?|sha3?-?(?:1|224|256|384|512)|curve25519(?:-sha256)?|secp256[kr]1|prime256v1)$/i;

/** An HTTP header's name (X-Api-Key, X-Auth-Token): what a key is sent in, not the key. */
const HEADER_NAME = /^X-[A-Za-z]+(?:-[A-Za-z]+)*$/i;

/** Postman's "Postman-Token" header: a random nonce it adds to every request, no credential. */
const NOT_A_CREDENTIAL_NAME = /^postman-token$/i;

/** A validation rule list (Laravel's 'required|confirmed|min:8'): words joined by "|", not a password. */
const RULE_LIST = /^[a-z_]+(?::[^|\s]*)?(?:\|[a-z_]+(?::[^|\s]*)?)+$/;

/**
 * A colon-separated identifier whose segment is named like a secret (an ARN's
 * "…:secret:kafka-cred", a URN): the name is glued to ":" on both sides, no assignment.
 */
const IDENTIFIER_SEGMENT = /^:[A-Za-z0-9_.-]+:[^\s"'`]/;

/**
 * The same, as the shared forms match it (from the name on): a name glued by a bare ":" to a lower-case slug
 * (an ARN's `…:secret:kafka-cred`). A key in mixed case after it (`azureStorageAccessKey:TP+G/9F…`) is kept.
 */
const GLUED_SEGMENT = /^[\w.-]+:[a-z0-9]+(?:-[a-z0-9]+)+$/;

/**
 * A "name" with a long run of letters and digits (three or more) is a value that holds a secret-like word (an age key's
 * `AGE-SECRET-KEY-1927D6LSTL8S7…`), not a variable: identifiers are made of words.
 */
const nameIsAValue = (name: string) =>
  name.length > 64 || (name.match(/[A-Za-z0-9]{25,}/g) ?? []).some((run) => /\d.*\d.*\d/.test(run));

/**
 * A function named for what it does to a token: its argument is the token to look up or act on, or an id
 * (`fetchToken('cust_…')`, `revokeToken("…")`); a secret is passed to a setter or a constructor (`setPassword("V")`).
 */
const CALL_VERBS = new Set(
  (
    "fetch delete remove revoke verify validate check create generate refresh parse decode encode load read find " +
    "lookup request issue rotate exchange introspect invalidate list sign compare match store save write send " +
    "print log show mask redact hide"
  ).split(" "),
);
function isVerbCall(name: string, match: string): boolean {
  const at = match.indexOf(name);
  if (at < 0 || !/^["'`]?\]{0,2}[ \t]*\(/.test(match.slice(at + name.length))) return false;
  return nameWords(name).some((w) => CALL_VERBS.has(w)); // `rzp.customers.fetchToken(`: the method's words
}

function charClasses(value: string): number {
  let n = 0;
  if (/[a-z]/.test(value)) n++;
  if (/[A-Z]/.test(value)) n++;
  if (/[0-9]/.test(value)) n++;
  if (/[^A-Za-z0-9]/.test(value)) n++;
  return n;
}

function minEntropy(value: string): number {
  const length = value.length;
  // Random hex tops out at 4 bits a character (a 20-character one is ~3.6): judge it on its own scale.
  if (/^[0-9a-f]+$/i.test(value)) return length >= 20 ? 3.0 : 9; // short hex is a hash prefix or an id
  if (length < 12) return 2.9;
  if (length < 20) return 3.2;
  return 3.5;
}

/** A secret-like word, as the generic rules name their values (detectors/generic.toml). */
const SECRET_WORD =
  /password|passwd|passphrase|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key|(?:encryption|signing|master|session|client|app)[_.-]?key|credentials?|pwd/i;

/**
 * The variable name: the first word of the match, outside the value, that is named like a secret. The
 * shared forms put it before the value (`NAME = V`, `setx NAME V`, `--NAME V`, `var NAME string = V`) or,
 * in a reversed comparison, after it (`"V" == config.NAME`); without one, the match's first word.
 */
function variableName(match: string, value: string): string {
  // An XML key/value setting names its variable in an attribute: <add key="ApiKeyHeader" value="…"/>.
  // So does a name/value pair (- name: API_TOKEN / value: …; {"name": "DB_PASSWORD", "value": …}).
  const attribute = /^\s*(?:key|name)["']?\s*[=:]\s*["']?([^"'\s,]*)/i.exec(match);
  if (attribute) return attribute[1] ?? "";
  const at = match.lastIndexOf(value);
  for (const part of at < 0 ? [match] : [match.slice(0, at), match.slice(at + value.length)]) {
    const named = part.match(/[^\s"'`=:,;<>(){}[\]!?|&+*]+/g)?.find((w) => SECRET_WORD.test(w));
    if (named !== undefined) return named;
  }
  const m = /^[\s"'`{,;([<]*([^\s"'`=:,<>]*)/.exec(match);
  return m?.[1] ?? "";
}

/**
 * What stands right before a quoted value: its opening quote, then at most one blank typed inside it or an
 * HTTP scheme (`"Bearer V"`); the shared forms read both past.
 */
const OPENING_QUOTE = /(["'`])(?:[ \t]?|[ \t]?(?:bearer|token)[ \t]{1,3})$/i;

/** The commonest letter pairs of English and of identifiers made from it. */
const COMMON_BIGRAMS = new Set(
  (
    "ab ac ad ag ai ak al am an ap ar as at au av ay ba be bi bl bo br bu by " +
    "ca ce ch ci ck cl co cr ct cu da de di do du ea ec ed ee ef eg ei el em " +
    "en ep er es et ev ew ex ey fa fe ff fi fo fr ft fu ga ge gh gi go gr ha " +
    "he hi ho ht ia ib ic id ie if ig il im in io ip ir is it iv ke ki ks la " +
    "ld le li ll lo ls lt lu ly ma mb me mi mm mo mp ms mu na nc nd ne ng ni " +
    "nk no ns nt ny oa ob oc od of og ol om on oo op or os ot ou ov ow pa pe " +
    "ph pi pl po pp pr pt pu qu ra rc rd re rg ri rk rm rn ro rr rs rt ru ry " +
    "sa sc se sh si sk so sp ss st su ta te th ti tl to tr ts tt tu ty ua ub " +
    "uc ud ue ug ui ul um un up ur us ut va ve vi wa we wh wi wo ye yo ys"
  ).split(" "),
);

/** Share of a word's letter pairs that are common ones: ~0.8 for identifiers, ~0.2 for random letters. */
function bigramScore(pieces: string[]): number {
  let pairs = 0;
  let common = 0;
  for (const piece of pieces) {
    const w = piece.toLowerCase();
    for (let i = 1; i < w.length; i++) {
      pairs++;
      if (COMMON_BIGRAMS.has(w.slice(i - 1, i + 1))) common++;
    }
  }
  return pairs === 0 ? 0 : common / pairs;
}

/**
 * Code, not a secret: identifiers and member chains (getIdentifierToken, a.b.apiKey, writeFile2).
 * Their letters come in word-sized pieces (avg >= 3) made of common letter pairs; random text
 * (base62, a keyboard mash) breaks into short pieces or uncommon pairs.
 */
function looksLikeCode(value: string): boolean {
  if (!/^[A-Za-z0-9_$.:*?=-]+$/.test(value)) return false;
  const pieces = value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  if (pieces.length === 0) return false;
  const letters = pieces.reduce((n, p) => n + p.length, 0);
  const digits = value.replace(/\D/g, "").length;
  return letters / pieces.length >= 3 && digits / value.length < 0.2 && bigramScore(pieces) >= 0.55;
}

/**
 * Names joined by dots or underscores (config.apiKey, settings.SECRET_KEY, db_password, Vault.Token): a
 * reference to a setting, not its value. Each piece reads as a word or an identifier; a piece of random
 * mixed case ("BrqKrtgOoKNWFtlv_KjDX", a password drawn without digits) is no name.
 */
function isJoinedName(value: string): boolean {
  if (!/^[A-Za-z]+(?:[._][A-Za-z]+)+$/.test(value)) return false;
  return value.split(/[._]/).every((piece) => /^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)$/.test(piece) || looksLikeCode(piece));
}

/**
 * A value naming itself a secret is a dummy or a name: "SuperSecretToken", "secret123", "mypassword1",
 * an error code "no-api-key", a header "x-api-key".
 */
const SELF_DESCRIBING = /passw|secret|token|api[_-]?key|credential|changeme|dummy|example|sample|default/i;

/** A path such as builtin/credential-store.c: every segment reads like a word or a file name. */
function looksLikePath(value: string): boolean {
  const segments = value.split("/");
  return (
    segments.length > 1 && segments.every((seg) => seg === "" || looksLikeCode(seg.replace(/\.[a-z0-9]{1,5}$/i, "")))
  );
}

/**
 * A file-system path (/run/secrets/db_password, ./keys/private.pem, ~/.ssh/id_rsa), not a secret.
 * Base64 may start with "/" too: a value with a long segment of mixed-case letters and digits that
 * reads like no word (/5Wqv4nTcw1VvrsnVffQTY/a6ipy) is random, not a path.
 */
function startsLikePath(value: string): boolean {
  if (!/^(?:\.{0,2}\/|~\/)/.test(value)) return /^\.[a-z][\w.-]*$/.test(value); // or a dotfile's name
  const randomSegment = value
    .split("/")
    .some((seg) => seg.length >= 12 && /^[A-Za-z0-9+=]+$/.test(seg) && charClasses(seg) >= 3 && !looksLikeCode(seg));
  return !randomSegment;
}

/** Base64 of readable text ("alice:secret-passwd", "a-git-token") is a test fixture, not a key. */
function decodesToDummyText(value: string): boolean {
  if (!/^[A-Za-z0-9+/]{8,}={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const text = Buffer.from(value, "base64").toString("latin1");
  return /^[\x20-\x7e]+$/.test(text) && (SELF_DESCRIBING.test(text) || shannonEntropy(text) < 3.5);
}

/**
 * Source files where an unquoted right-hand side is an expression (a = n.timeout), never a literal.
 * Shell, Makefiles, .env, YAML, INI and Dockerfiles are not here: there unquoted values are literals.
 */
const CODE_FILE =
  /\.(?:[cm]?[jt]sx?|java|kt|kts|scala|go|rs|c|cc|cpp|cxx|h|hpp|cs|swift|m|mm|dart|php|py|rb|lua|groovy|vue|svelte|pl|pm|r|jl|ex|exs|erl|clj|hs|ml|fs|ps1|psm1|pyi)$/i;

/** A source map (`app.js.map`): its "names" array lists identifiers, so a `"password", "x"` pair there is no assignment. */
const SOURCE_MAP = /\.map$/i;

/** The value is the next element of a list (`"secret", "value"`), not assigned with = or :. */
function isListElement(value: string, match: string): boolean {
  return /,[ \t]*\\?["'`]?$/.test(match.slice(0, match.lastIndexOf(value)));
}

/** The character before the value in the match (the match ends with the value and one terminator). */
function isQuoted(value: string, match: string): boolean {
  return OPENING_QUOTE.test(match.slice(0, match.lastIndexOf(value)));
}

/**
 * The value is the front of a longer string, cut where the regex's value stops: a quoted string that goes
 * on past it at a comma, a semicolon or a bracket ('…wq,6TNc…', "HRKU-…O0h;zho…", "…dwf2U[qy]…"), or an
 * unquoted value glued to a bracket (…dwf2U[qy]…). The match ends right after the value with the closing quote (blanks
 * before it allowed) or one terminator. Whatever the secret is, it is the whole string, not this front.
 */
function isCutShort(value: string, match: string): boolean {
  const at = match.lastIndexOf(value);
  const open = OPENING_QUOTE.exec(match.slice(0, at))?.[1];
  // In a reversed comparison the name follows the closing quote (`"V" == NAME`): only the quote ends the value.
  const next = match.slice(at + value.length).replace(/^([ \t\r]*["'`]?)[ \t]*[!=]==?[\s\S]*$/, "$1");
  if (next === "" || next === "\\") return false; // the text ends, or an escaped quote closes the string
  // A blank may separate the string's elements ('id | id', "key secret"): each may be a token of its own.
  if (open) {
    // A front ending in a separator right before a blank ("sjbuxa3m-vs4n- ykl8…") is a value broken across, not an element.
    // (A single blank ends the match only where no closing quote follows it: the string goes on.)
    if (/[-_.]$/.test(value) && /^[ \t]$/.test(next)) return true;
    return !/^[ \t\r]*["'`]?$/.test(next) || (/["'`]$/.test(next) && !next.endsWith(open));
  }
  return next === "[";
}

/** URL query parameters (st=2025-03-04T07:24:52Z&se=…&sv=2022-11-02&sr=c): names and values, no secret of their own. */
const QUERY_STRING = /^[a-z][\w.-]{0,20}=[^&=\s]*(?:&[a-z][\w.-]{0,20}=[^&=\s]*)+$/i;

/**
 * Typed in order, not drawn: runs of three or more letters or digits in alphabet order, up or down
 * ("abcxyz123", "AbCeFG123", "zyxwv…9876543210abcd", "API-1234"), leave four characters or fewer.
 */
function isMostlyRuns(value: string): boolean {
  let rest = 0;
  let removed = 0;
  for (let i = 0; i < value.length; ) {
    let j = i + 1;
    const step = code(value[i + 1]) - code(value[i]);
    if (Math.abs(step) === 1 && sameKind(value[i]!, value[i + 1]!)) {
      while (j < value.length && code(value[j]) - code(value[j - 1]) === step && sameKind(value[j - 1]!, value[j]!))
        j++;
    }
    if (j - i >= 3) removed += j - i;
    else {
      j = i + 1;
      rest++;
    }
    i = j;
  }
  return removed >= 4 && rest <= 4;
}
const code = (c: string | undefined) => (c === undefined ? Number.NaN : c.toLowerCase().charCodeAt(0));
const sameKind = (a: string, b: string) => /\d/.test(a) === /\d/.test(b) && /[a-z\d]/i.test(a) && /[a-z\d]/i.test(b);

/**
 * One character in a quarter of a long value ("WAAP6A4gYA1qA%HAaWAAFAHBAL%a6kwwwbD", 10 A's in 35): drawn
 * from 60-odd symbols a character turns up once or twice, so such a value was typed or filled in. Hex
 * (16 symbols) is left to the entropy threshold.
 */
function hasDominantChar(value: string): boolean {
  if (value.length < 16 || /^[0-9a-f]+$/i.test(value)) return false;
  const counts = new Map<string, number>();
  let most = 0;
  for (const c of value) {
    const n = (counts.get(c) ?? 0) + 1;
    counts.set(c, n);
    if (n > most) most = n;
  }
  return most >= 8 && most >= value.length / 4;
}

/**
 * The value sits inside a string behind an escape (the engine reads `\n`, `\t` and `%XX` through its unescape
 * view): `"host=x\npassword=V\nuser=y"`, `"a=1%26token%3DV%26b=2"`. Code writes no escape into an expression.
 */
function isEscapedInString(value: string, match: string): boolean {
  const at = match.lastIndexOf(value);
  // The match ends with one terminator: the backslash of `\n` or the `%` of `%26`.
  return /%3[AD]$/i.test(match.slice(0, at)) || /^[\\%]/.test(match.slice(at + value.length));
}

/**
 * The value closes a string literal right after `NAME=` (`"password=V"`, `["API_TOKEN=V"]`, `"deploy --token=V"`,
 * `"x\\npassword=V"`): an env line, a query or a flag spelled inside one string, so a literal, not an expression.
 * The match ends with the value and its closing quote; a front cut at a query separator (`"…=V&user="`) is none.
 */
function closesString(value: string, match: string): boolean {
  const at = match.lastIndexOf(value);
  return /[\w.-]=$/.test(match.slice(0, at)) && /^["'`]$/.test(match.slice(at + value.length)) && !/[&?]/.test(value);
}

/**
 * The value is a URL query parameter's, followed by the next parameter (`"…/items?api_key=V&page=2"`): a query
 * is text inside a string, so in code a literal, not an expression. The match ends with the value and `&NAME=`
 * (one character after it).
 */
function continuesQuery(value: string, match: string): boolean {
  return /^&[A-Za-z_][\w.-]{0,40}=[^=]?$/.test(match.slice(match.lastIndexOf(value) + value.length));
}

/**
 * A value that holds a query's next parameter (`key123&issuer=app`, as `secret=key123&issuer=app&digits=6` is
 * read where the first value is shorter than a secret): the front of a query, no secret of its own.
 */
const HOLDS_NEXT_PARAMETER = /&[A-Za-z_][\w.-]{0,40}=/;

/**
 * A "value" on the line after its name that is a nested mapping key (`password:\n  min-length: 12`, a git
 * topic's `* jk/mediawiki-credential:\n  mw-to-git: …`) or lower-case words joined by hyphens: a name, no secret.
 */
function isKeyOnNextLine(value: string, match: string): boolean {
  const at = match.lastIndexOf(value);
  if (!/\n[ \t]*["'`]?$/.test(match.slice(0, at))) return false;
  return (
    /^[a-z]+(?:-[a-z]+)+:?$/.test(value) || (value.endsWith(":") && /^(?:\s|$)/.test(match.slice(at + value.length)))
  );
}

/**
 * @param before the line of the match up to it (judges a value written inside a string literal in code);
 *   without it such a value counts as an expression
 */
export function isGenericSecret(value: string, match: string, path = "", before?: () => string): boolean {
  if (
    CODE_FILE.test(path) &&
    !isQuoted(value, match) &&
    !isEscapedInString(value, match) &&
    !closesString(value, match) &&
    !continuesQuery(value, match) &&
    !(before !== undefined && isInsideString(value, match, before))
  )
    return false;
  if (isKeyOnNextLine(value, match)) return false;
  // A setter's `set` (`setPassword("V")`) is no word of what the name holds; the rest of it is judged.
  const name = unsetterName(variableName(match, value), match);
  if (name.includes("::")) return false; // a type name (AWS::ApiGateway::ApiKey), not a variable
  if (/client_?token$/i.test(name.replace(/[^A-Za-z_]/g, "")) || NOT_A_CREDENTIAL_NAME.test(name)) return false;
  if (IDENTIFIER_SEGMENT.test(match) || GLUED_SEGMENT.test(match) || nameIsAValue(name) || isVerbCall(name, match))
    return false;
  if (nameWords(name).some((w) => NOT_SECRET_WORDS.has(w) || HOLDS_A_HASH.test(w))) return false;
  if (NOT_SECRET_VALUE.test(value) || SELF_DESCRIBING.test(value) || HEADER_NAME.test(value)) return false;
  if (isJoinedName(value) || HOLDS_NEXT_PARAMETER.test(value)) return false;
  if (isStandInPassword(value)) return false;
  // Unquoted, a leading * or & is a YAML alias or anchor (password: *db_password), a pointer or an address in code.
  if (/^[*&]/.test(value) && !isQuoted(value, match)) return false;
  if (MARKED_VALUE.test(value) || TEMPLATE_VALUE.test(value) || isBrokenJwt(value)) return false;
  if (NAMES_A_THING.test(value) || LOWER_CASE_SETTING.test(value) || ALGORITHM_NAME.test(value)) return false;
  if (isCutShort(value, match) || QUERY_STRING.test(value) || isMostlyRuns(value) || hasDominantChar(value))
    return false;
  if (isArtifactVersion(value) || RULE_LIST.test(value) || PACKAGE_RANGE.test(value)) return false;
  if (SOURCE_MAP.test(path) && isListElement(value, match)) return false;
  if (startsLikePath(value)) return false;
  if (/[^\x21-\x7e]/.test(value)) return false; // keys and passwords in code are printable ASCII
  if (isPassphrase(name, value)) return true;
  if (looksLikeCode(value) || looksLikePath(value) || decodesToDummyText(value)) return false;
  if (charClasses(value) < 2) return /^[0-9a-f]{32,}$/.test(value) && shannonEntropy(value) >= 3.3;
  return shannonEntropy(value) >= minEntropy(value);
}
