/**
 * Peer positives judged wrong against their providers' documented formats: the case's value carries the
 * provider's marker (its prefix) but breaks the shape the provider documents for that secret, or the value
 * is an identifier the provider documents as public or as no secret on its own. These join the judgments of
 * `judged.ts` in its default class ("case itself wrong": not the provider's documented format, placeholder
 * or failing checksum). Like those, each tests the case's text, whatever leakstop did on it.
 *
 * Placeholders (`aaaa…`, `1111…`, `FAKE`) and checksums are judged in `judged.ts`, not here.
 */
import type { PeerCase } from "./peer-case.js";

export interface FormatJudgment {
  /** "gitleaks:rule-id" or "trufflehog:detector". */
  rule: string;
  kind: PeerCase["kind"];
  applies: (text: string, name: string) => boolean;
  why: string;
}

/** One provider's documented secret: the peer rules that report it, where its marker sits, and its whole shape. */
interface DocumentedFormat {
  provider: string;
  rules: string[];
  /** Every value in a text that carries the provider's marker, up to a blank, a quote or a separator (global). */
  marker: RegExp;
  /** The documented whole value. */
  shape: (value: string) => boolean;
  /** What the documented shape is, for the judgment's reason. */
  documented: string;
}

const re = (r: RegExp) => (v: string) => r.test(v);
/** A value after a marker: up to a blank, a quote, a backquote or a list separator. */
const VALUE = "[^\\s'\"`|,;<>{}()\\\\]*";
const marked = (prefix: string) => new RegExp(`(?<![A-Za-z0-9_])${prefix}${VALUE}`, "g");

/** Grafana Cloud access-policy tokens: glc_ and the base64 of a JSON object ({"o":…,"n":…,"k":…,"m":…}). */
function base64JsonObject(v: string): boolean {
  const body = v.slice(4);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return false;
  const json = Buffer.from(body, "base64").toString("utf8");
  try {
    const o: unknown = JSON.parse(json);
    return typeof o === "object" && o !== null && !Array.isArray(o);
  } catch {
    return false;
  }
}

/** RFC 7519 section 7.2: a JWT's first two parts are the base64url of JSON objects. */
function jwtOfJsonObjects(v: string): boolean {
  const parts = v.split(".");
  if (parts.length !== 3) return false;
  return parts.slice(0, 2).every((p) => {
    try {
      const o: unknown = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
      return typeof o === "object" && o !== null && !Array.isArray(o);
    } catch {
      return false;
    }
  });
}

/**
 * Providers' documented formats (the source of each in its comment). Only formats whose documentation fixes
 * the alphabet or the structure are listed: where a provider documents only a length and "letters and
 * digits" (Azure AI Search keys: "52 randomly generated numbers and letters", learn.microsoft.com
 * azure/search/search-security-api-keys), a value of that length is its format and is not judged here.
 */
const FORMATS: DocumentedFormat[] = [
  {
    // PostHog personal API keys: phx_ and a random token in base 62 (PostHog's source,
    // posthog/models/utils.py generate_random_token_personal: letters and digits only).
    provider: "PostHog",
    rules: ["trufflehog:posthog"],
    marker: marked("phx_"),
    shape: re(/^phx_[A-Za-z0-9]+$/),
    documented: "phx_ and letters and digits",
  },
  {
    // Postman API keys: PMAK-, 24 hex, -, 34 hex (learning.postman.com, Postman API authentication; GitHub's
    // secret-scanning partner list names the same pattern).
    provider: "Postman",
    rules: ["trufflehog:postman", "gitleaks:postman-api-token"],
    marker: marked("PMAK-"),
    shape: re(/^PMAK-[0-9a-f]{24}-[0-9a-f]{34}$/i),
    documented: "PMAK-<24 hex>-<34 hex>",
  },
  {
    // RubyGems API keys: rubygems_ and 48 hex digits (guides.rubygems.org, API key scopes / key format:
    // rubygems_ + SecureRandom.hex(24)).
    provider: "RubyGems",
    rules: ["trufflehog:rubygems", "gitleaks:rubygems-api-token"],
    marker: marked("rubygems_"),
    shape: re(/^rubygems_[0-9a-f]{48}$/),
    documented: "rubygems_<48 hex>",
  },
  {
    // Brevo (Sendinblue) v3 API keys: xkeysib-, 64 hex, -, 16 letters and digits (developers.brevo.com,
    // "Authentication"; GitHub secret-scanning partner pattern).
    provider: "Brevo",
    rules: ["trufflehog:sendinbluev2", "gitleaks:sendinblue-api-token"],
    marker: marked("xkeysib-"),
    shape: re(/^xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16}$/),
    documented: "xkeysib-<64 hex>-<16 letters and digits>",
  },
  {
    // Tailscale keys: tskey-<type>-<key id>CNTRL-<secret> (tailscale.com/kb/1277 "Key prefixes": auth, api,
    // client, scim, webhook); keys issued before key types have no type but keep the CNTRL separator.
    provider: "Tailscale",
    rules: ["trufflehog:tailscale"],
    marker: marked("tskey-"),
    shape: re(/^tskey-(?:[a-z]+-)?[A-Za-z0-9]+CNTRL-[A-Za-z0-9]+$/),
    documented: "tskey-<type>-<id>CNTRL-<secret>",
  },
  {
    // Grafana service-account tokens: glsa_, 32 letters and digits, _, 8 hex of checksum (grafana.com docs,
    // service accounts; the checksum itself is checked in judged.ts).
    provider: "Grafana",
    rules: ["trufflehog:grafanaserviceaccount", "gitleaks:grafana-service-account-token"],
    marker: marked("glsa_"),
    shape: re(/^glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}$/),
    documented: "glsa_<32 letters and digits>_<8 hex checksum>",
  },
  {
    // Grafana Cloud access-policy tokens: glc_ and base64 of a JSON object naming the org, the token and its
    // region (grafana.com docs, Cloud access policies: the token is glc_eyJ…).
    provider: "Grafana Cloud",
    rules: ["trufflehog:grafana", "gitleaks:grafana-cloud-api-token"],
    marker: marked("glc_"),
    shape: base64JsonObject,
    documented: "glc_ and the base64 of a JSON object",
  },
  {
    // New Relic API keys (docs.newrelic.com, "New Relic API keys"): user keys NRAK-, browser keys NRJS- (19 hex),
    // Insights insert/query keys NRII-/NRIQ- (32 characters). No New Relic key opens NRBR- or ABGA-.
    provider: "New Relic",
    rules: [
      "trufflehog:newrelicbrowserkey",
      "trufflehog:newrelicinsightsinsertkey",
      "trufflehog:newrelicinsightsquerykey",
      "trufflehog:newrelicpersonalapikey",
      "trufflehog:newrelicuserkey",
      "gitleaks:new-relic-user-api-key",
      "gitleaks:new-relic-browser-api-token",
      "gitleaks:new-relic-insert-key",
    ],
    // The key's slot: four capitals and a dash opening the quoted value.
    marker: /(?<=['"=:\s])[A-Z]{4}-[A-Za-z0-9_-]*/g,
    shape: re(/^(?:NRAK-[A-Za-z0-9]{27}|NRJS-[0-9a-f]{19}|NRI[IQ]-[A-Za-z0-9_-]{32})$/),
    documented: "NRAK-<27>, NRJS-<19 hex> or NRII-/NRIQ-<32>",
  },
  {
    // Typeform personal access tokens open with tfp_ (typeform.com/developers, "Personal access token"),
    // then letters, digits, _ and -.
    provider: "Typeform",
    rules: ["trufflehog:typeform/v1", "trufflehog:typeform/v2", "gitleaks:typeform-api-token"],
    marker: marked("tfp"),
    shape: re(/^tfp_[A-Za-z0-9_-]+$/),
    documented: "tfp_ and letters, digits, _ and -",
  },
  {
    // Cloudflare Origin CA keys: v1.0-, 24 hex, -, hex (developers.cloudflare.com, API keys: Origin CA key).
    provider: "Cloudflare Origin CA",
    rules: ["trufflehog:cloudflarecakey", "gitleaks:cloudflare-origin-ca-key"],
    marker: marked("v1\\.0-"),
    shape: re(/^v1\.0-[0-9a-f]{24}-[0-9a-f]+$/),
    documented: "v1.0-<24 hex>-<hex>",
  },
  {
    // Stripe secret and restricted keys: sk_/rk_ then live_ or test_ (docs.stripe.com/keys).
    provider: "Stripe",
    rules: ["gitleaks:stripe-access-token", "trufflehog:stripe"],
    marker: marked("[rs]k_"),
    shape: re(/^[rs]k_(?:live|test)_[A-Za-z0-9]+$/),
    documented: "sk_/rk_ then live_ or test_",
  },
  {
    // GitLab personal access tokens: glpat- and 20 characters (GitLab's own secret-detection rule,
    // gitlab.com/gitlab-org/security-products/secret-detection/secret-detection-rules), or the routable form
    // since GitLab 17: glpat-, a base64url payload of 27 or more, ".", a 2-character version, ".", its CRC
    // in base 36 (docs.gitlab.com, security/tokens "Token prefixes").
    provider: "GitLab",
    rules: ["trufflehog:gitlab/v1", "trufflehog:gitlab/v2", "trufflehog:gitlab/v3"],
    marker: marked("glpat-"),
    shape: re(/^glpat-(?:[A-Za-z0-9_-]{20}|[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{1,12})$/),
    documented: "glpat-<20>, or glpat-<27+>.<version>.<crc>",
  },
  {
    // Slack incoming-webhook URLs: hooks.slack.com/services/T<workspace id>/B<webhook id>/<24 letters and
    // digits> (api.slack.com/messaging/webhooks: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX).
    provider: "Slack",
    rules: ["trufflehog:slackwebhook"],
    marker: /hooks\.slack\.com\/services\/[^\s'"`<>]*/g,
    shape: re(/^hooks\.slack\.com\/services\/T[A-Z0-9]{8,}\/B[A-Z0-9]{8,}\/[A-Za-z0-9]{24}$/),
    documented: "hooks.slack.com/services/T<id>/B<id>/<24 letters and digits>",
  },
  {
    // Slack bot and user tokens: the type, the numeric workspace and user ids, then the secret part of 24 or more
    // letters and digits (Slack's SDK documentation: xoxb-XXXXXXXXXXXX-xxxxxxxxxxxx-XXXXXXXXXXXXXXXXXXXXXXXX;
    // user tokens xoxp- with one more id and 32). A token of ids alone holds no secret.
    provider: "Slack",
    rules: ["trufflehog:slack"],
    marker: marked("xox[bpar]-"),
    shape: re(/^xox[bpar]-(?:[0-9A-Za-z]{1,14}-){1,4}[A-Za-z0-9]{24,}$/),
    documented: "xox<type>-<ids>-<24+ letters and digits>",
  },
  {
    // Zapier catch-hook URLs: hooks.zapier.com/hooks/catch/<account id>/<hook id>/ (help.zapier.com, "Trigger
    // Zaps from webhooks": the account id is a number).
    provider: "Zapier",
    rules: ["trufflehog:zapierwebhook"],
    marker: /hooks\.zapier\.com\/hooks\/catch\/[^\s'"`<>]*/g,
    shape: re(/^hooks\.zapier\.com\/hooks\/catch\/[0-9]+\/[A-Za-z0-9]+\/?$/),
    documented: "hooks.zapier.com/hooks/catch/<digits>/<hook id>/",
  },
  {
    // Portainer access tokens: ptr_ and the standard base64 of 32 random bytes, 44 characters with its "="
    // (Portainer's source, api/apikey/service.go: portainerAPIKeyPrefix + base64.StdEncoding of GenerateRandomKey(32)).
    provider: "Portainer",
    rules: ["trufflehog:portainertoken"],
    marker: marked("ptr_"),
    shape: re(/^ptr_[A-Za-z0-9+/]{43}=$/),
    documented: "ptr_ and the base64 of 32 bytes (44 characters)",
  },
  {
    // Portainer's session tokens are JWTs (RFC 7519 section 7.2: header and claims are base64url of JSON objects).
    provider: "Portainer",
    rules: ["trufflehog:portainer"],
    marker: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g,
    shape: jwtOfJsonObjects,
    documented: "a JWT: base64url of a JSON header and of a JSON claims object",
  },
  {
    // Asana personal access tokens: 0/…, 1/<user id>:<32 hex> or 2/<user id>/<app id>:<32 hex> (developers.asana.com,
    // "Personal access token"; the leading digit is the token's version).
    provider: "Asana",
    rules: ["trufflehog:asanapersonalaccesstoken"],
    marker: /(?<![A-Za-z0-9/])[0-9]+\/[0-9/]+:[^\s'"`<>]*/g,
    shape: re(/^(?:0\/[0-9a-f]{32}|1\/[0-9]+:[0-9a-f]{32}|2\/[0-9]+\/[0-9]+:[0-9a-f]{32})$/),
    documented: "0/…, 1/<id>:<32 hex> or 2/<id>/<id>:<32 hex>",
  },
  {
    // Square application ids: sq0idp- (production) or sandbox-sq0idb- and 22 characters (developer.squareup.com,
    // "Access tokens and other Square credentials"); sq0csp- is the OAuth secret, sq0atp- a legacy access token.
    provider: "Square",
    rules: ["trufflehog:squareapp"],
    marker: marked("sq0i[a-z]{2}-"),
    shape: re(/^sq0id[pb]-[A-Za-z0-9_-]{22}$/),
    documented: "sq0idp-/sq0idb- and 22 characters",
  },
  {
    // Salesforce session ids and OAuth access tokens open with the org's 15-character id, then "!": an org id's
    // key prefix is 00D (Salesforce, "Standard Field Record ID Prefix Decoder"; UserInfo.getOrganizationId()
    // equals the session id's first 15 characters).
    provider: "Salesforce",
    rules: ["trufflehog:salesforce"],
    marker: /(?<![A-Za-z0-9])[A-Za-z0-9]{15}![^\s'"`<>]*/g,
    shape: re(/^00D[A-Za-z0-9]{12}![A-Za-z0-9._]+$/),
    documented: "the org id (00D + 12) then !",
  },
];

/** The text holds values with the format's marker, and none of them has the documented shape. */
export function breaksDocumentedShape(f: Pick<DocumentedFormat, "marker" | "shape">, text: string): boolean {
  const values = text.match(f.marker) ?? [];
  return values.length > 0 && !values.some(f.shape);
}

/**
 * PEM private keys whose body cannot be a key: every private-key block in the text (written plainly or with
 * `\n` escapes) holds characters outside base64 (`MII…...`), or decodes to fewer bytes than its DER header
 * declares (a 30 82 hi lo SEQUENCE longer than the body), or to fewer than 48 bytes (the smallest PKCS #8
 * key, Ed25519, is 48).
 */
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]*?)-----END [A-Z ]*PRIVATE KEY-----/g;
function truncatedKey(body: string): boolean {
  const b64 = body.replace(/\\+[nr]|\s/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return true;
  const der = Buffer.from(b64, "base64");
  if (der.length < 48) return true;
  return der[0] === 0x30 && der[1] === 0x82 && der.readUInt16BE(2) + 4 > der.length;
}
export function onlyTruncatedPems(text: string): boolean {
  const blocks = [...text.matchAll(PEM)];
  return blocks.length > 0 && blocks.every((m) => truncatedKey(m[1]!));
}

/**
 * Identifiers a provider documents as no secret on their own, in a text that holds no secret beside them:
 * - Sumo Logic access keys are an access ID (su + 12 letters and digits) and an access key (64); the key is
 *   the secret (help.sumologic.com, "Access Keys": the ID names the key, as a user name does);
 * - Discord application (client) IDs are snowflakes, 17–20 digits, public in every OAuth2 authorize URL
 *   (discord.com/developers/docs/topics/oauth2);
 * - Asana OAuth client IDs are numeric and public in the authorize URL (developers.asana.com, OAuth); Asana
 *   tokens are 0/…, 1/…:… or 2/… (developers.asana.com, personal access token);
 * - OneSignal App IDs are UUIDs that OneSignal's client SDKs embed (documentation.onesignal.com, "Keys &
 *   IDs": the App ID is public; the REST API key is the secret);
 * - LinkedIn client IDs (14 letters and digits) are public in every authorization URL (`client_id=` of
 *   learn.microsoft.com linkedin/shared/authentication/authorization-code-flow); the client secret is the
 *   secret (16 letters and digits, or the newer `WPL_AP1.…`);
 * - Trello API keys (32 characters) identify a Power-Up and are "intended to be publicly accessible"
 *   (developer.atlassian.com, Trello REST API introduction); the user token is the secret: 64 hex, or ATTA +
 *   64 hex + 8 hex (developer.atlassian.com, Trello REST API authorization).
 */
const lone = (id: RegExp, secret: RegExp) => (text: string) => id.test(text) && !secret.test(text);
const IDENTIFIERS: { rule: string; applies: (text: string) => boolean; why: string }[] = [
  {
    rule: "gitleaks:sumologic-access-id",
    applies: lone(/(?<![A-Za-z0-9])su[A-Za-z0-9]{12}(?![A-Za-z0-9])/, /(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])/),
    why: "a Sumo Logic access ID alone: it names the access key, the key is the secret",
  },
  {
    rule: "gitleaks:discord-client-id",
    applies: lone(/(?<![0-9])[0-9]{17,20}(?![0-9])/, /[A-Za-z0-9_-]{32}/),
    why: "a Discord client (application) ID alone: public in every OAuth2 URL",
  },
  {
    rule: "gitleaks:asana-client-id",
    applies: lone(/(?<![0-9/])[0-9]{16}(?![0-9/:])/, /(?<![0-9])[012]\/[0-9]+/),
    why: "an Asana OAuth client ID alone (digits only): public in the authorize URL, no Asana token",
  },
  {
    rule: "trufflehog:onesignal",
    applies: lone(
      /(?<![0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])/i,
      /os_v2_app_|(?<![A-Za-z0-9])[A-Za-z0-9+/]{48}(?![A-Za-z0-9])/,
    ),
    why: "a OneSignal App ID alone: public by design, the REST API key is the secret",
  },
  {
    rule: "gitleaks:linkedin-client-id",
    applies: lone(
      /(?<![A-Za-z0-9])[A-Za-z0-9]{14}(?![A-Za-z0-9])/,
      /WPL_AP[0-9]\.|(?<![A-Za-z0-9])[A-Za-z0-9]{16}(?![A-Za-z0-9])/,
    ),
    why: "a LinkedIn client ID alone: public in every authorization URL, the client secret is the secret",
  },
  {
    rule: "trufflehog:trelloapikey",
    applies: lone(
      /(?<![A-Za-z0-9])[A-Za-z0-9]{32}(?![A-Za-z0-9])/,
      /(?<![A-Za-z0-9])(?:ATTA[a-f0-9]{64}[A-F0-9]{8}|[a-f0-9]{64})(?![A-Za-z0-9])/,
    ),
    why: "a Trello API key with no Trello token beside it: the key is public by design, the token is the secret",
  },
];

/** The judgments of this module, for `judged.ts`. */
export const FORMAT_JUDGMENTS: FormatJudgment[] = [
  ...FORMATS.flatMap((f) =>
    f.rules.map((rule) => ({
      rule,
      kind: "positive" as const,
      applies: (text: string) => breaksDocumentedShape(f, text),
      why: `its ${f.provider} value breaks the documented format (${f.documented})`,
    })),
  ),
  ...["trufflehog:githubapp", "trufflehog:gcp"].map((rule) => ({
    rule,
    kind: "positive" as const,
    applies: onlyTruncatedPems,
    why: "its PEM private key is truncated: no key",
  })),
  ...IDENTIFIERS.map((i) => ({ rule: i.rule, kind: "positive" as const, applies: i.applies, why: i.why })),
];
