/**
 * The generic detector's judgement: is a value assigned to a secret-like name really a secret?
 * Written for precision: names that hold hashes, ids, sizes or URLs are not secrets, nor are
 * values that read like words, code identifiers, paths, versions or dates.
 */
import { shannonEntropy } from "../../lib/entropy.js";

const NOT_SECRET_NAME =
  /hash|digest|checksum|sha\d|md5|crc|_?type\b|type$|name$|_id$|^id$|[_.-]id\b|url|uri|path|file|dir|length|_len|size|count|field|label|prompt|regex|pattern|format|version|mode|method|endpoint|header|prefix|suffix|policy|provider|expir|ttl|timeout|max|min|enabled|required|placeholder|tokeniz|tokens|index|position|public|pubkey|encoding|algorithm|scheme|kind|store|manager|reset|policy|strength|validator|verify|confirm|hint|question|rotation|lifetime|\.get|get[A-Z_]/i;
const NOT_SECRET_VALUE =
  /^[:&|=*]|^\$[A-Za-z_{(]|^(?:true|false|null|nil|none|undefined|required|optional|string|number|boolean|bearer|basic|password|secret|token)$|:\/\/|^[./~]|^\d+(?:\.\d+)+$|^\d{4}-\d{2}-\d{2}|^sha(?:1|256|384|512)-|@[\w-]+\.[a-z]{2,}$|^[A-Za-z]+(?:[._][A-Za-z]+)+$|^[a-z][a-z0-9+.-]*:[a-z]|\.(?:js|ts|py|go|rb|java|json|ya?ml|toml|txt|md|html|css|png|jpg|svg|pem|crt|key|env)$/i;

function charClasses(value: string): number {
  let n = 0;
  if (/[a-z]/.test(value)) n++;
  if (/[A-Z]/.test(value)) n++;
  if (/[0-9]/.test(value)) n++;
  if (/[^A-Za-z0-9]/.test(value)) n++;
  return n;
}

function minEntropy(length: number): number {
  if (length < 12) return 2.9;
  if (length < 20) return 3.2;
  return 3.5;
}

/** The variable name is everything in the match before the assignment operator. */
function variableName(match: string): string {
  const m = /^[\s"'`{,;([]*([^\s"'`=:,]*)/.exec(match);
  return m?.[1] ?? "";
}

/**
 * Code, not a secret: identifiers and member chains (getIdentifierToken, a.b.apiKey, writeFile2).
 * Their letters come in word-sized pieces (avg >= 3); random text breaks into pieces of 1-2.
 */
function looksLikeCode(value: string): boolean {
  if (!/^[A-Za-z0-9_$.:*?-]+$/.test(value)) return false;
  const pieces = value.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  if (pieces.length === 0) return false;
  const letters = pieces.reduce((n, p) => n + p.length, 0);
  const digits = value.replace(/\D/g, "").length;
  return letters / pieces.length >= 3 && digits / value.length < 0.2;
}

/** A value naming itself a secret is a dummy: "SuperSecretToken", "secret123", "mypassword1". */
const SELF_DESCRIBING = /passw|secret|token|api_?key|credential|changeme|dummy|example|sample|default/i;

/** A path such as builtin/credential-store.c: every segment reads like a word or a file name. */
function looksLikePath(value: string): boolean {
  const segments = value.split("/");
  return (
    segments.length > 1 && segments.every((seg) => seg === "" || looksLikeCode(seg.replace(/\.[a-z0-9]{1,5}$/i, "")))
  );
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
  /\.(?:[cm]?[jt]sx?|java|kt|kts|scala|go|rs|c|cc|cpp|cxx|h|hpp|cs|swift|m|mm|dart|php|py|rb|lua|groovy|vue|svelte)$/i;

function isQuoted(value: string, match: string): boolean {
  return /["'`]$/.test(match.slice(0, match.length - value.length));
}

export function isGenericSecret(value: string, match: string, path = ""): boolean {
  if (CODE_FILE.test(path) && !isQuoted(value, match)) return false;
  const name = variableName(match);
  if (NOT_SECRET_NAME.test(name)) return false;
  if (NOT_SECRET_VALUE.test(value) || SELF_DESCRIBING.test(value)) return false;
  if (/[^\x21-\x7e]/.test(value)) return false; // keys and passwords in code are printable ASCII
  if (looksLikeCode(value) || looksLikePath(value) || decodesToDummyText(value)) return false;
  if (charClasses(value) < 2) return /^[0-9a-f]{32,}$/.test(value) && shannonEntropy(value) >= 3.3;
  return shannonEntropy(value) >= minEntropy(value.length);
}
