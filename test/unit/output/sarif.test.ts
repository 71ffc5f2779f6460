import assert from "node:assert/strict";
import { test } from "node:test";
import type { Finding } from "../../../src/findings/finding.js";
import { FINGERPRINT_KEY, renderSarif, SRCROOT } from "../../../src/output/sarif.js";
import { historyFinding, RAW_SECRET, SAMPLE_RULES, sampleContext, sampleFinding } from "./sample-findings.js";
import { compileSarifSchema } from "./sarif-schema.js";

const validateSarif = compileSarifSchema();

// biome-ignore lint/suspicious/noExplicitAny: a parsed SARIF log is walked freely in assertions
type Json = any;

function render(findings: Finding[], overrides = {}): Json {
  return JSON.parse(renderSarif(findings, sampleContext(overrides)));
}

/** A distinct secret each (distinct secretHash): one result per finding. */
const secret = (n: number) => ({ secretHash: String(n).repeat(64) });
const mixed: Finding[] = [
  sampleFinding(),
  sampleFinding({
    ruleId: "stripe-secret-key",
    severity: "high",
    path: "/work/repo/deep/dir/my file #1 ü.env",
    ...secret(1),
  }),
  historyFinding({ ruleId: "generic-password", severity: "medium", validated: null, tags: ["a", "a"], ...secret(2) }),
  historyFinding({
    path: "",
    startLine: 2,
    endLine: 2,
    startColumn: 1,
    endColumn: 41,
    fingerprint: "0".repeat(32),
    ...secret(3),
  }),
  sampleFinding({
    ruleId: "user-rule",
    provider: "Acme",
    severity: "low",
    source: "stdin",
    path: "win\\path.txt",
    ...secret(4),
  }),
  sampleFinding({ fingerprint: "1".repeat(32), ...secret(5) }, true),
];

test("the log validates against the official SARIF 2.1.0 schema", () => {
  for (const findings of [mixed, [], [sampleFinding()]]) {
    const { valid, errors } = validateSarif(render(findings));
    assert.ok(valid, errors.join("\n"));
  }
  const { valid, errors } = validateSarif(render(mixed, { root: "relative/root", rules: [] }));
  assert.ok(valid, errors.join("\n"));
});

test("the schema check is live: a broken log fails it", () => {
  const log = render([sampleFinding()]);
  log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
  assert.equal(validateSarif(log).valid, false);
  assert.equal(validateSarif({ ...log, version: "2.0.0" }).valid, false);
  const unencoded = render([sampleFinding()]);
  unencoded.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "my file.txt";
  assert.equal(validateSarif(unencoded).valid, false, "URI formats are checked too");
});

test("one run whose driver lists every loaded detector with levels and security severities", () => {
  const log = render([]);
  assert.equal(log.version, "2.1.0");
  assert.equal(log.runs.length, 1);
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, "leakstop");
  assert.equal(driver.version, "0.1.0");
  assert.match(driver.informationUri, /^https:\/\//);
  assert.deepEqual(
    driver.rules.map((r: Json) => [r.id, r.defaultConfiguration.level, r.properties["security-severity"]]),
    [
      ["github-pat", "error", "9.0"],
      ["stripe-secret-key", "error", "7.0"],
      ["generic-password", "warning", "5.0"],
      ["slack-webhook", "note", "3.0"],
    ],
  );
  const [github, stripe, generic] = driver.rules;
  assert.equal(github.name, "GithubPat");
  assert.equal(github.fullDescription.text, SAMPLE_RULES[0]!.description);
  assert.equal(github.helpUri, SAMPLE_RULES[0]!.references[0]);
  assert.equal(stripe.helpUri, "https://docs.stripe.com/keys", "the first reference that is a URL");
  assert.equal(stripe.shortDescription.text, "Stripe: A Stripe secret key.");
  assert.equal(generic.helpUri, undefined);
  assert.deepEqual(github.properties.tags, ["security", "secret", "vcs", "token"]);
});

test("results point at the rule, relative URI with forward slashes, SPEC columns", () => {
  const log = render(mixed);
  const { rules } = log.runs[0].tool.driver;
  for (const r of log.runs[0].results) assert.equal(rules[r.ruleIndex].id, r.ruleId);
  const [first, weird, , , user] = log.runs[0].results;
  assert.equal(first.level, "error");
  assert.deepEqual(first.locations[0].physicalLocation, {
    artifactLocation: { uri: "src/app.ts", uriBaseId: SRCROOT },
    region: { startLine: 12, startColumn: 15, endLine: 12, endColumn: 55 },
  });
  assert.equal(weird.locations[0].physicalLocation.artifactLocation.uri, "deep/dir/my%20file%20%231%20%C3%BC.env");
  assert.equal(user.locations[0].physicalLocation.artifactLocation.uri, "win/path.txt");
  assert.equal(log.runs[0].originalUriBaseIds[SRCROOT].uri, "file:///work/repo/");
  assert.equal(log.runs[0].columnKind, "utf16CodeUnits");
});

test("a rule that was not loaded is added from its finding, so every ruleIndex is valid", () => {
  const log = render(mixed);
  const rules = log.runs[0].tool.driver.rules;
  assert.equal(rules.length, SAMPLE_RULES.length + 1);
  assert.equal(rules.at(-1).id, "user-rule");
  assert.equal(rules.at(-1).defaultConfiguration.level, "note");
});

test("fingerprints, commit and git properties travel with each result", () => {
  const log = render(mixed);
  const [tree, , history, inMessage] = log.runs[0].results;
  assert.deepEqual(tree.partialFingerprints, { [FINGERPRINT_KEY]: mixed[0]!.fingerprint });
  assert.deepEqual(history.partialFingerprints, {
    [FINGERPRINT_KEY]: mixed[2]!.fingerprint,
    commitSha: "3f786850e387550fdab836ed7e6dc881de23001b",
  });
  assert.equal(history.properties.commit, "3f786850e387550fdab836ed7e6dc881de23001b");
  assert.equal(history.properties.validated, null);
  assert.equal(history.properties.secretHash, mixed[2]!.secretHash);
  assert.deepEqual(history.properties.tags, ["a"]);
  assert.equal(tree.properties.commit, undefined);
  assert.deepEqual(inMessage.locations[0].physicalLocation.artifactLocation, { uri: "" });
  assert.match(inMessage.message.text, /commit message/);
});

test("no result carries the match, even a raw one", () => {
  const text = renderSarif(mixed, sampleContext());
  assert.ok(!text.includes(RAW_SECRET));
  assert.ok(!text.includes(mixed[0]!.match), "not even the redacted form");
});

test("GitHub code scanning requirements hold for every result", () => {
  const log = render(mixed);
  const run = log.runs[0];
  const ids = new Set(run.tool.driver.rules.map((r: Json) => r.id));
  assert.equal(ids.size, run.tool.driver.rules.length, "rule ids are unique");
  for (const rule of run.tool.driver.rules) {
    assert.ok(Number.parseFloat(rule.properties["security-severity"]) > 0);
    assert.ok(rule.properties.tags.includes("security"));
  }
  for (const r of run.results) {
    assert.ok(ids.has(r.ruleId));
    assert.equal(typeof r.message.text, "string");
    const { artifactLocation, region } = r.locations[0].physicalLocation;
    assert.ok(!/^[a-z]+:|^\//i.test(artifactLocation.uri), "relative URI");
    assert.ok(region.startLine >= 1 && region.startColumn >= 1);
    assert.ok(region.endLine >= region.startLine);
  }
});

test("the Action's repository and commit go into versionControlProvenance, mapped to the scan root", () => {
  const versionControl = {
    repositoryUri: "https://github.com/acme/shop",
    revisionId: "f".repeat(40),
    branch: "refs/heads/main",
  };
  const log = render(mixed, { versionControl });
  const { valid, errors } = validateSarif(log);
  assert.ok(valid, errors.join("\n"));
  assert.deepEqual(log.runs[0].versionControlProvenance, [{ ...versionControl, mappedTo: { uriBaseId: SRCROOT } }]);
  assert.equal(render(mixed).runs[0].versionControlProvenance, undefined, "only when given");
});

test("one secret found in several places is one result with several locations, each with its commit", () => {
  const places = [
    historyFinding({ path: "a.env", commit: "1".repeat(40) }),
    sampleFinding({ ruleId: "stripe-secret-key", severity: "high", secretHash: "5".repeat(64) }),
    historyFinding({ path: "b/c.env", startLine: 3, endLine: 3, commit: "2".repeat(40) }),
    historyFinding({ path: "a.env", commit: "1".repeat(40) }),
  ];
  const log = render(places);
  const { valid, errors } = validateSarif(log);
  assert.ok(valid, errors.join("\n"));
  const [github, stripe] = log.runs[0].results;
  assert.equal(log.runs[0].results.length, 2);
  assert.equal(stripe.ruleId, "stripe-secret-key");
  assert.deepEqual(
    github.locations.map((l: Json) => [l.physicalLocation.artifactLocation.uri, l.properties.commit]),
    [
      ["a.env", "1".repeat(40)],
      ["b/c.env", "2".repeat(40)],
    ],
    "a place seen twice is one location",
  );
  assert.equal(github.partialFingerprints.commitSha, "1".repeat(40), "the first place's commit");
  assert.match(github.message.text, /Found in 2 places\.$/);
  assert.equal(stripe.locations[0].properties, undefined, "a single place needs no per-location commit");
});

test("one secret found by two rules is still one result (grouped by secretHash, as text output is)", () => {
  const log = render([
    sampleFinding({ path: "src/app.ts" }),
    sampleFinding({ ruleId: "generic-password", path: "config/app.env", severity: "low" }),
  ]);
  const { valid, errors } = validateSarif(log);
  assert.ok(valid, errors.join("\n"));
  const [only, ...rest] = log.runs[0].results;
  assert.equal(rest.length, 0);
  assert.equal(only.ruleId, "github-pat", "the first (most important) place names the rule");
  assert.deepEqual(
    only.locations.map((l: Json) => [l.physicalLocation.artifactLocation.uri, l.properties.ruleId]),
    [
      ["src/app.ts", undefined],
      ["config/app.env", "generic-password"],
    ],
    "a place another rule found says which",
  );
});

test("level and rank follow where the secret sits: code and config first, a test/docs/example place a note", () => {
  const log = render([
    sampleFinding({ path: "src/app.ts", secretHash: "1".repeat(64), fingerprint: "1".repeat(32) }),
    sampleFinding({ path: ".env", secretHash: "2".repeat(64), fingerprint: "2".repeat(32) }),
    sampleFinding({ path: "test/app.test.ts", secretHash: "3".repeat(64), fingerprint: "3".repeat(32) }),
    sampleFinding({ path: "docs/setup.md", secretHash: "4".repeat(64), fingerprint: "4".repeat(32), fileKind: "docs" }),
    sampleFinding({ path: "examples/a.ts", secretHash: "5".repeat(64), fingerprint: "5".repeat(32) }),
  ]);
  const { valid, errors } = validateSarif(log);
  assert.ok(valid, errors.join("\n"));
  const results = log.runs[0].results;
  assert.deepEqual(
    results.map((r: Json) => [r.properties.fileKind, r.level]),
    [
      ["code", "error"],
      ["config", "error"],
      ["test", "note"],
      ["docs", "note"],
      ["example", "note"],
    ],
  );
  const ranks = results.map((r: Json) => r.rank as number);
  assert.ok(ranks[0] > ranks[1] && ranks[1] > ranks[2] && ranks[2] > ranks[3], ranks.join(","));
  assert.match(results[0].properties.group, /^[0-9a-f]{12}$/);
});

test("a secret in code and in a test is one result at the code's level, each place with its kind", () => {
  const log = render([
    sampleFinding({ path: "test/app.test.ts" }),
    sampleFinding({ path: "src/app.ts", startLine: 3, endLine: 3 }),
  ]);
  const [only] = log.runs[0].results;
  assert.equal(log.runs[0].results.length, 1);
  assert.equal(only.level, "error");
  assert.equal(only.properties.fileKind, "code");
  assert.deepEqual(
    only.locations.map((l: Json) => l.properties.fileKind),
    ["test", "code"],
  );
});

test("a public rule is listed at level none, without security-severity, saying it is never reported", () => {
  const publicRule = {
    id: "stripe-publishable-key",
    provider: "Stripe",
    description: "Stripe publishable key: public by design.",
    severity: "high" as const,
    tags: ["payments"],
    references: ["https://docs.stripe.com/keys"],
    public: true,
  };
  const log = render([sampleFinding()], { rules: [...SAMPLE_RULES, publicRule] });
  const { valid, errors } = validateSarif(log);
  assert.ok(valid, errors.join("\n"));
  const listed = log.runs[0].tool.driver.rules.find((r: Json) => r.id === publicRule.id);
  assert.equal(listed.defaultConfiguration.level, "none");
  assert.equal(listed.properties.public, true);
  assert.equal(listed.properties["security-severity"], undefined);
  assert.deepEqual(listed.properties.tags, ["public", "payments"]);
  assert.match(listed.help.text, /^Stripe publishable key: public by design\.\nNot reported/);
  assert.doesNotMatch(listed.help.text, /Revoke/);
  assert.equal(listed.helpUri, "https://docs.stripe.com/keys");
  const secretRule = log.runs[0].tool.driver.rules.find((r: Json) => r.id === "github-pat");
  assert.equal(secretRule.properties.public, undefined, "secret rules carry no public mark");
});
