/**
 * The Action end to end: a push, a first push, a pull request and a scheduled run against real
 * local repositories, each through the built entry point with the runner's environment.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { GitRepo } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { cloneOf } from "../unit/action/git-fixture.js";
import { compileSarifSchema } from "../unit/output/sarif-schema.js";
import { runAction } from "./action.js";

const ZERO = "0".repeat(40);
const TRACER = fileURLToPath(new URL("../helpers/trace-imports.js", import.meta.url));
const FORBIDDEN = /node_modules\/(bullmq|ioredis|fastify|@fastify|@octokit|prom-client|simple-git)\//;
const validateSarif = compileSarifSchema();
// biome-ignore lint/suspicious/noExplicitAny: a parsed SARIF log is walked freely in assertions
type Json = any;

/** A file whose line 3 holds `token` at column 16 (UTF-16, 1-based) to 56. */
function configWith(token: string): string {
  return `// settings\nexport const region = "eu";\nconst token = "${token}";\n`;
}

function errorLines(stdout: string): string[] {
  return stdout.split("\n").filter((l) => l.startsWith("::error"));
}

describe("action: push", () => {
  const oldKey = crcToken("ghp_");
  const newKey = crcToken("ghp_");
  const origin = GitRepo.init();
  const first = origin.commit("old key, already pushed", { files: { "legacy.ts": configWith(oldKey) } });
  const clean = origin.commit("docs", { files: { "README.md": "# shop\n" } });
  const leaky = origin.commit("add config", { files: { "config/app.ts": configWith(newKey) } });
  const checkout = cloneOf(origin);
  const push = (before: string, after: string) => ({
    ref: "refs/heads/main",
    before,
    after,
    repository: { default_branch: "main" },
  });

  it("a push that adds a key fails, annotates the exact line, writes the summary, SARIF and outputs", () => {
    const r = runAction(checkout, "push", push(clean, leaky));
    assert.equal(r.code, 1, r.stdout);
    const errors = errorLines(r.stdout);
    assert.equal(errors.length, 1, "only what the push added: the older key is not reported");
    assert.match(
      errors[0]!,
      /^::error file=config\/app\.ts,line=3,endLine=3,col=16,endColumn=56,title=GitHub secret \(github-pat\)::critical GitHub secret ghp_.{4}… in commit [0-9a-f]{40}/,
    );
    assert.ok(errors[0]!.includes(leaky));
    assert.ok(!r.stdout.includes(newKey) && !r.summary.includes(newKey), "the key itself is never printed");
    assert.match(r.stdout, /^leakstop: 1 leak found$/m);

    assert.match(r.summary, /^### leakstop: 1 leak found/);
    assert.match(r.summary, /Scanned: push to refs\/heads\/main: [0-9a-f]{12}\.\.[0-9a-f]{12} \(1 commit\)/);
    assert.ok(r.summary.includes(`https://github.com/acme/shop/blob/${leaky}/config/app.ts#L3`));

    assert.deepEqual(r.outputs, { findings: "1", sarif: join(checkout, "leakstop.sarif") });
    const log: Json = JSON.parse(readFileSync(r.outputs.sarif!, "utf8"));
    const { valid, errors: schemaErrors } = validateSarif(log);
    assert.ok(valid, schemaErrors.join("\n"));
    const [result] = log.runs[0].results;
    assert.equal(log.runs[0].results.length, 1);
    assert.equal(result.ruleId, "github-pat");
    assert.deepEqual(result.locations[0].physicalLocation.region, {
      startLine: 3,
      startColumn: 16,
      endLine: 3,
      endColumn: 56,
    });
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, "config/app.ts");
    assert.equal(result.partialFingerprints.commitSha, leaky);
    assert.equal(result.properties.commit, leaky);
    assert.equal(result.properties.repository, "acme/shop");
    assert.ok(!readFileSync(r.outputs.sarif!, "utf8").includes(newKey));
  });

  it("a clean push passes", () => {
    const r = runAction(checkout, "push", push(first, clean));
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(errorLines(r.stdout), []);
    assert.match(r.summary, /^### leakstop: no leaks found/);
    assert.equal(r.outputs.findings, "0");
    assert.ok(validateSarif(JSON.parse(readFileSync(r.outputs.sarif!, "utf8"))).valid);
  });

  it("fail-on-findings: false reports and passes; a baseline hides known findings", () => {
    const lenient = runAction(checkout, "push", push(clean, leaky), { "INPUT_FAIL-ON-FINDINGS": "false" });
    assert.equal(lenient.code, 0);
    assert.equal(lenient.outputs.findings, "1");
    assert.equal(errorLines(lenient.stdout).length, 1);
    const fingerprint = JSON.parse(readFileSync(lenient.outputs.sarif!, "utf8")).runs[0].results[0].partialFingerprints[
      "leakstop/v1"
    ];
    const baseline = join(checkout, "..", "baseline.json");
    writeFileSync(
      baseline,
      JSON.stringify({
        version: 1,
        tool: "leakstop",
        fingerprints: [{ fingerprint, ruleId: "github-pat", path: "config/app.ts" }],
      }),
    );
    const known = runAction(checkout, "push", push(clean, leaky), { INPUT_BASELINE: baseline });
    assert.equal(known.code, 0, known.stdout);
    assert.match(known.summary, /1 known finding\(s\) hidden by the baseline/);
  });

  it("loads no queue, Redis, HTTP server or GitHub client module (the scan side only)", () => {
    const trace = join(checkout, "..", "imports.txt");
    writeFileSync(trace, "");
    const r = runAction(checkout, "push", push(clean, leaky), { LEAKSTOP_TRACE_IMPORTS: trace }, ["--import", TRACER]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const loaded = readFileSync(trace, "utf8").split("\n");
    assert.ok(
      loaded.some((m) => m.includes("/dist/src/scan/scan-range.js")),
      "the trace works",
    );
    assert.deepEqual(
      loaded.filter((m) => FORBIDDEN.test(m)),
      [],
    );
  });

  it("format: text prints the text report instead of annotations", () => {
    const r = runAction(checkout, "push", push(clean, leaky), { INPUT_FORMAT: "text" });
    assert.equal(r.code, 1);
    assert.deepEqual(errorLines(r.stdout), []);
    assert.match(r.stdout, /^github-pat · critical · config\/app\.ts:3:16 @[0-9a-f]{12} · code · ghp_/m);
  });
});

describe("action: first push, pull request, schedule", () => {
  const onMain = crcToken("ghp_");
  const onFeature = crcToken("ghp_");
  const inHistory = crcToken("ghp_");
  const origin = GitRepo.init();
  origin.commit("base", { files: { "a.txt": "a\n" } });
  const gone = origin.commit("oops", { files: { "deploy/env.ts": configWith(inHistory) } });
  origin.commit("remove it", { files: { "deploy/env.ts": null } });
  origin.branch("feature");
  const featureKey = origin.commit("feature work", { files: { "src/client.ts": configWith(onFeature) } });
  const featureTip = origin.commit("more", { files: { "src/more.ts": "export {};\n" } });
  origin.checkout("main");
  const mainTip = origin.commit("main moves on", { files: { "main.ts": configWith(onMain) } });
  const checkout = cloneOf(origin);

  it("a branch's first push (before = zeros) scans the branch's own commits", () => {
    const payload = {
      ref: "refs/heads/feature",
      before: ZERO,
      after: featureTip,
      created: true,
      repository: { default_branch: "main" },
    };
    const r = runAction(checkout, "push", payload);
    assert.equal(r.code, 1, r.stdout);
    const errors = errorLines(r.stdout);
    assert.equal(errors.length, 1, r.stdout);
    assert.match(errors[0]!, /^::error file=src\/client\.ts,line=3,/);
    assert.ok(errors[0]!.includes(featureKey));
  });

  it("a pull request scans its commits from the merge base, not what main gained since", () => {
    const payload = { pull_request: { number: 7, base: { sha: mainTip }, head: { sha: featureTip } } };
    const r = runAction(checkout, "pull_request", payload);
    assert.equal(r.code, 1, r.stdout);
    const errors = errorLines(r.stdout);
    assert.equal(errors.length, 1, r.stdout);
    assert.match(errors[0]!, /^::error file=src\/client\.ts,line=3,endLine=3,col=16,endColumn=56,/);
    assert.match(r.summary, /Scanned: pull request #7: /);
  });

  it("a scheduled run scans the full history, a deleted key included, at the commit that added it", () => {
    const r = runAction(checkout, "schedule", {});
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.outputs.findings, "3", r.stdout);
    const deleted = errorLines(r.stdout).find((l) => l.includes("file=deploy/env.ts"));
    assert.ok(deleted, r.stdout);
    assert.ok(deleted.includes(`in commit ${gone}`));
    assert.match(r.summary, /Scanned: full history \(schedule\)/);
    const log: Json = JSON.parse(readFileSync(r.outputs.sarif!, "utf8"));
    assert.ok(validateSarif(log).valid);
    const commits = log.runs[0].results.map((x: Json) => x.partialFingerprints.commitSha);
    assert.ok(commits.includes(gone));
  });
});

describe("action: tag push", () => {
  const inTag = crcToken("ghp_");
  const origin = GitRepo.init();
  const base = origin.commit("base", { files: { "a.txt": "a\n" } });
  origin.tag("v1", { message: `Release 1\n\ndeploy token ${inTag}` });
  origin.tag("v1-clean", { message: "Release 1, clean" });
  origin.tag("light");
  origin.tag("tree", { at: `${base}^{tree}`, message: `tree ${inTag}` });
  const checkout = cloneOf(origin);
  const tagId = (name: string) => origin.git("rev-parse", name).trim();
  const push = (ref: string, after: string) => ({
    ref,
    before: ZERO,
    after,
    created: true,
    repository: { default_branch: "main" },
  });

  it("a tag push whose message holds a key fails, names the tag, and writes a valid SARIF file", () => {
    const r = runAction(checkout, "push", push("refs/tags/v1", tagId("v1")));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const errors = errorLines(r.stdout);
    assert.equal(errors.length, 1, r.stdout);
    assert.ok(errors[0]!.includes(`in tag v1 (tag message, tag object ${tagId("v1")})`), errors[0]);
    assert.ok(!errors[0]!.includes("file="), "a message has no file to point at");
    assert.match(r.summary, /tag <code>v1<\/code> message, line 3/);
    assert.ok(r.summary.includes("https://github.com/acme/shop/releases/tag/v1"), r.summary);
    assert.ok(!r.stdout.includes(inTag) && !r.summary.includes(inTag), "the key itself is never printed");
    const log: Json = JSON.parse(readFileSync(r.outputs.sarif!, "utf8"));
    assert.ok(validateSarif(log).valid);
    const [result] = log.runs[0].results;
    assert.deepEqual([result.properties.tag, result.properties.commit], ["v1", tagId("v1")]);
  });

  it("a clean annotated tag, a lightweight tag (after: the commit) and a tag of a tree never crash", () => {
    for (const [ref, after] of [
      ["refs/tags/v1-clean", tagId("v1-clean")],
      ["refs/tags/light", base],
      ["refs/tags/v1", base],
    ] as const) {
      const r = runAction(checkout, "push", push(ref, after));
      assert.equal(r.code, 0, `${ref}: ${r.stdout}${r.stderr}`);
      assert.deepEqual(errorLines(r.stdout), [], ref);
    }
    const tree = runAction(checkout, "push", push("refs/tags/tree", tagId("tree")));
    assert.equal(tree.code, 1, tree.stdout + tree.stderr);
    assert.equal(errorLines(tree.stdout).length, 1, tree.stdout);
    assert.match(tree.stdout, /tag of no commit/);
  });

  it("a scheduled run finds the key in the tag messages (each tag object once)", () => {
    const r = runAction(checkout, "schedule", {});
    assert.equal(r.code, 1, r.stdout);
    const tags = errorLines(r.stdout).map((l) => /in tag (\S+) \(tag message/.exec(l)?.[1]);
    assert.deepEqual(tags.sort(), ["tree", "v1"]);
    // One secret in two tag messages: one SARIF result, each location naming its tag and tag object.
    const log: Json = JSON.parse(readFileSync(r.outputs.sarif!, "utf8"));
    assert.ok(validateSarif(log).valid);
    assert.equal(log.runs[0].results.length, 1);
    const places = log.runs[0].results[0].locations.map((l: Json) => [l.properties.tag, l.properties.commit]);
    assert.deepEqual(places.sort(), [
      ["tree", tagId("tree")],
      ["v1", tagId("v1")],
    ]);
  });
});
