/**
 * `leakstop org-scan` end to end: the built CLI talks to a GitHub stand-in on 127.0.0.1 (REST API
 * with pagination, git over smart HTTP behind the token) and scans the history of a local org.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type FakeGitHub, startFakeGitHub } from "../helpers/github-server.js";
import { gitRoot, Origin } from "../helpers/org-origin.js";
import { crcToken } from "../helpers/secrets.js";
import { leakstopAsync as run } from "./cli.js";

const TOKEN = "ghp_e2eOrgScanToken0123456789abcdefABCDEF";

type JsonFinding = { repository: string; source: string; path: string; commit: string; secretHash: string };

describe("leakstop org-scan against a local org", () => {
  let gh: FakeGitHub;
  const root = gitRoot();
  const cache = mkdtempSync(join(tmpdir(), "leakstop-orgcache-"));
  const secrets = { api1: crcToken("ghp_"), api2: crcToken("ghp_"), web: crcToken("ghp_"), old: crcToken("ghp_") };
  const origins: Record<string, Origin> = {};
  let api1 = "";
  const env = () => ({ GITHUB_TOKEN: TOKEN, XDG_CACHE_HOME: cache });
  const base = () => ["org-scan", "--org", "acme", "--api-url", gh.apiUrl, "--cache-dir", cache];

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN, gitRoot: root });
    for (const name of ["api", "web", "docs", "legacy", "a-fork"]) origins[name] = new Origin(root, name);
    api1 = origins.api!.commit("config", { "config/.env": `GITHUB_TOKEN=${secrets.api1}\n` });
    origins.api!.commit("clean up", { "config/.env": "GITHUB_TOKEN=\n" });
    origins.web!.commit("ci", { "ci/deploy.sh": `export GH_TOKEN=${secrets.web}\n` });
    origins.docs!.commit("readme", { "README.md": "# docs\n" });
    origins.legacy!.commit("old", { "old.env": `GITHUB_TOKEN=${secrets.old}\n` });
    origins["a-fork"]!.commit("fork", { "f.env": `GITHUB_TOKEN=${crcToken("ghp_")}\n` });
    gh.orgs.set("acme", [
      { name: "api" },
      { name: "web" },
      { name: "docs" },
      { name: "legacy", archived: true },
      { name: "a-fork", fork: true },
      { name: "broken", cloneUrl: `${gh.url}/git/does-not-exist.git` },
    ]);
  });
  after(() => gh.close());

  it("finds keys across the org's repositories, reports the broken one, and goes on", async () => {
    const r = await run([...base(), "--format", "json"], env());
    assert.equal(r.code, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    const where = findings.map((f) => [f.repository, f.path, f.source]).sort();
    assert.deepEqual(where, [
      ["acme/api", "config/.env", "org"],
      ["acme/legacy", "old.env", "org"],
      ["acme/web", "ci/deploy.sh", "org"],
    ]);
    assert.equal(
      findings.find((f) => f.repository === "acme/api")!.commit,
      api1,
      "attributed to the commit that added it",
    );
    assert.match(r.stderr, /^leakstop: acme\/broken: failed: .+$/m);
    assert.match(r.stderr, /skipped 1 repository \(1 fork; --verbose lists them\)/);
    assert.match(r.stderr, /org-scan acme: 5 repositories · 4 scanned · 1 failed \(acme\/broken\) · 3 leaks/);
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
    for (const text of [r.stdout, r.stderr]) {
      assert.ok(!text.includes(TOKEN) && !text.includes(basic));
      for (const s of Object.values(secrets)) assert.ok(!text.includes(s), "secrets stay redacted");
    }
  });

  it("--since-last scans only new commits: an old secret is not reported again, a new one is", async () => {
    origins.api!.commit("oops", { "src/client.ts": `const token = "${secrets.api2}";\n` });
    const r = await run([...base(), "--since-last", "--format", "json"], env());
    assert.equal(r.code, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    assert.deepEqual(
      findings.map((f) => [f.repository, f.path]),
      [["acme/api", "src/client.ts"]],
    );
    assert.match(r.stderr, /acme\/api: fetched · new commits only · 1 commit, /);
    assert.match(r.stderr, /acme\/web: fetched · no new commits since the last scan/);
    assert.match(r.stderr, /acme\/broken: failed: /);

    const again = await run([...base(), "--since-last"], env());
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^no leaks found/m);
    assert.match(
      again.stderr,
      /org-scan acme: 5 repositories · 0 scanned · 4 up to date · 1 failed \(acme\/broken\) · 0 leaks/,
    );
  });

  it("without --since-last, the whole history is scanned again", async () => {
    const r = await run([...base(), "--format", "jsonl", "--exclude-archived", "--skip-repo", "broken"], env());
    assert.equal(r.code, 1, r.stderr);
    const repos = r.stdout
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as JsonFinding).repository)
      .sort();
    assert.deepEqual(repos, ["acme/api", "acme/api", "acme/web"]);
    assert.doesNotMatch(r.stderr, /failed/);
  });

  it("a rejected token is one line and exit 2, without the token", async () => {
    const bad = `${TOKEN}x`;
    const r = await run(base(), { ...env(), GITHUB_TOKEN: bad });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^leakstop: GitHub at http:\/\/127\.0\.0\.1:\d+\/api\/v3 rejected GITHUB_TOKEN \(401 Bad credentials\)/,
    );
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.ok(!r.stderr.includes(bad));
  });

  it("an unknown org is one line and exit 2", async () => {
    const r = await run(["org-scan", "--org", "nobody", "--api-url", gh.apiUrl, "--cache-dir", cache], env());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^leakstop: organization "nobody": not found at /);
  });

  it("exits 2 when not one repository could be scanned", async () => {
    gh.orgs.set("ghosts", [{ name: "gone", cloneUrl: `${gh.url}/git/gone.git` }]);
    const r = await run(["org-scan", "--org", "ghosts", "--api-url", gh.apiUrl, "--cache-dir", cache], env());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^leakstop: ghosts\/gone: failed: /m);
    assert.match(r.stderr, /^leakstop: org-scan ghosts: none of its 1 repositories could be scanned/m);
  });
});
