/**
 * Forms where the provider's name stands apart from the credential's name: a Jenkins credential whose
 * `<id>` names the provider and whose `<secret>` holds the value, a log line or a comment that names
 * the provider above a bare `key = V`, a name written with blanks (`Using airbrake Key=V`). A context
 * (rules/assignment-forms.ts) joins the provider and the credential word in one name; here the
 * provider is one of the rule's keywords, which name it already (the prefilter needs one in every
 * finding), and the credential word is a shared one or an element that holds a secret. Each form has
 * positive and negative examples in test/unit/rules/provider-forms.test.ts.
 *
 * Jenkins stores a credential's secret encrypted with the controller's key, `{AQAAABAAAAAQ…}` (base64:
 * version 1, a 16-byte IV, the AES ciphertext). That text is no credential without the controller's
 * `secrets/master.key` and `hudson.util.Secret`: the public rule `jenkins-secret-ciphertext`
 * (detectors/jenkins.toml) recognises it, and then no rule reports those bytes. A plaintext `<secret>`,
 * `<password>` or `<apiToken>` (an XML posted to `create-credentials-by-xml`, a hand-written seed
 * file, a JCasC export with secrets revealed) is the credential itself, also in braces and after
 * words that label it (`{V}`, `{prod deploy V}`).
 */

/** Keywords that are a credential's name, not a provider's (`secret_key`, `sasl.password`, `pk=`). */
const CREDENTIAL_WORD = /key|token|secret|pass|pwd|cred|private|sasl|session|identity|account|cookie|_auth/;

/** The rule's keywords that name its provider, as a regex alternation; undefined when none does. */
export function providerNames(keywords: readonly string[]): string | undefined {
  const names = keywords.filter(
    (k) => !CREDENTIAL_WORD.test(k) && /^[a-z0-9][a-z0-9._-]*$/.test(k) && k.replace(/[^a-z]/g, "").length >= 3,
  );
  if (names.length === 0) return undefined;
  return `(?:${names.map((k) => k.replace(/[.]/g, "\\.")).join("|")})`;
}

/**
 * Keywords that name a token format, not who issues it: a setting named after one holds a token of
 * that format (`jwt: 'eyJ…'`, `saml: '<Assertion…'`), not the rule's secret, so these names never
 * stand alone as a setting's name (firebase-js-sdk's tests hold `jwt: 'HEADER.eyJ…'` sample tokens).
 */
const FORMAT_NAME = /^(?:jwt|jws|jwe|jwk|jwks|saml|oauth2?|oidc|pem|ssh|pgp|gpg|x509|bearer|basic)$/;

/** The rule's keywords that may stand alone as a setting's name: its provider's names, less formats' names. */
export function settingNames(keywords: readonly string[]): string | undefined {
  return providerNames(keywords.filter((k) => !FORMAT_NAME.test(k)));
}

/** A bare credential word, as logs and short configs write it: `Key`, `API_KEY`, `token`, `api secret`. */
const BARE_CREDENTIAL = `(?:api[ _.-]?)?(?:key|token|secret)s?`;

/**
 * `=`, `:` or `is` after a bare credential word, and the value's opening quote; a blank typed inside the quote
 * before the value (`token = ' V '`) is read past, as a blank outside it is. `is` is how prose and logs give a
 * key (`Your Mailgun key is V`, `api2cart token is V`): after the provider's name and a credential word, only a
 * value of the rule's shape follows it.
 */
const BARE_OPERATOR = `[ \\t]{0,5}(?::=|=|:| -| is\\b)[ \\t]{0,5}(?:["'\`][ \\t]?)?`;

/**
 * Between the provider's name and a bare credential word on one line: words and blanks, no `,;(){}[]`.
 * Code that names the provider as a value and then lists keys is not the provider's credential:
 * Babel's class output `_createClass(Razorpay, null, [{ key: 'validateWebhookSignature'` (a method
 * name of a secret's length) was one, seen in razorpay-node's `dist/`.
 */
const APART_ON_LINE = `[^\\r\\n=:,;(){}\\[\\]]*?[ \\t]`;

/** The rest of the provider's line (a comment, section or log line: no `,;()`), then up to 40 bytes of the next. */
const APART_LINE_ABOVE = `[^\\r\\n,;()]*\\r?\\n[^\\r\\n]{0,40}?\\b`;

/** Elements of Jenkins credentials that hold a secret (string, username/password, GitLab, AWS, token credentials). */
const JENKINS_SECRET = `<(?:secret|password|apiToken|token|secretKey|accessKey)>`;

/**
 * Sibling elements between a credential's `<id>` and its secret: `<description>…</description>`,
 * `<username>…</username>`. Spans are unbounded within a line (RE2 runs in linear time whatever they
 * are): counted repetitions would be copied into every context rule's program, and a set of sixteen
 * rules (detection/rules-that-match.ts) must still compile within RE2's memory budget.
 */
const JENKINS_SIBLINGS = `(?:\\s*<[\\w.:-]+>[^<\\r\\n]*</[\\w.:-]+>){0,4}?\\s*`;

/** A value in braces, after up to three words that label it: `{V}`, `{airbrake AQAAABAAA V}`. */
const BRACED_WORDS = `\\{(?:[^\\s{}<]+[ \\t]+){0,3}`;

/**
 * The provider's name alone as the setting's name: `cloudsmith: "V"`, `apiTemplate := "V"`,
 * `CLOUDSMITH=V`. Nothing may follow the name but a key's closing quote (a suffix such as `_ID` or
 * `_URL` names something else, and those names are the rule's own context); nothing but a blank, a
 * quote, `$`, `{` or `,` may stand before it (`package.cloudsmith = …` is a property of another thing).
 */
const ALONE_OPERATOR = `["'\`]?[ \\t]{0,5}(?::=|=>|=|:)[ \\t]{0,5}["'\`]?`;

/**
 * A constructor named after the provider with the value as its first argument, as SDKs take their key:
 * `new HubSpotAPI("V")`, `new Cloudsmith.Client('V')`. Only a string literal: a variable is no value.
 */
const CONSTRUCTOR_ARGUMENT = `[\\w.]{0,20}?\\([ \\t]*["'\`]`;

/**
 * Whether a value's shape is a key's: bounded in length (no `+`, `*` or `{n,}` outside a character class)
 * and drawn from a named alphabet (no repeated `[^…]` class, no `.`). The provider's name alone is weaker evidence
 * than a credential's name, so it leads only such values: a shape open at one end
 * (`[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_.-]{40,}`) also takes a session blob or another scheme's token, and a
 * password's "anything but a blank" (`[^\s"']{8,128}`) takes the rest of `snowflake://user:pw@host`.
 */
export function keyShapedValue(spec: string): boolean {
  // An HTTP scheme the value may be written behind (`(?:Bearer\s+)?`) says nothing of the key's own shape.
  const value = spec.replace(/\(\?:Bearer\\s(?:\+|\{\d+,\d+\})\)\?/g, "");
  // A repeated negated class, alone or as an alternative of a repeated group (`(?:[^\s<]|<[^/\s]){8,128}`);
  // a single one after the value is only its end (`(?:[^A-Za-z0-9_-]|\z)`).
  if (/\[\^(?:\\.|[^\]\\])*\](?:[*+]|\{)/.test(value)) return false;
  if (/\[\^(?:\\.|[^\]\\])*\](?:\\.|\[(?:\\.|[^\]\\])*\]|[^()[\\])*\)(?:[*+]|\{)/.test(value)) return false;
  const outsideClasses = value.replace(/\\./g, "").replace(/\[[^\]]*\]/g, "");
  return !/[*+.]|\{\d+,\}/.test(outsideClasses);
}

/**
 * Lead-ins, each ending right before the value, for a rule whose provider `names` (a regex) is known.
 * Matched case-insensitively. `alone`: the names (settingNames) that may name the setting by
 * themselves; left out for a value that is no key's shape (see keyShapedValue).
 */
export function providerLeads(names: string, opts: { alone?: string } = {}): string[] {
  const alone = opts.alone === undefined ? [] : [`(?:^|[\\s"'\`$\\{,])${opts.alone}${ALONE_OPERATOR}`];
  return [
    ...alone,
    // <id>airbrake-prod</id> <description>…</description> <secret>V</secret>; <name>airbrake</name> <token>{V}</token>
    `<(?:id|name|description)>[^<\\r\\n]*?${names}[^<\\r\\n]*</(?:id|name|description)>${JENKINS_SIBLINGS}${JENKINS_SECRET}(?:${BRACED_WORDS})?`,
    // <secret>{airbrake … V}</secret>: the provider named inside the braces
    `${JENKINS_SECRET}\\{[^\\s{}<]*?${names}[^\\s{}<]*[ \\t]+(?:[^\\s{}<]+[ \\t]+){0,2}`,
    // Using airbrake Key=V, New Relic insights insert key = 'V': the provider, other words, the credential
    // word; or # airbrake (or [INFO] sending to the airbrake API) \n key = V: the provider on the line above
    `(?:\\b|_)${names}(?:${APART_ON_LINE}|${APART_LINE_ABOVE})${BARE_CREDENTIAL}${BARE_OPERATOR}`,
    // new HubSpotAPI("V"): a constructor named after the provider
    `\\bnew[ \\t]+[\\w.]{0,20}?${names}${CONSTRUCTOR_ARGUMENT}`,
  ];
}
