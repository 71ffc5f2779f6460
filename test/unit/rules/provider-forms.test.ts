/**
 * The forms where the provider's name stands apart from the credential's name (src/rules/provider-forms.ts):
 * one secret, written in each form in the file types where it occurs, is found by a built-in context rule
 * (datadog-api-key) and by a rule written from context + value alone; a near miss of each form is not.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyShapedValue, providerNames, settingNames } from "../../../src/rules/provider-forms.js";
import { builtinEngine, detect, engineFromToml } from "../../helpers/engine.js";
import { DEMO_CONTEXT_RULE, FORM_KEY, itFindsEveryForm } from "../../helpers/forms.js";

const K = FORM_KEY;

/** A Jenkins credential element around `inner` (the elements between its open and close tags). */
function jenkins(kind: string, inner: string): string {
  return `<${kind} plugin="plain-credentials@1.8">\n  <scope>GLOBAL</scope>\n${inner}\n</${kind}>`;
}
const STRING_CREDS = "org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl";
const USER_PASS = "com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl";

/** [form, path, text]: the secret K written where the provider's name stands apart from it. */
const POSITIVES: [string, string, string][] = [
  [
    "jenkins id",
    "credentials.xml",
    jenkins(STRING_CREDS, `  <id>datadog-prod</id>\n  <description>metrics</description>\n  <secret>${K}</secret>`),
  ],
  [
    "jenkins description",
    "seed.xml",
    jenkins(
      USER_PASS,
      `  <id>svc-metrics</id>\n  <description>Datadog</description>\n  <username>svc</username>\n  <password>${K}</password>`,
    ),
  ],
  // TruffleHog's shape: words inside the braces before the value (no real ciphertext holds a blank)
  [
    "jenkins braces",
    "credentials.xml",
    jenkins(STRING_CREDS, `  <id>{datadog}</id>\n  <secret>{datadog AQAAABAAA ${K}}</secret>`),
  ],
  [
    "jenkins braces, provider inside",
    "credentials.xml",
    jenkins(STRING_CREDS, `  <id>{prod}</id>\n  <secret>{datadog AQAAABAAA ${K}}</secret>`),
  ],
  [
    "jenkins braces, no words",
    "credentials.xml",
    jenkins(STRING_CREDS, `  <id>datadog-prod</id>\n  <secret>{${K}}</secret>`),
  ],
  [
    "credential record named by <name>",
    "credentials.xml",
    `<credential>\n  <name>Datadog</name>\n  <token>{prod ${K}}</token>\n</credential>`,
  ],
  ["apart, log line", "agent.log", `2024-05-01 12:00:01 [DEBUG] Using datadog Key=${K}`],
  ["apart, prose", "NOTES.txt", `Datadog production api key: ${K}`],
  ["apart, dash", "NOTES.txt", `datadog token - '${K}'`],
  ["apart, prose with is", "README.md", `Your Datadog API key is ${K}, which the agent needs.`],
  ["apart, a blank inside the quotes", "NOTES.txt", `datadog token = ' ${K} '`],
  ["line above, comment", "settings.ini", `; Datadog\nkey = ${K}`],
  ["line above, log", "ci.log", `[INFO] Sending metrics to the datadog API\n[DEBUG] Using API_KEY=${K}`],
  ["name alone, YAML", "config.yaml", `api:\n  datadog: "${K}"`],
  ["name alone, Go", "main.go", `datadog := "${K}"`],
  ["name alone, .env", ".env", `DATADOG=${K}`],
  ["name alone, JSON", "config.json", `{"datadog": "${K}"}`],
  ["constructor", "app.js", `const dd = new DatadogClient("${K}");`],
];

/** [form, text]: the same secret near the provider's name, but not given to it by any form. */
const NEGATIVES: [string, string][] = [
  ["jenkins ciphertext", jenkins(STRING_CREDS, `  <id>datadog-prod</id>\n  <secret>{AQAAABAAAAAQ${K}/Qz8=}</secret>`)],
  [
    "jenkins ciphertext, full length",
    jenkins(
      STRING_CREDS,
      `  <id>datadog-prod</id>\n  <secret>{AQAAABAAAAAg${K}2W4kf+chWFrCstN8LhP9VfCohfPoYA==}</secret>`,
    ),
  ],
  [
    "jenkins, four words before the value",
    jenkins(STRING_CREDS, `  <id>datadog</id>\n  <secret>{a b c d ${K}}</secret>`),
  ],
  ["jenkins id of another provider", jenkins(STRING_CREDS, `  <id>build-cache</id>\n  <secret>${K}</secret>`)],
  ["jenkins, provider outside the credential", `<!-- datadog -->\n${jenkins(STRING_CREDS, `  <secret>${K}</secret>`)}`],
  ["apart, not a bare credential word", `datadog cache_key = ${K}`],
  ["apart, no operator", `the datadog api key ${K} is rotated weekly`],
  ["apart, another word", `datadog monkey = ${K}`],
  ["apart, is and another word", `the datadog key is not ${K}`],
  ["apart, this is", `datadog: this is ${K}`],
  ["apart, a word before the value inside the quotes", `datadog token = 'old ${K}'`],
  ["line above, a blank line between", `# Datadog\n\nkey = ${K}`],
  ["line above, two lines between", `[INFO] datadog API\n[INFO] Sending request\n[DEBUG] Using Key=${K}`],
  // Babel's class output: the provider names a class, `key` a method (razorpay-node's dist/razorpay.js)
  ["code listing keys, line above", `_createClass(Datadog, null, [{\n    key: '${K}',\n    value: function () {}`],
  ["code listing keys, one line", `_createClass(Datadog, null, [{ key: '${K}', value: function () {} }]);`],
  // the provider's name alone, but with a suffix or as another thing's property: not the key
  ["name alone, a suffix", `DATADOG_SITE_ID=${K}`],
  ["name alone, another thing's property", `checks.datadog = "${K}"`],
  ["constructor, a variable first", `new DatadogClient(appId, "${K}")`],
  ["constructor of another class", `new Client("${K}") // datadog`],
];

describe("provider forms (the provider's name apart from the credential's)", () => {
  itFindsEveryForm(POSITIVES, NEGATIVES, "the secret is found in every form");

  it("the provider's name alone leads only a key-shaped value (bounded, a named alphabet)", () => {
    assert.equal(keyShapedValue("([a-f0-9]{32})\\b"), true);
    assert.equal(keyShapedValue("(?i:([A-Za-z0-9]{24,40})\\b)"), true);
    assert.equal(keyShapedValue("([A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_.-]{40,})"), false);
    assert.equal(keyShapedValue("(sk_[a-z0-9]+)"), false);
    assert.equal(keyShapedValue("([+/=A-Za-z0-9]{40})"), true);
    assert.equal(keyShapedValue("([^\\s\"'`]{8,128})(?:[\"'`\\s,;)]|$)"), false);
    assert.equal(keyShapedValue("(.{32})"), false);
    assert.equal(keyShapedValue("((?:[^\\s\"'`<]|<[^/\\s\"'`]){8,128})(?:[\"'`\\s,;)<]|$)"), false);
    assert.equal(keyShapedValue("([A-Za-z0-9]{39})(?:[^A-Za-z0-9_-]|\\z)"), true);
    // a scheme before the value (Railway's `(?:Bearer\s+)?<UUID>`) leaves the key's shape a key's
    assert.equal(
      keyShapedValue("(?i:(?:Bearer\\s+)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\b)"),
      true,
    );
    assert.equal(keyShapedValue("(?:Bearer\\s{1,3})?(sk_[a-f0-9]{32})(?:[^A-Za-z0-9_-]|\\z)"), true);
    assert.equal(keyShapedValue("(?:Bearer\\s+)?([A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_.-]{40,})"), false);
    const open = engineFromToml(DEMO_CONTEXT_RULE.replace("([a-f0-9]{32})", "([a-f0-9]{32,})"));
    assert.deepEqual(detect(open, `datadog: "${K}"`), []);
    assert.equal(detect(open, `datadog_api_key: "${K}"`).length, 1);
  });

  it("a token format's name (jwt, saml) never names a setting alone: the setting holds a token, not the secret", () => {
    assert.equal(settingNames(["jwt", "jws", "nextauth"]), "(?:nextauth)");
    assert.equal(settingNames(["jwt"]), undefined);
    assert.equal(settingNames(["datadog"]), "(?:datadog)");
    const sample = "HEADER.eyJpc3MiOiJodHRwczovL3NlY3VyZXRva2VuLmdvb2dsZS5jb20vcHJvamVjdE";
    const engine = builtinEngine();
    assert.deepEqual(
      detect(engine, `var idToken = {\n  jwt: '${sample}' +\n    'lkIiwiYXV0aF90aW1lIjoxNTIy'\n};`, "test/auth.js").map(
        (f) => f.ruleId,
      ),
      [],
    );
    assert.deepEqual(
      detect(engine, `jwt_secret: 'Qm7rVx2LpT9sKd4WnY8bHc3F'`, "config.yaml").map((f) => f.ruleId),
      ["jwt-signing-secret"],
    );
  });

  it("a rule's keywords that name a credential, not a provider, lead none of these forms", () => {
    assert.equal(providerNames(["secret_key"]), undefined);
    assert.equal(providerNames(["sasl.password", "pk="]), undefined);
    assert.equal(providerNames(["airbrake", "otx_key"]), "(?:airbrake)");
    assert.equal(providerNames(["new.relic"]), "(?:new\\.relic)");
  });
});
