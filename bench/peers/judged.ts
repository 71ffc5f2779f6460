/**
 * Peer cases judged wrong by hand: a "positive" that is no secret in its provider's documented
 * format (or a placeholder), or a "negative" that is one. Each judgment names the peer rule, says
 * why, and tests the case's text, so a new version of the cases is judged by the same reasons.
 * A judgment is consulted for every case, whatever leakstop did on it (bench/peers/outcome.ts): a
 * judged case leaves both figures whether leakstop got it right or wrong.
 */
import { crc32 } from "node:zlib";
import { marvin32 } from "../../src/lib/marvin32.js";
import { commonAnnotatedKeyChecksum } from "../../src/rules/validators/microsoft-keys.js";
import { FORMAT_JUDGMENTS } from "./judged-format.js";
import type { PeerCase } from "./peer-case.js";

/**
 * How a case is wrong for a leakstop user: not a secret in its provider's format (the default), a
 * documented example token that leakstop rightly rejects, or a negative that holds a real-looking
 * credential which the peer only drops for how far its keyword is.
 */
export type JudgedClass =
  | "case itself wrong"
  | "case itself wrong: a documented example, rightly rejected"
  | "case itself wrong: a credential a user wants reported (the peer only wants its keyword nearer)"
  | "case itself wrong: a credential a user wants reported (the peer only wants a companion value or another context)"
  | "case itself wrong: a credential a user wants reported (a random value under a credential's name; the peer only wants its provider's exact format)";

interface Judgment {
  /** "gitleaks:rule-id" or "trufflehog:detector" (the source's first word); "trufflehog:*" for any detector. */
  rule: string;
  kind: PeerCase["kind"];
  applies: (text: string, name: string, want: readonly string[]) => boolean;
  why: string;
  class?: JudgedClass;
}

/**
 * RFC 7519's example JWT (section 3.1: iss "joe", exp 1300819380, RFC 7515's example HMAC signature),
 * base64-encoded as a whole. gitleaks' jwt-base64 examples are this token under many headers; leakstop
 * decodes base64 values and rejects the RFC's example as documentation (its signature is in the global
 * allowlist), as it does the token written plainly.
 */
const RFC7519_SIGNATURE = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
function isBase64OfRfcExampleJwt(text: string): boolean {
  const run = /[A-Za-z0-9+/]{40,}={0,2}/.exec(text)?.[0];
  return run !== undefined && Buffer.from(run, "base64").toString("latin1").includes(RFC7519_SIGNATURE);
}

/**
 * A UUID-shaped group (8-4-4-4-12) with letters past "f": no UUID (RFC 9562: hex digits). Providers whose
 * documented key is or holds a UUID: LaunchDarkly (api-/sdk-/mob- + UUID), PubNub (pub-c-/sub-c- + UUID),
 * Loggly customer tokens, Microsoft Teams webhook URLs (group and tenant GUIDs).
 */
const notAUuid = (text: string) =>
  /(?<![0-9A-Za-z])(?=[0-9A-Za-z-]{0,35}[g-zG-Z])[0-9A-Za-z]{8}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{12}(?![0-9A-Za-z])/.test(
    text,
  );
const UUID_FORMATS = [
  "trufflehog:launchdarkly",
  "trufflehog:pubnubpublishkey",
  "trufflehog:loggly",
  "trufflehog:microsoftteamswebhook/v1",
  "gitleaks:microsoft-teams-webhook",
  // Sauce Labs access keys are UUIDs (docs.saucelabs.com, "Access keys"); Webex bot and user tokens end in the
  // organization's UUID (developer.webex.com, "Accounts and authentication": <64>_<cluster>_<org UUID>).
  "trufflehog:saucelabs",
  "trufflehog:webexbot",
];

/**
 * A Kubernetes Secret whose every data value is the Kubernetes documentation's example (base64 of
 * "admin:password", "mypassword", a .dockercfg whose auth is "opensesame") or a certificate (public).
 */
function onlyDocumentedSecretData(text: string): boolean {
  // Values only: a base64 run after a blank, a colon or a quote, up to the line's end or a quote.
  const values = text.match(/(?<=[\s:'"])[A-Za-z0-9+/]{12,}={0,2}(?=["'\s]|$)/g) ?? [];
  const decoded = values.map((v) => Buffer.from(v, "base64").toString("latin1"));
  return (
    decoded.length > 0 &&
    decoded.every((d) => /^(?:admin:password|mypassword)\s*$|"auth":"opensesame"|^-----BEGIN CERTIFICATE-----/.test(d))
  );
}

/**
 * A credential's name right before an assignment operator: an identifier (optionally quoted, as a JSON
 * key or a header name) whose last word is key/token/secret/password/passwd/pwd/credential(s), followed at
 * most by digits or by parts after a separator (`API_KEY`, `bitmexSecret`, `token3`, `secret_id`,
 * `X-Api-Key`). A word that only contains one inside a longer word (`monkeylearn`, `keyboard`) and a
 * name that is no credential's (`data = '…'`, `id = …`) are not credential names.
 */
const CREDENTIAL_NAME =
  /(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]*(?:key|token|secret|password|passwd|pwd|credentials?)\d*(?:[_.-][A-Za-z0-9]+)*["']?[ \t]*(?::=|=|:|,|\(\)[^{}\r\n]{0,30}\{[ \t]*return\b)[ \t]*/
    .source;
/** A credential's name, an operator, and the raw value after it: its opening quote if any, then up to a blank. */
const CREDENTIAL_ASSIGNMENT = new RegExp(`${CREDENTIAL_NAME}(["'\`]?)([^\\s,;]*)`, "gi");

/**
 * A random-looking value assigned to a credential's name (`API_KEY=…`, `bitmexSecret := "…"`, a getter's
 * literal `getBetterStackToken() string{ return "…" }`,
 * `Header.Set("X-Api-Key", "…")`, `password=…` in a connection string): the name as in CREDENTIAL_NAME;
 * the value a clean literal: after an opening quote it runs to the matching closing quote and holds no
 * other quote (`"token:"clm…""` is a string holding quotes, not a key), it begins with a letter or a digit
 * (a value opening with `=`, `$`, `?`, `%`, `#`, `(` or `@` is an operator's rest, a shell or template
 * expansion or a deliberately broken value, not a literal key) and holds no `${`/`$(` expansion
 * (`${SUMO_ACCESS_KEY:=$2}`); 16 or more printable characters, letters and digits, 10 or more distinct
 * characters, no character four times in a row and no short unit typed three times (MDAwMDAwMDAw); not a
 * publishable key (pk_live_, live_pub_) and not jwt.io's example token, not URL query parameters
 * (sp=…&sig=…). The peer's rows break only its provider's exact format (a character outside its alphabet,
 * a wrong length or first character, a host it expects beside it); what is left is what a user of a secret
 * scanner wants to see: a hard-coded random value under a secret's name.
 */
function randomValueUnderCredentialName(text: string): boolean {
  for (const m of text.matchAll(CREDENTIAL_ASSIGNMENT)) {
    const quote = m[1]!;
    const raw = m[2]!;
    // Quoted: up to its closing quote, holding no other quote. Unquoted: up to the first quote (the end
    // of the string the assignment sits in).
    const close = quote ? raw.indexOf(quote) : raw.search(/["'`]/);
    const v = close >= 0 ? raw.slice(0, close) : raw;
    if (/["'`]/.test(v) || !/^[A-Za-z0-9]/.test(v) || /\$[{(]/.test(v) || v.length < 16) continue;
    if (/^(?:pk_(?:live|test)_|(?:live|test)_pub_)/.test(v) || /JzdWIiOiIxMjM0NTY3ODkw/.test(v)) continue;
    if (!/[A-Za-z]/.test(v) || !/\d/.test(v) || new Set(v).size < 10) continue;
    if (/(.)\1{3,}|(.{2,4})\2{2,}/.test(v) || /^[a-z]{2,5}=[^&]*&/i.test(v)) continue;
    return true;
  }
  return false;
}

/**
 * The text assigns a value to a credential's name (CREDENTIAL_NAME, then a value beginning with a letter
 * or a digit): `Used API_KEY=…`, `Using Key=…`, `key = …`. A value under another name (`in the data = '…'`,
 * `id = …`) or under none (`Using 6p77…`, `listAll("…")`) is no credential assignment.
 */
const CREDENTIAL_VALUE = new RegExp(`${CREDENTIAL_NAME}["'\`]?[A-Za-z0-9]`, "i");
const assignsCredential = (text: string) => CREDENTIAL_VALUE.test(text);

/** TruffleHog names its negative rows by what breaks the provider's format ("invalid pattern - too short"). */
const FORMAT_ROW = /^(?:invalid|not a match|too short)/i;

/** A PEM block whose body holds no base64 run long enough to be any key. */
const pemWithoutKey = (text: string) => /-----BEGIN [A-Z ]*PRIVATE KEY/.test(text) && !/[A-Za-z0-9+/]{64}/.test(text);

/**
 * Checksummed token formats, checked here with zlib's CRC-32 (not leakstop's validators): a case whose
 * every token of the format fails its issuer's checksum is no token the issuer wrote.
 * - GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_): 30 random characters, then the base62 CRC-32 of
 *   them in 6 characters;
 * - Grafana service-account tokens: glsa_ + 32 + "_" + the CRC-32 of all before it, 4 little-endian bytes in hex;
 * - Cloudflare cfk_/cfut_/cfat_: 40 characters, then their CRC-32 in 8 lower-case hex digits;
 * - Atlassian ATBB (Bitbucket app passwords), ATATT3, ATCTT3: the CRC-32 of all before it in 8 upper-case hex digits.
 */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function base62(n: number): string {
  let out = "";
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(6, "0");
}
const TOKEN_CHECKS: [RegExp, (m: RegExpMatchArray) => boolean][] = [
  [/\b(?:gh[pousr]|npm)_([A-Za-z0-9]{30})([A-Za-z0-9]{6})\b/g, (m) => base62(crc32(m[1]!)) === m[2]],
  [
    /\b(glsa_[A-Za-z0-9]{32})_([0-9a-f]{8})\b/g,
    (m) => {
      const le = Buffer.alloc(4);
      le.writeUInt32LE(crc32(m[1]!));
      return le.toString("hex") === m[2];
    },
  ],
  [/\bcf(?:k|ut|at)_([A-Za-z0-9]{40})([0-9a-f]{8})\b/g, (m) => crc32(m[1]!).toString(16).padStart(8, "0") === m[2]],
  [
    /\bAT(?:BB|ATT3|CTT3)[0-9A-Za-z_=-]+/g,
    (m) => crc32(m[0].slice(0, -8)).toString(16).toUpperCase().padStart(8, "0") === m[0].slice(-8),
  ],
];
/** The text holds tokens of a checksummed format, and none of them has a valid checksum. */
function onlyBadChecksums(text: string): boolean {
  for (const [re, valid] of TOKEN_CHECKS) {
    const found = [...text.matchAll(re)];
    if (found.length > 0) return !found.some(valid);
  }
  return false;
}
const CHECKSUMMED_RULES = [
  "gitleaks:github-pat",
  "gitleaks:github-oauth",
  "gitleaks:github-app-token",
  "gitleaks:github-refresh-token",
  "gitleaks:npm-access-token",
  "gitleaks:grafana-service-account-token",
  "trufflehog:npmtokenv2",
  "trufflehog:cloudflareapitoken/v2",
  "trufflehog:cloudflareglobalapikey/v2",
  "trufflehog:bitbucketapppassword",
  "trufflehog:atlassian/v2",
];

/**
 * Microsoft's identifiable keys (github.com/microsoft/security-utilities, IdentifiableMetadata and
 * AzureContainerRegistryIdentifiableKey): an Azure Container Registry password is the base64 of 39 bytes,
 * 42 characters, "+ACR", a character A-D, 5 more; its last 4 bytes are the Marvin32 (src/lib/marvin32.ts,
 * tested on the algorithm's published vectors) of the first 35 under the seed 0x41435244666c7430 ("ACRDflt0"),
 * little-endian. Checked on six ACR passwords published in public repositories: all six hold their checksum.
 * An 84-character "common annotated" key (JQQJ9 at 52: Azure App Configuration, AI services…) carries the
 * Marvin32 of its first 60 bytes; checked with the validator's function, which accepts a published Azure AI
 * Translator key. A case every one of whose keys fails is no key Microsoft issued (a real key with characters
 * changed, as the peer does to keep real secrets out of its tests).
 */
const ACR_SEED = 0x41435244666c7430n;
function acrChecksumHolds(key: string): boolean {
  const bytes = Buffer.from(key, "base64");
  return marvin32(bytes.subarray(0, 35), ACR_SEED) === bytes.readUInt32LE(35);
}
function onlyBadMicrosoftChecksums(text: string): boolean {
  const acr = text.match(/(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5}(?![A-Za-z0-9+/])/g) ?? [];
  const annotated = text.match(/(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{52}JQQJ9[A-Za-z0-9+/]{27}(?![A-Za-z0-9+/=])/g) ?? [];
  if (acr.length + annotated.length === 0) return false;
  return !acr.some(acrChecksumHolds) && !annotated.some(commonAnnotatedKeyChecksum);
}

/**
 * A stand-in typed where a drawn secret belongs, in a secret the case names (its `want`): one character
 * eight or more times in a row (`aaaa…`, `1111…`, `QQQQ…`; `A`, base64's zero bytes, only as a run of 20 or
 * more that ends the token), six or more letters or digits in alphabet order, up or down (`abcdef`,
 * `123456`, `klmnop`, `fedcba`), pairs typed in order (`a1b2c3`, `1a2b3c`, `AAAABBBBCCCC`), or the word
 * "fake" that the peer writes into its test tokens. A random draw of 20-odd characters from 36 to 64
 * symbols holds none of these but by chance one time in thousands.
 */
const ORDERED = ["abcdefghijklmnopqrstuvwxyz", "0123456789"].flatMap((a) => [a, [...a].reverse().join("")]);
function holdsStandIn(secret: string): boolean {
  if (/([^A\s])\1{7,}|A{20,}(?![A-Za-z0-9+/])/.test(secret)) return true;
  if (/a1b2c3|1a2b3c|(.)\1{3}(?!\1)(.)\2{3}(?!\2)(.)\3{3}/i.test(secret) || /fake/i.test(secret)) return true;
  // In order also with digits typed between the letters ("abc123def456ghi789").
  const lower = secret.toLowerCase();
  const letters = lower.replace(/[^a-z]/g, "");
  return ORDERED.some((seq) => {
    for (let i = 0; i + 6 <= seq.length; i++) {
      const run = seq.slice(i, i + 6);
      if (lower.includes(run) || (/[a-z]/.test(run) && letters.includes(run))) return true;
    }
    return false;
  });
}

/**
 * A gitleaks example names no secret: its longest token-like run (letters, digits and _ + / = . -, with a
 * letter or a digit) is judged as holdsStandIn judges a named secret.
 */
function tokenStandIn(text: string): boolean {
  const runs = (text.match(/[A-Za-z0-9_+/=.-]{16,}/g) ?? []).filter((r) => /[A-Za-z0-9]/.test(r));
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), "");
  return longest.length > 0 && longest.length <= 256 && holdsStandIn(longest);
}

/**
 * jwt.io's example claims ({"sub":"1234567890","name":"John Doe"…}, base64url), the payload of the debugger's
 * example token under any header or signature; and Supabase's local-development keys (issuer
 * "supabase-demo"), which Supabase documents as the same fixed keys on every machine.
 */
const DOCUMENTED_JWT = /eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lI|eyJpc3MiOiJzdXBhYmFzZS1kZW1vIi/;

/**
 * JWTs whose claims hold a typed stand-in: a string claim that is one character eight or more times (an audience
 * "XXXXXXXX…", a subject "00000000"). The issuer wrote no such token for a real client; a test fixture signs
 * whatever claims it likes. Every JWT in the text must hold one.
 */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.(eyJ[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*/g;
function onlyStandInClaims(text: string): boolean {
  const tokens = [...text.matchAll(JWT)];
  return (
    tokens.length > 0 &&
    tokens.every((m) => {
      try {
        const claims: unknown = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8"));
        if (typeof claims !== "object" || claims === null) return false;
        return Object.values(claims).some((v) => typeof v === "string" && /^(.)\1{7,}$/.test(v));
      } catch {
        return false;
      }
    })
  );
}

/**
 * URLs and connection strings (scheme://…, jdbc:…) whose passwords are stand-ins: a word, a word with
 * digits (pass456, testpassword, nonprod), digits only, the "P@ssw0rd" spellings (MyPa$$w0rd, trailing dots
 * included), or MY-PASSWORD. A URL
 * must hold a password; only a JDBC URL may hold none (it names a database, no secret).
 */
const STAND_IN_PASSWORD =
  /^(?:[a-z]+\d*|\d+|(?:my)?p(?:@|%40|a)(?:ss|\$\$|%24%24)w(?:0|o)rd(?:!|%21|\.)*|my-password)$/i;
function onlyStandInPasswords(want: readonly string[]): boolean {
  return (
    want.length > 0 &&
    want.every((w) => {
      const jdbc = w.startsWith("jdbc:");
      if (!jdbc && !/^[a-z][a-z0-9+.]*:\/\//i.test(w)) return false;
      const passwords = [
        ...[...w.matchAll(/\/\/[^:/@\s]+:([^@\s]*)@/g)].map((m) => m[1]!),
        ...[...w.matchAll(/password=([^;&\s]*)/gi)].map((m) => m[1]!),
      ];
      return (jdbc || passwords.length > 0) && passwords.every((p) => STAND_IN_PASSWORD.test(p));
    })
  );
}

/**
 * A TruffleHog positive every one of whose named secrets holds a stand-in (holdsStandIn). A named secret
 * may join a few parts (host, id, secret): with a stand-in in any of them the pair is no issued
 * credential. Past 256 characters it is a whole credential file (a service account's JSON), whose key
 * one typed field does not make fake.
 */
const onlyStandIns = (want: readonly string[]) =>
  want.length > 0 && want.every((w) => (w.length <= 256 ? holdsStandIn(w) : standInInKeyMaterial(w)));

/**
 * A long named secret (a whole token file, a long token) is judged by its key material alone: a stand-in inside
 * one unbroken run of 48 or more token characters (the alphabet typed out inside a Fly.io macaroon or an Entra
 * refresh token's segment), not by a typed field beside the key (a project id in a service account's JSON, a
 * host name in a URL whose signature is drawn): dots, quotes and blanks end a run.
 */
function standInInKeyMaterial(w: string): boolean {
  return (w.match(/[A-Za-z0-9_+/=-]{48,}/g) ?? []).some(holdsStandIn);
}

const JUDGMENTS: Judgment[] = [
  {
    rule: "gitleaks:jwt-base64",
    kind: "positive",
    applies: isBase64OfRfcExampleJwt,
    why: "RFC 7519's example JWT, base64-encoded",
    class: "case itself wrong: a documented example, rightly rejected",
  },
  {
    rule: "gitleaks:kubernetes-secret-yaml",
    kind: "positive",
    applies: onlyDocumentedSecretData,
    why: "its data is the Kubernetes docs' example values or a certificate",
    class: "case itself wrong: a documented example, rightly rejected",
  },
  ...UUID_FORMATS.map((rule) => ({
    rule,
    kind: "positive" as const,
    applies: notAUuid,
    why: "its UUID has letters past f: not the provider's documented format",
  })),
  {
    // TruffleHog reports a key only within a few hundred bytes of its provider's name; some of these rows
    // hold the same valid key as the positive row in an assignment to a credential's name (API_KEY=…,
    // Using Key=…), the provider's name moved away. Only those: a row whose value sits under no credential's
    // name (`… in the data = '…'`, `Using <value>`) is an ordinary negative and is counted.
    rule: "trufflehog:*",
    kind: "negative",
    applies: (text, name) =>
      /^valid pattern - (?:(?:key )?out of prefix range|no keyword)$/.test(name) && assignsCredential(text),
    why: "a valid key in a credential assignment, only far from the provider's name",
    class: "case itself wrong: a credential a user wants reported (the peer only wants its keyword nearer)",
  },
  {
    // TruffleHog verifies some secrets only as a pair (an id, a token name, a server URL) and drops a
    // well-formed secret whose companion is missing or malformed; the secret alone is still a leak.
    rule: "trufflehog:*",
    kind: "negative",
    applies: (_text, name) =>
      /^(?:missing_token_name|invalid_tableau_url|invalid pattern - (?:no client_id context prefix|client_id too short)|valid pattern - only (?:secret|key)|no result - key without url|negative case: (?:missing secret component|invalid key format|invalid secret format \(too short\)))$/.test(
        name,
      ),
    why: "a well-formed secret whose companion value (id, name, URL) is missing",
    class:
      "case itself wrong: a credential a user wants reported (the peer only wants a companion value or another context)",
  },
  {
    // TruffleHog's "invalid pattern" rows keep the assignment and break only the provider's format.
    rule: "trufflehog:*",
    kind: "negative",
    applies: (text, name) => FORMAT_ROW.test(name) && randomValueUnderCredentialName(text),
    why: "a random value under a credential's name, malformed only for the provider's exact format",
    class:
      "case itself wrong: a credential a user wants reported (a random value under a credential's name; the peer only wants its provider's exact format)",
  },
  {
    // Mailchimp's documented key: 32 hex characters and the data-center suffix (-us18).
    rule: "gitleaks:mailchimp-api-key",
    kind: "negative",
    applies: (text) => /\b[0-9a-f]{32}-us[0-9]{1,2}\b/.test(text),
    why: "a key in Mailchimp's documented format (32 hex and -usNN)",
    class:
      "case itself wrong: a credential a user wants reported (the peer only wants a companion value or another context)",
  },
  {
    // gitleaks lists as a rule's negatives texts that are not that rule's format: some are random values
    // under a credential's name (its own generic-api-key rule would report them).
    rule: "gitleaks:*",
    kind: "negative",
    applies: (text) => randomValueUnderCredentialName(text),
    why: "a random value under a credential's name, not the rule's provider format",
    class:
      "case itself wrong: a credential a user wants reported (a random value under a credential's name; the peer only wants its provider's exact format)",
  },
  {
    // Lob's publishable keys (live_pub_/test_pub_) are for browser code: public by design (issue 10 item 3).
    rule: "gitleaks:lob-pub-api-key",
    kind: "positive",
    applies: (text) => /\b(?:live|test)_pub_[a-f0-9]{31}\b/.test(text),
    why: "a Lob publishable key: public by design, not a leak",
  },
  {
    rule: "gitleaks:private-key",
    kind: "positive",
    applies: pemWithoutKey,
    why: "the PEM body holds no key material",
  },
  {
    rule: "gitleaks:slack-webhook-url",
    kind: "positive",
    // Documented: hooks.slack.com/services/T…/B…/<secret>, workflows/T…/A…/<id>/<secret>.
    applies: (text) => !/hooks\.slack\.com\/(?:services|workflows)\/T[A-Z0-9]+\//.test(text),
    why: "no workspace id (T…) in the path: not Slack's documented webhook URL",
  },
  ...CHECKSUMMED_RULES.map((rule) => ({
    rule,
    kind: "positive" as const,
    applies: onlyBadChecksums,
    why: "its tokens fail the issuer's CRC-32 checksum (checked with zlib)",
  })),
  ...["trufflehog:azurecontainerregistry", "trufflehog:azureappconfigconnectionstring"].map((rule) => ({
    rule,
    kind: "positive" as const,
    applies: onlyBadMicrosoftChecksums,
    why: "its keys fail Microsoft's Marvin32 checksum (security-utilities' identifiable-key format)",
  })),
  ...["gitleaks:sidekiq-secret", "gitleaks:sidekiq-sensitive-url"].map((rule) => ({
    rule,
    kind: "positive" as const,
    // Sidekiq's gem-server credentials are two drawn 8-hex halves; these are the hexspeak magic words.
    applies: (text: string) => /\bcafebabe:deadbeef\b/i.test(text),
    why: "cafebabe:deadbeef, two hexspeak magic words: a placeholder for the 8-hex credentials",
  })),
  {
    rule: "trufflehog:azure_storage",
    kind: "positive",
    // Microsoft publishes the Azure Cosmos DB emulator's key in its emulator docs (a stopword of the global allowlist).
    applies: (text) => text.includes("C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGy"),
    why: "Microsoft's published emulator key (the global allowlist's)",
    class: "case itself wrong: a documented example, rightly rejected",
  },
  {
    // gitleaks' generated examples of several UUID-shaped formats (Snyk, Heroku, HubSpot, MessageBird).
    rule: "gitleaks:*",
    kind: "positive",
    applies: (text) => text.includes("12345678-ABCD-ABCD-ABCD-1234567890AB"),
    why: "a placeholder UUID",
  },
  {
    rule: "gitleaks:*",
    kind: "positive",
    applies: tokenStandIn,
    why: "its token holds a typed stand-in (a run of one character, letters or digits in order, 'fake')",
  },
  ...["gitleaks:jwt", "trufflehog:jwt"].map((rule) => ({
    rule,
    kind: "positive" as const,
    applies: (text: string) => DOCUMENTED_JWT.test(text),
    why: "jwt.io's example claims or Supabase's local-development key",
    class: "case itself wrong: a documented example, rightly rejected" as const,
  })),
  ...["gitleaks:jwt", "trufflehog:jwt"].map((rule) => ({
    rule,
    kind: "positive" as const,
    applies: onlyStandInClaims,
    why: "its claims hold a typed stand-in (one character eight times or more)",
  })),
  {
    rule: "trufflehog:*",
    kind: "positive",
    applies: (_text, _name, want) => onlyStandInPasswords(want),
    why: "the URLs it names hold no password or a stand-in word (pass456, testpassword, P@ssw0rd)",
  },
  {
    rule: "trufflehog:*",
    kind: "positive",
    applies: (_text, _name, want) => onlyStandIns(want),
    why: "every secret it names holds a typed stand-in (a run of one character, letters or digits in order, 'fake')",
  },
  // Values that break their provider's documented format, and identifiers alone (bench/peers/judged-format.ts).
  ...FORMAT_JUDGMENTS,
];

/** Why a case is judged wrong, and how, if it is. */
export function judgedWrong(c: PeerCase): { why: string; class: JudgedClass } | undefined {
  const scanner = c.source.split(" ")[0];
  const rule = `${scanner}:${c.rule}`;
  const j = JUDGMENTS.find(
    (x) =>
      (x.rule === rule || x.rule === `${scanner}:*`) &&
      x.kind === c.kind &&
      x.applies(c.text, c.name ?? "", c.want ?? []),
  );
  return j && { why: j.why, class: j.class ?? "case itself wrong" };
}
