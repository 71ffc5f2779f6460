/**
 * Values meant to be seen are not reported (issue #10 item 3): keys that providers publish as safe to
 * ship to browsers where they are used so, the public half of a pair, ciphertext meant to be committed,
 * hashes and documented examples. The same formats used as secrets still are. `public = true` rules
 * recognise them; the engine never reports those bytes, by any rule.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkExamples } from "../../../src/detection/check-examples.js";
import { detectFragment } from "../../../src/detection/detect.js";
import { wholeFragment } from "../../../src/sources/fragment.js";
import { builtinEngine, detect, engineFromToml } from "../../helpers/engine.js";

const ids = (text: string, path: string) => detect(builtinEngine(), text, path).map((f) => f.ruleId);

const PUBLISHABLE = [
  "STRIPE_SECRET_KEY=pk_live_51Hq3vX9kLp2Zt7Rw4Yb8Nc1Md6TgF5sJ0aE7uWnQ2rKcVb9yXo3PzLm8Dh4Gi6Af1Bj",
  "STRIPE_KEY=pk_test_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6",
  "ADYEN_CLIENT_KEY=live_SN75RMGBPIXEG2B5AWQVQ9IKYCE2KQTK",
  "adyen.clientKey=test_L7KHXXYALHTKQHSONR1LNMVLZBMNHZZ2",
  "DD_CLIENT_TOKEN=pub4f8c2a9e71b03d65c8e9f1a2b7d04c36",
  "POSTHOG_API_KEY=phc_Zq8wXr4LmN2pK7sT1vY9bC3dF6gH0jA5eU8iQx2Wr7",
];

describe("publishable keys", () => {
  for (const line of PUBLISHABLE) {
    it(`does not report ${line.split("=")[0]}`, () => {
      assert.deepEqual(ids(`${line}\n`, ".env"), []);
    });
  }
  it("still reports the secret key next to them", () => {
    assert.deepEqual(ids("STRIPE_SECRET_KEY=sk_live_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6\n", ".env"), ["stripe-secret-key"]);
  });
});

describe("keys public where they are used so, secret elsewhere", () => {
  const firebaseKey = ["AIza", "SyBk9Qx3vW7mZp2LrT8nYc4HdJ6fG1sK0aE"].join("");
  it("a Firebase web config's apiKey is public; the same key in server code is a secret", () => {
    const web = `const firebaseConfig = {\n  apiKey: "${firebaseKey}",\n  authDomain: "shop.firebaseapp.com",\n  projectId: "shop",\n};\n`;
    assert.deepEqual(ids(web, "web/src/firebase.ts"), []);
    assert.deepEqual(ids(`<key>API_KEY</key>\n<string>${firebaseKey}</string>\n`, "ios/GoogleService-Info.plist"), []);
    assert.deepEqual(ids(`{"api_key": [{"current_key": "${firebaseKey}"}]}`, "android/app/google-services.json"), []);
    assert.deepEqual(ids(`genai.configure(api_key="${firebaseKey}")\n`, "server/gemini.py"), ["gcp-api-key"]);
  });

  it("an Algolia search-only key is public; the admin key is a secret", () => {
    assert.deepEqual(ids("ALGOLIA_SEARCH_KEY=3f5e1b8c7a2d9e4f6b0c1a3d5e7f9b2c\n", ".env"), []);
    const docs =
      "algolia: {\n  appId: 'X1Y2Z3W4V5',\n  apiKey: '9d1e4c7b2a5f8e3d6c9b0a1f4e7d2c5b',\n  indexName: 'docs',\n},\n";
    assert.deepEqual(ids(docs, "docusaurus.config.js"), []);
    assert.deepEqual(ids("ALGOLIA_ADMIN_KEY=fb94ce60611712a17df23b12960e2336\n", ".env"), ["algolia-admin-key"]);
  });

  it("the provider's name apart from a key's name says nothing about which key it is: no public value", () => {
    // `Using algolia Key=V` names no search-only key: the public rule's own names (search, public) must say so.
    const log = "[DEBUG] Using algolia Key=BsDaN7ZU7kFiUX5CpN8CUf3nkMaSeZYn\n";
    assert.deepEqual(ids(log, "deploy.log"), ["algolia-admin-key"]);
    assert.deepEqual(ids("[DEBUG] Using ALGOLIA_SEARCH_KEY=3f5e1b8c7a2d9e4f6b0c1a3d5e7f9b2c\n", "deploy.log"), []);
    // Nor does a credential record whose <id> names the provider (Jenkins credentials.xml, a seed file).
    const record =
      "<credential>\n  <id>algolia-prod</id>\n  <secret>{BsDaN7ZU7kFiUX5CpN8CUf3nkMaSeZYn}</secret>\n</credential>\n";
    assert.deepEqual(ids(record, "credentials.xml"), ["algolia-admin-key"]);
  });

  it("a Shopify storefront public token and app client id are public; a private storefront token is a secret", () => {
    const token = "a7c3e9b1d5f2a8c4e0b6d3f9a1c7e5b2";
    assert.deepEqual(ids(`headers: { 'X-Shopify-Storefront-Access-Token': '${token}' }\n`, "src/shop.js"), []);
    assert.deepEqual(ids(`SHOPIFY_API_KEY=${token}\n`, ".env"), []);
    assert.deepEqual(ids(`createStorefrontClient({ privateStorefrontToken: '${token}' })\n`, "server/shop.js"), [
      "generic-secret",
    ]);
  });

  it("a Vault token accessor is public; the token is a secret", () => {
    const out = '{"auth": {"client_token": "hvs.R2pXWLzGKp7toRG1Etb2bPFe", "accessor": "7Kf2QpL9xWm4Rt8Zv1Nb6Yc3"}}';
    assert.deepEqual(ids(out, "vault-login.json"), ["vault-service-token"]);
  });
});

describe("ciphertext, hashes and examples are not secrets", () => {
  const cases: [string, string, string][] = [
    [
      "a SealedSecret's encryptedData",
      "k8s/sealed.yaml",
      "kind: SealedSecret\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq8kX2mZ7vR4nT1pL6wQ0sU3yE5aH9jC2bF8dG\n    api_token: AgCx7Tq2Lm9Wp4Rz8Vn1Bk6Yd3Fh5Js0Ga2Ec7Ix4Ou9Py1Mt6Nr3Kw8Qv5Zb2Hl0Sf\n",
    ],
    [
      "an Ansible vault block",
      "group_vars/all/vault.yml",
      "db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          529d4429472760e889e8ae168d664445d14082717f8cbef4b454af09f4e095f9\n          739e7c748b448569afcb4ef8a021ace4104659cdea2f1a0eb0e55f23b0949cd8\n",
    ],
    [
      "a SOPS value",
      "secrets.enc.yaml",
      "api_token: ENC[AES256_GCM,data:aB3dE6gH9jK2mN5pQ8sT1vW4yZ7=,iv:cF0iL3oR6uX9aD2gJ5mP8sV1yB4=,tag:eH7kN0qT3wZ6cF9iL2oR5u==,type:str]\n",
    ],
    [
      "a Jenkins credentials.xml with its persisted ciphertext",
      "jenkins_home/credentials.xml",
      "<org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>\n  <scope>GLOBAL</scope>\n  <id>aws-secret-access-key</id>\n  <secret>{AQAAABAAAAAwmAE9oGPng9P5x1n5z4WZB8LE9ZvqZNLiT4jnOIIxzAwAmJf2+eTrhUWiUbqn+QYWFkI4W2u+66iGcGyq+/Eddw==}</secret>\n</org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl>\n",
    ],
    [
      "an htpasswd file",
      ".htpasswd",
      "admin:$2y$10$t4v4zwiB1f.VYXg/DPTTX6cus4LYN58iZTuuwZOLCyDpfSmOw3rpZ\nmetrics:$apr1$Qx7rT2pa$1yyIlCpZRaNhYlpchkflj0\n",
    ],
    [
      "RFC 6749's example token response",
      "docs/oauth.md",
      '{"access_token":"2YotnFZFEjr1zCsicMWpAA","refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA"}\nAuthorization: Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW\n',
    ],
    [
      "a source map's names",
      "dist/app.js.map",
      '{"version":3,"names":["e","password","xK9pQ2mZ7vL4","apiToken","aB3dE6gH9jK2mN5pQ8"],"mappings":"AAAA"}',
    ],
    [
      "a CSRF token",
      "views/form.html",
      '<input type="hidden" name="authenticity_token" value="Xq8Rt2Lm9Wp4Zv1Nb6Yc3Fh5Js0Ga2Ec7Ix4Ou9PyMkT3==" />',
    ],
    [
      "an Ethereum address",
      "src/tokens.ts",
      'const tokenAddress = "0x9f8F72aA9304c8B593d555F12eF6589cC3A579A2";\ntoken = "0x6B175474E89094C44Da98b954EedeAC495271d0F"\n',
    ],
  ];
  for (const [what, path, text] of cases) {
    it(`does not report ${what}`, () => assert.deepEqual(ids(text, path), []));
  }
});

const ENGINE_RULES = `
[[rules]]
id = "demo-key"
provider = "Demo"
description = "a demo secret key"
regex = '''\\b(dmo_[0-9A-Za-z]{24})\\b'''
keywords = ["dmo_"]
[rules.examples]
positives = ["dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"]
negatives = ["dmo_short"]

[[rules]]
id = "demo-browser-key"
provider = "Demo"
description = "the demo key a browser config holds"
public = true
regex = '''browserKey:\\s*"(dmo_[0-9A-Za-z]{24})"'''
keywords = ["browserkey"]
[rules.examples]
positives = ['browserKey: "dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"']
negatives = ['serverKey: "dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"']
`;

describe("public rules in the engine", () => {
  const engine = engineFromToml(ENGINE_RULES);
  it("silence every other rule on the bytes they recognise, and report nothing themselves", () => {
    assert.deepEqual(detect(engine, 'browserKey: "dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"').length, 0);
    assert.deepEqual(
      detect(engine, 'serverKey: "dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"').map((f) => f.ruleId),
      ["demo-key"],
    );
  });

  it("say which public rule recognised a value", () => {
    const publicSeen = new Set<string>();
    const frag = wholeFragment(Buffer.from('browserKey: "dmo_Q3vX9kLp2Zt7Rw4Yb8Nc1Md6"'), {
      path: "a.js",
      source: "tree",
    });
    detectFragment(engine, frag, { showSecrets: false, publicSeen });
    assert.deepEqual([...publicSeen], ["demo-browser-key"]);
  });

  it("have their examples checked: positives recognised and unreported, negatives not recognised", () => {
    assert.deepEqual(
      checkExamples(
        engine,
        engine.rules.map((r) => r.spec),
      ),
      [],
    );
    const wrong = engineFromToml(
      ENGINE_RULES.replace(`positives = ['browserKey`, `positives = ['serverKey`).replace(
        `negatives = ['serverKey`,
        `negatives = ['browserKey`,
      ),
    );
    const problems = checkExamples(
      wrong,
      wrong.rules.map((r) => r.spec),
    ).map((f) => `${f.kind}: ${f.problem}`);
    assert.deepEqual(problems, [
      "positive: contains none of the rule's keywords, so the prefilter would skip it",
      "negative: was recognised as a public value",
    ]);
  });

  it("reject a public marker that is not true or false", () => {
    assert.throws(
      () => engineFromToml(ENGINE_RULES.replace("public = true", 'public = "yes"')),
      /"public" must be true or false/,
    );
  });
});
