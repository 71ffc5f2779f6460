import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readEventRequest, requestOf, ZERO_SHA } from "../../../src/action/event.js";
import { tempDir } from "./git-fixture.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  assert.fail("expected an error");
}

function envWith(name: string, payload: unknown): NodeJS.ProcessEnv {
  const path = join(tempDir(), "event.json");
  writeFileSync(path, typeof payload === "string" ? payload : JSON.stringify(payload));
  return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path };
}

describe("push payloads", () => {
  const base = { ref: "refs/heads/main", before: A, after: B, repository: { default_branch: "main" } };

  it("an ordinary push names before and after", () => {
    assert.deepEqual(requestOf("push", base), {
      kind: "push",
      ref: "refs/heads/main",
      before: A,
      after: B,
      forced: false,
      defaultBranch: "main",
    });
  });

  it("a first push has no before; a forced push says so", () => {
    const first = requestOf("push", { ...base, before: ZERO_SHA, created: true });
    assert.equal(first.kind === "push" && first.before, null);
    const forced = requestOf("push", { ...base, forced: true });
    assert.equal(forced.kind === "push" && forced.forced, true);
  });

  it("a deleted branch has nothing to scan", () => {
    const r = requestOf("push", { ...base, after: ZERO_SHA, deleted: true });
    assert.equal(r.kind, "nothing");
    assert.match(r.kind === "nothing" ? r.reason : "", /"refs\/heads\/main" was deleted/);
  });

  it("a payload without commit ids is an event error", () => {
    const err = errorOf(() => requestOf("push", { ...base, after: "HEAD" }));
    assert.equal(err.code, "LS_ACTION_EVENT");
    assert.equal(err.message, "the event payload's after is not a commit id");
    assert.equal(errorOf(() => requestOf("push", { before: A, after: B })).message, "the push payload has no ref");
  });
});

describe("pull request and merge group payloads", () => {
  it("base and head shas with the pull request's number", () => {
    const r = requestOf("pull_request", {
      pull_request: { number: 7, base: { sha: A }, head: { sha: B.toUpperCase() } },
    });
    assert.deepEqual(r, { kind: "compare", event: "pull_request", base: A, head: B, label: "pull request #7" });
  });

  it("a merge group compares its base and head", () => {
    const r = requestOf("merge_group", { merge_group: { base_sha: A, head_sha: B } });
    assert.equal(r.kind === "compare" && r.base, A);
  });

  it("a pull request payload without a head is an event error", () => {
    const err = errorOf(() => requestOf("pull_request_target", { pull_request: { base: { sha: A } } }));
    assert.equal(err.message, "the event payload has no pull_request.head");
  });
});

describe("reading the event", () => {
  it("schedule and workflow_dispatch scan the full history without reading the payload", () => {
    assert.deepEqual(readEventRequest({ GITHUB_EVENT_NAME: "schedule" }), { kind: "history", event: "schedule" });
    assert.equal(readEventRequest({ GITHUB_EVENT_NAME: "workflow_dispatch" }).kind, "history");
  });

  it("reads the payload file of a push", () => {
    const env = envWith("push", { ref: "refs/heads/x", before: A, after: B });
    assert.equal(readEventRequest(env).kind, "push");
  });

  it("says what is wrong with a missing, unreadable or malformed payload", () => {
    const cases: [NodeJS.ProcessEnv, RegExp][] = [
      [{}, /^GITHUB_EVENT_NAME is not set/],
      [{ GITHUB_EVENT_NAME: "push" }, /^GITHUB_EVENT_PATH is not set/],
      [
        { GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: "/nonexistent/event.json" },
        /cannot read the event payload .*ENOENT/,
      ],
      [envWith("push", "{not json"), /is not JSON$/],
      [envWith("push", "[1]"), /is not a JSON object$/],
      [{ GITHUB_EVENT_NAME: "issues" }, /^the "issues" event is not supported \(use push, pull_request/],
    ];
    for (const [env, expected] of cases) {
      const err = errorOf(() => readEventRequest(env));
      assert.equal(err.code, "LS_ACTION_EVENT");
      assert.match(err.message, expected);
    }
  });
});
