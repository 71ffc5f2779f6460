/** Org enumeration against a local GitHub stand-in: pagination, filters, retries, and errors that never show the token. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGitHubClient, gitHubError, normalizeApiUrl } from "../../../src/github/client.js";
import { listOrgRepos } from "../../../src/github/org-repos.js";
import { type FakeGitHub, startFakeGitHub } from "../../helpers/github-server.js";

const TOKEN = "ghp_fakeTokenForTests0123456789abcdefABCD";
const ALL = { includeArchived: true, includeForks: true };

describe("listOrgRepos", () => {
  let gh: FakeGitHub;
  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    gh.orgs.set(
      "acme",
      Array.from({ length: 250 }, (_, i) => ({
        name: `repo-${String(i).padStart(3, "0")}`,
        archived: i === 7,
        fork: i === 8,
        disabled: i === 9,
      })),
    );
  });
  after(() => gh.close());
  const client = (token: string | null = TOKEN) => createGitHubClient({ token, apiUrl: gh.apiUrl });

  it("follows every Link page, 100 a page, sending the token", async () => {
    gh.requests.length = 0;
    const { repos, skipped } = await listOrgRepos(client(), "acme", ALL);
    assert.equal(repos.length + skipped.length, 250);
    assert.deepEqual(
      gh.requests.map((r) => new URL(r.url, gh.url).searchParams.get("page") ?? "1"),
      ["1", "2", "3"],
    );
    assert.ok(gh.requests.every((r) => new URL(r.url, gh.url).searchParams.get("per_page") === "100"));
    assert.ok(gh.requests.every((r) => r.authorization === `token ${TOKEN}`));
    assert.equal(repos[0]!.fullName, "acme/repo-000");
    assert.match(repos[0]!.cloneUrl, /^http:\/\/127\.0\.0\.1:\d+\/git\/repo-000\.git$/);
  });

  it("scans archived repositories and skips forks and disabled ones by default", async () => {
    const { repos, skipped } = await listOrgRepos(client(), "acme", { includeArchived: true, includeForks: false });
    assert.deepEqual(skipped, [
      { fullName: "acme/repo-008", reason: "fork" },
      { fullName: "acme/repo-009", reason: "disabled" },
    ]);
    assert.ok(repos.some((r) => r.fullName === "acme/repo-007" && r.archived));
    const noArchived = await listOrgRepos(client(), "acme", { includeArchived: false, includeForks: true });
    assert.deepEqual(
      noArchived.skipped.map((s) => s.reason),
      ["archived", "disabled"],
    );
  });

  it("retries a 5xx answer and a secondary rate limit, then succeeds", async () => {
    gh.requests.length = 0;
    gh.faults.push(
      { path: /page=2/, status: 502, message: "Server Error" },
      {
        path: /page=3/,
        status: 403,
        headers: { "retry-after": "1" },
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    );
    const waits: string[] = [];
    const c = createGitHubClient({ token: TOKEN, apiUrl: gh.apiUrl, onWait: (m) => waits.push(m) });
    const { repos, skipped } = await listOrgRepos(c, "acme", ALL);
    assert.equal(repos.length + skipped.length, 250);
    assert.equal(gh.requests.length, 5, "two pages were asked twice");
    assert.equal(gh.faults.length, 0);
    assert.equal(waits.length, 1);
    assert.match(waits[0]!, /secondary rate limit/);
  });

  it("waits for a spent primary rate limit to reset, then goes on", async () => {
    gh.requests.length = 0;
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    gh.faults.push({
      path: /page=2/,
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      message: "API rate limit exceeded for user ID 1.",
    });
    const waits: string[] = [];
    const c = createGitHubClient({ token: TOKEN, apiUrl: gh.apiUrl, onWait: (m) => waits.push(m) });
    const { repos, skipped } = await listOrgRepos(c, "acme", ALL);
    assert.equal(repos.length + skipped.length, 250);
    assert.equal(gh.requests.length, 4);
    assert.match(waits[0]!, /rate limit reached .*; waiting \d+ s for its reset/);
  });

  it("gives up on a rate limit whose reset is too far away: LS_GITHUB_API, one line", async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 3600);
    gh.faults.push({
      path: /page=1/,
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      message: "API rate limit exceeded for user ID 1.",
    });
    const err = await listOrgRepos(client(), "acme", ALL).then(
      () => assert.fail("should fail"),
      (e: unknown) => gitHubError(e, 'organization "acme"', gh.apiUrl, TOKEN),
    );
    assert.equal(err.code, "LS_GITHUB_API");
    assert.match(err.message, /refused \(403 rate limit exhausted until \d{4}-\d\d-\d\dT/);
  });

  it("a rejected token is LS_GITHUB_AUTH, and the message never holds the token", async () => {
    const bad = `${TOKEN}x`;
    const err = await listOrgRepos(client(bad), "acme", ALL).then(
      () => assert.fail("should fail"),
      (e: unknown) => gitHubError(e, 'organization "acme"', gh.apiUrl, bad),
    );
    assert.equal(err.code, "LS_GITHUB_AUTH");
    assert.equal(err.exitCode, 2);
    assert.match(err.message, /rejected GITHUB_TOKEN \(401 Bad credentials\)/);
    assert.ok(!err.message.includes(bad) && !err.message.includes(TOKEN));
    assert.ok(!err.message.includes("\n"));
  });

  it("an unknown organization is LS_GITHUB_NOT_FOUND", async () => {
    const err = await listOrgRepos(client(), "nope", ALL).then(
      () => assert.fail("should fail"),
      (e: unknown) => gitHubError(e, 'organization "nope"', gh.apiUrl, TOKEN),
    );
    assert.equal(err.code, "LS_GITHUB_NOT_FOUND");
    assert.match(err.message, /organization "nope": not found/);
  });

  it("an API that does not answer is LS_GITHUB_API naming the socket error", async () => {
    const closed = await startFakeGitHub();
    const apiUrl = closed.apiUrl;
    await closed.close();
    const c = createGitHubClient({ token: TOKEN, apiUrl, retries: 0 });
    const err = await listOrgRepos(c, "acme", ALL).then(
      () => assert.fail("should fail"),
      (e: unknown) => gitHubError(e, 'organization "acme"', apiUrl, TOKEN),
    );
    assert.equal(err.code, "LS_GITHUB_API");
    assert.match(err.message, /ECONNREFUSED/);
  });
});

describe("normalizeApiUrl", () => {
  it("keeps an http(s) URL without its trailing slash and refuses the rest", () => {
    assert.equal(normalizeApiUrl("https://ghe.example.com/api/v3/", "--api-url"), "https://ghe.example.com/api/v3");
    assert.throws(() => normalizeApiUrl("ghe.example.com", "--api-url"), { code: "LS_USAGE" });
    assert.throws(() => normalizeApiUrl("ftp://ghe.example.com", "--api-url"), { code: "LS_USAGE" });
    assert.throws(
      () => normalizeApiUrl("https://me:pw@ghe.example.com/api/v3", "GITHUB_API_URL"),
      (e: Error) => {
        return (e as { code?: string }).code === "LS_USAGE" && !e.message.includes("pw");
      },
    );
  });
});
