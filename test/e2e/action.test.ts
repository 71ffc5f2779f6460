/** The GitHub Action's entry point, run as the runner runs it, against real local repositories. */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { GitRepo } from "../helpers/git-repo.js";
import { cloneOf, tempDir } from "../unit/action/git-fixture.js";
import { compileSarifSchema } from "../unit/output/sarif-schema.js";
import { runAction } from "./action.js";

const ZERO = "0".repeat(40);
const validateSarif = compileSarifSchema();

describe("action: bad input exits 2 with one ::error:: line", () => {
  const origin = GitRepo.init();
  const a = origin.commit("a", { files: { "a.txt": "a\n" } });
  const checkout = cloneOf(origin);

  const cases: [string, string, unknown, Record<string, string | undefined>, RegExp][] = [
    ["a missing payload file", "push", undefined, {}, /cannot read the event payload .*: ENOENT/],
    ["no GITHUB_EVENT_PATH", "push", undefined, { GITHUB_EVENT_PATH: undefined }, /GITHUB_EVENT_PATH is not set/],
    ["a payload that is not JSON", "push", "just text", {}, /not a JSON object|not JSON/],
    ["an unsupported event", "issues", {}, {}, /the "issues" event is not supported/],
    ["a malformed input", "schedule", {}, { "INPUT_FAIL-ON-FINDINGS": "maybe" }, /input fail-on-findings/],
    [
      "a before commit the checkout lacks",
      "push",
      { ref: "refs/heads/main", before: "e".repeat(40), after: a },
      {},
      /commit before the push \(eeeeeeeeeeee\) is not in the checkout: .*fetch-depth: 0/,
    ],
  ];
  for (const [what, event, payload, env, expected] of cases) {
    it(what, () => {
      const r = runAction(checkout, event, payload, env);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const lines = r.stdout.split("\n").filter(Boolean);
      assert.equal(lines.length, 1, r.stdout);
      assert.match(lines[0]!, /^::error title=leakstop::leakstop: /);
      assert.match(lines[0]!, expected);
      assert.equal(r.stderr, "");
    });
  }

  it("a workspace that is not a git checkout", () => {
    const r = runAction(tempDir(), "schedule", {});
    assert.equal(r.code, 2);
    assert.match(r.stdout, /^::error title=leakstop::leakstop: .* is not a git checkout: run actions\/checkout/);
  });
});

describe("action: nothing to scan", () => {
  it("a deleted branch passes, writes an empty SARIF file, the summary and the outputs", () => {
    const origin = GitRepo.init();
    const a = origin.commit("a", { files: { "a.txt": "a\n" } });
    const checkout = cloneOf(origin);
    const r = runAction(checkout, "push", { ref: "refs/heads/gone", before: a, after: ZERO, deleted: true });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^leakstop: nothing to scan: "refs\/heads\/gone" was deleted$/m);
    assert.match(r.summary, /^### leakstop: no leaks found/);
    assert.deepEqual(r.outputs, { findings: "0", sarif: join(checkout, "leakstop.sarif") });
    const log = JSON.parse(readFileSync(r.outputs.sarif!, "utf8"));
    assert.ok(validateSarif(log).valid);
    assert.deepEqual(log.runs[0].results, []);
    assert.equal(log.runs[0].versionControlProvenance[0].repositoryUri, "https://github.com/acme/shop");
  });

  it("server-url and server-token: a server that does not answer sends nothing and fails nothing; the token is masked", () => {
    const origin = GitRepo.init();
    const a = origin.commit("a", { files: { "a.txt": "a\n" } });
    const checkout = cloneOf(origin);
    const r = runAction(
      checkout,
      "push",
      { ref: "refs/heads/gone", before: a, after: ZERO, deleted: true },
      {
        "INPUT_SERVER-URL": "http://127.0.0.1:1",
        "INPUT_SERVER-TOKEN": "tok-123",
        INPUT_SARIF: "",
        LEAKSTOP_SPOOL_DIR: join(checkout, "..", "spool-unused"),
      },
    );
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^::add-mask::tok-123$/m);
    assert.doesNotMatch(r.stdout, /not reported|arrives with/);
    assert.ok(!existsSync(join(checkout, "..", "spool-unused")), "nothing to spool");
    assert.equal(r.outputs.sarif, "");
    assert.ok(!existsSync(join(checkout, "leakstop.sarif")), 'sarif: "" writes no file');
  });
});
