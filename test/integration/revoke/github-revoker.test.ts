/**
 * The GitHub revoker against a local server answering the credential revocation endpoint:
 * 202 → revoked, 422 → rejected, 5xx or no server → failed (BullMQ retries); the body is
 * `{ credentials: [token] }`, and no outcome's detail repeats the token.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createGitHubRevoker } from "../../../src/revoke/providers/github.js";
import { providerRevokersFromEnv, revokerForRule } from "../../../src/revoke/providers/index.js";
import { freePort } from "../../helpers/redis-server.js";
import { crcToken } from "../../helpers/secrets.js";
import { type FakeCredentialsApi, startFakeCredentialsApi } from "./fake-credentials-api.js";

describe("GitHub credential revocation", () => {
  let api: FakeCredentialsApi;
  const answers: number[] = [];
  before(async () => {
    api = await startFakeCredentialsApi((n) => answers[n] ?? 202);
  });
  after(async () => {
    await api.close();
  });

  it("202: revoked; the token goes in the JSON body only", async () => {
    answers.length = 0;
    answers.push(202);
    const token = crcToken("ghp_");
    const r = createGitHubRevoker({ apiUrl: api.apiUrl, token: "ghes-token-abc" });
    const out = await r.revoke(token, "github-pat");
    assert.deepEqual(out, { outcome: "revoked", detail: "GitHub accepted the revocation (202)" });
    const req = api.requests.at(-1)!;
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/api/v3/credentials/revoke");
    assert.deepEqual(JSON.parse(req.body), { credentials: [token] });
    assert.equal(req.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(req.headers.authorization, "token ghes-token-abc", "GitHub Enterprise gets GITHUB_TOKEN");
    assert.ok(!req.path.includes(token));
  });

  it("422: rejected (GitHub will not revoke it), the detail never repeats the token", async () => {
    answers.length = 0;
    api.requests.length = 0;
    answers.push(422);
    const token = crcToken("ghp_");
    const out = await createGitHubRevoker({ apiUrl: api.apiUrl }).revoke(token, "github-pat");
    assert.equal(out.outcome, "rejected");
    assert.match(out.detail, /^GitHub at http:\/\/127\.0\.0\.1:\d+\/api\/v3 refused the revocation \(422 /);
    assert.ok(!out.detail.includes(token), out.detail);
    assert.equal(api.requests.length, 1, "no retry inside the revoker");
    assert.equal(api.requests[0]!.headers.authorization, undefined);
  });

  it("5xx: failed, so the job is retried; no retry inside the revoker", async () => {
    for (const status of [500, 502]) {
      answers.length = 0;
      api.requests.length = 0;
      answers.push(status);
      const out = await createGitHubRevoker({ apiUrl: api.apiUrl }).revoke(crcToken("gho_"), "github-oauth-token");
      assert.equal(out.outcome, "failed");
      assert.match(out.detail, new RegExp(`answered ${status}`));
      assert.equal(api.requests.length, 1);
    }
  });

  it("no server: failed with the socket's reason", async () => {
    const port = await freePort();
    const out = await createGitHubRevoker({ apiUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 }).revoke(
      crcToken("ghp_"),
      "github-pat",
    );
    assert.equal(out.outcome, "failed");
    assert.match(out.detail, /did not answer \((ECONNREFUSED|network error)\)/);
  });

  it("handles the rules queue/revocable-rules.ts maps to github, and only those", () => {
    const revokers = providerRevokersFromEnv({ GITHUB_API_URL: api.apiUrl });
    assert.equal(revokerForRule(revokers, "github-pat")?.name, "github");
    assert.equal(revokerForRule(revokers, "github-fine-grained-pat")?.name, "github");
    assert.equal(revokerForRule(revokers, "github-app-installation-token"), undefined);
    assert.equal(revokerForRule(revokers, "aws-access-key-id"), undefined);
    assert.throws(() => providerRevokersFromEnv({ GITHUB_API_URL: "ftp://x" }), { code: "LS_CONFIG_INVALID" });
  });
});
