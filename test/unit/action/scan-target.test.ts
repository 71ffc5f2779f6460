import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventRequest } from "../../../src/action/event.js";
import { openCheckout } from "../../../src/action/git-checkout.js";
import { resolveScanTarget } from "../../../src/action/scan-target.js";
import { GitRepo } from "../../helpers/git-repo.js";
import { cloneOf, tempDir } from "./git-fixture.js";

const MISSING = "d".repeat(40);

function push(over: Partial<Extract<EventRequest, { kind: "push" }>>): EventRequest {
  return {
    kind: "push",
    ref: "refs/heads/main",
    before: null,
    after: "",
    forced: false,
    defaultBranch: "main",
    ...over,
  };
}

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail("expected an error");
}

describe("push targets", () => {
  const origin = GitRepo.init();
  const a = origin.commit("a", { files: { "a.txt": "a\n" } });
  const b = origin.commit("b", { files: { "b.txt": "b\n" } });
  origin.branch("feature", a);
  const c = origin.commit("c", { files: { "c.txt": "c\n" } });
  const d = origin.commit("d", { files: { "d.txt": "d\n" } });
  origin.tag("v1", { at: b, message: "release" });
  const tagObject = origin.git("rev-parse", "v1").trim();
  origin.checkout("main");
  const checkout = openCheckout(cloneOf(origin));

  it("an ordinary push scans before..after", () => {
    const t = resolveScanTarget(push({ before: a, after: b }), checkout);
    assert.deepEqual([t.kind, t.kind === "range" && t.base, t.kind === "range" && t.head], ["range", a, b]);
    assert.deepEqual(t.notes, []);
  });

  it("a branch's first push (before = zeros) scans what the default branch lacks", () => {
    const t = resolveScanTarget(push({ ref: "refs/heads/feature", after: d }), checkout);
    assert.equal(t.kind, "range");
    assert.equal(t.kind === "range" && t.base, a, "the merge base with origin/main");
    assert.equal(t.kind === "range" && t.head, d);
    assert.match(t.notes[0]!.text, /first push: the commits not on the default branch \(main\)/);
  });

  it("the first push of the default branch scans all its commits", () => {
    const t = resolveScanTarget(push({ after: b }), checkout);
    assert.equal(t.kind === "range" && t.base, null);
    assert.deepEqual(t.notes, [], "scanRange explains its reading of a range from the zero id");
  });

  it("a forced push whose old tip is gone falls back to the default branch", () => {
    const t = resolveScanTarget(push({ ref: "refs/heads/feature", before: MISSING, after: d, forced: true }), checkout);
    assert.equal(t.kind === "range" && t.base, a);
    assert.match(t.label, /forced push/);
  });

  it("a forced push whose old tip is still there scans before..after", () => {
    const t = resolveScanTarget(push({ ref: "refs/heads/feature", before: c, after: d, forced: true }), checkout);
    assert.equal(t.kind === "range" && t.base, c);
  });

  it("an annotated tag is peeled to its commit; a tag on the default branch adds nothing", () => {
    const t = resolveScanTarget(push({ ref: "refs/tags/v1", after: tagObject }), checkout);
    assert.equal(t.kind === "range" && t.head, b);
    assert.equal(t.kind === "range" && t.base, b, "an empty range");
  });

  it("a missing before commit without a forced push is an error naming fetch-depth: 0", () => {
    const err = codeOf(() => resolveScanTarget(push({ before: MISSING, after: b }), checkout));
    assert.equal(err.code, "LS_ACTION_CHECKOUT");
    assert.match(err.message, /commit before the push \(dddddddddddd\) is not in the checkout: .*fetch-depth: 0/);
  });

  it("a deleted branch scans nothing", () => {
    const t = resolveScanTarget({ kind: "nothing", reason: "gone" }, checkout);
    assert.equal(t.kind, "nothing");
  });
});

describe("shallow checkouts", () => {
  const origin = GitRepo.init();
  const a = origin.commit("a", { files: { "a.txt": "a\n" } });
  const b = origin.commit("b", { files: { "b.txt": "b\n" } });
  const shallow = openCheckout(cloneOf(origin, 1));

  it("a push whose before commit was not fetched says to use fetch-depth: 0", () => {
    assert.equal(shallow.shallow, true);
    const err = codeOf(() => resolveScanTarget(push({ before: a, after: b }), shallow));
    assert.equal(err.code, "LS_ACTION_CHECKOUT");
    assert.match(err.message, /^the commit before the push \([0-9a-f]{12}\) is not in the checkout: .*fetch-depth: 0$/);
  });

  it("a first push in a shallow checkout cannot know what it added", () => {
    const err = codeOf(() => resolveScanTarget(push({ after: b }), shallow));
    assert.match(err.message, /first push needs the full history/);
  });

  it("a history scan of a shallow checkout goes on, with a warning", () => {
    const t = resolveScanTarget({ kind: "history", event: "schedule" }, shallow);
    assert.equal(t.kind, "history");
    assert.equal(t.notes[0]!.level, "warning");
    assert.match(t.notes[0]!.text, /shallow/);
  });
});

describe("pull request targets", () => {
  const origin = GitRepo.init();
  origin.commit("a", { files: { "a.txt": "a\n" } });
  const b = origin.commit("b", { files: { "b.txt": "b\n" } });
  origin.branch("feature");
  origin.commit("c", { files: { "c.txt": "c\n" } });
  const d = origin.commit("d", { files: { "d.txt": "d\n" } });
  origin.checkout("main");
  const e = origin.commit("e", { files: { "e.txt": "e\n" } });
  const checkout = openCheckout(cloneOf(origin));
  const pr = (base: string, head: string, event = "pull_request"): EventRequest => ({
    kind: "compare",
    event,
    base,
    head,
    label: "pull request #7",
  });

  it("scans the pull request's commits from the merge base, not what main gained since", () => {
    const t = resolveScanTarget(pr(e, d), checkout);
    assert.equal(t.kind === "range" && t.base, b);
    assert.equal(t.kind === "range" && t.head, d);
    assert.match(t.label, /^pull request #7: [0-9a-f]{12}\.\.[0-9a-f]{12}$/);
  });

  it("pull_request_target without the head commit says how to check it out", () => {
    const err = codeOf(() => resolveScanTarget(pr(e, MISSING, "pull_request_target"), checkout));
    assert.equal(err.code, "LS_ACTION_CHECKOUT");
    assert.match(
      err.message,
      /head commit .* fetch-depth: 0 and ref: \$\{\{ github\.event\.pull_request\.head\.sha \}\}/,
    );
  });
});

it("a folder that is no git checkout is an error", () => {
  const err = codeOf(() => openCheckout(tempDir()));
  assert.equal(err.code, "LS_ACTION_CHECKOUT");
  assert.match(err.message, /is not a git checkout: run actions\/checkout/);
});
