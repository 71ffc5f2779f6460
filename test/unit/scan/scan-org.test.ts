/**
 * The org-scan use case with real mirrors and a recording history scanner: what it is asked to
 * scan (exclude lists for --since-last), when state is written, and that one failing repository
 * never stops the others. (The e2e test runs the real history scanner.)
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Finding } from "../../../src/findings/finding.js";
import { type HistoryScanResult, type OrgScanOptions, scanOrgRepos } from "../../../src/scan/scan-org.js";
import { gitRoot, Origin } from "../../helpers/org-origin.js";

function fakeFinding(path: string): Finding {
  return {
    ruleId: "demo",
    provider: "Demo",
    description: "d",
    severity: "high",
    path,
    startLine: 1,
    endLine: 1,
    startColumn: 1,
    endColumn: 2,
    match: "x…",
    secretHash: "0".repeat(64),
    fingerprint: "f",
    validated: null,
    entropy: 1,
    source: "history",
    tags: [],
  };
}

function recorder(fail: Set<string> = new Set()) {
  const calls: { gitDir: string; exclude: string[] }[] = [];
  const scanHistory = async (gitDir: string, exclude: string[]): Promise<HistoryScanResult> => {
    calls.push({ gitDir, exclude: [...exclude].sort() });
    if ([...fail].some((name) => gitDir.endsWith(`/${name}.git`))) throw new Error("scanner broke");
    return { findings: [fakeFinding("a.txt")], files: 1, bytes: 4 };
  };
  return { calls, scanHistory };
}

function setup() {
  const root = gitRoot();
  const cacheDir = mkdtempSync(join(tmpdir(), "leakstop-cache-"));
  const api = new Origin(root, "api");
  const web = new Origin(root, "web");
  const repos = [
    { fullName: "acme/api", cloneUrl: api.bare },
    { fullName: "acme/web", cloneUrl: web.bare },
  ];
  return { root, cacheDir, api, web, repos };
}

const base = (cacheDir: string, scanHistory: OrgScanOptions["scanHistory"]): OrgScanOptions => ({
  cacheDir,
  sinceLast: true,
  concurrency: 2,
  auth: { token: null },
  rulesDigest: "r1",
  scanHistory,
});

describe("scanOrgRepos", () => {
  it("tags findings with the repository and scans only what is new with --since-last", async () => {
    const { cacheDir, api, web, repos } = setup();
    const a1 = api.commit("a1", { "a.txt": "1" });
    web.commit("w1", { "w.txt": "1" });

    const r1 = recorder();
    const first = await scanOrgRepos(repos, base(cacheDir, r1.scanHistory));
    assert.deepEqual(
      first.outcomes.map((o) => [o.repository, o.status, o.mode, o.fullBecause]),
      [
        ["acme/api", "scanned", "full", "no earlier scan"],
        ["acme/web", "scanned", "full", "no earlier scan"],
      ],
    );
    assert.deepEqual(
      first.findings.map((f) => [f.repository, f.source]),
      [
        ["acme/api", "org"],
        ["acme/web", "org"],
      ],
    );
    assert.ok(r1.calls.every((c) => c.exclude.length === 0));

    const a2 = api.commit("a2", { "b.txt": "2" });
    const r2 = recorder();
    const second = await scanOrgRepos(repos, base(cacheDir, r2.scanHistory));
    assert.deepEqual(
      second.outcomes.map((o) => [o.status, o.mode, o.mirror]),
      [
        ["scanned", "incremental", "fetched"],
        ["up-to-date", "incremental", "fetched"],
      ],
    );
    assert.deepEqual(r2.calls, [{ gitDir: r2.calls[0]!.gitDir, exclude: [a1] }], "web had nothing new: not scanned");
    const state = JSON.parse(readFileSync(join(cacheDir, "state", "local", "acme", "api.json"), "utf8"));
    assert.deepEqual(state.tips, [a2]);
    assert.equal(state.repository, "acme/api");
  });

  it("scans everything again without --since-last, or when the rules changed", async () => {
    const { cacheDir, api, web, repos } = setup();
    api.commit("a1", { "a.txt": "1" });
    web.commit("w1", { "w.txt": "1" });
    await scanOrgRepos(repos, base(cacheDir, recorder().scanHistory));
    const all = recorder();
    await scanOrgRepos(repos, { ...base(cacheDir, all.scanHistory), sinceLast: false });
    assert.deepEqual(
      all.calls.map((c) => c.exclude),
      [[], []],
    );
    const changed = recorder();
    const r = await scanOrgRepos(repos, { ...base(cacheDir, changed.scanHistory), rulesDigest: "r2" });
    assert.deepEqual(
      r.outcomes.map((o) => [o.mode, o.fullBecause]),
      [
        ["full", "rules changed"],
        ["full", "rules changed"],
      ],
    );
  });

  it("reports a failing repository and goes on; its state is not written, so the next run retries it", async () => {
    const { root, cacheDir, api, web, repos } = setup();
    api.commit("a1", { "a.txt": "1" });
    web.commit("w1", { "w.txt": "1" });
    new Origin(root, "empty");
    const list = [
      ...repos,
      { fullName: "acme/gone", cloneUrl: join(root, "gone.git") },
      { fullName: "acme/empty", cloneUrl: join(root, "empty.git") },
    ];
    const r = recorder(new Set(["web"]));
    const out = await scanOrgRepos(list, base(cacheDir, r.scanHistory));
    assert.deepEqual(
      out.outcomes.map((o) => [o.repository, o.status]),
      [
        ["acme/api", "scanned"],
        ["acme/web", "failed"],
        ["acme/gone", "failed"],
        ["acme/empty", "empty"],
      ],
    );
    assert.equal(out.outcomes[1]!.error, "scanner broke");
    assert.match(out.outcomes[2]!.error!, /^fatal: .*gone\.git/);
    assert.deepEqual(
      out.findings.map((f) => f.repository),
      ["acme/api"],
    );
    assert.ok(!existsSync(join(cacheDir, "state", "local", "acme", "web.json")));
    const again = recorder();
    await scanOrgRepos(repos, base(cacheDir, again.scanHistory));
    assert.deepEqual(
      again.calls.map((c) => c.exclude.length),
      [0],
      "web is scanned in full again; api is up to date",
    );
  });

  it("refuses a repository name that would escape the cache folder", async () => {
    const { cacheDir, api } = setup();
    api.commit("a1", { "a.txt": "1" });
    const out = await scanOrgRepos(
      [{ fullName: "acme/..", cloneUrl: api.bare }],
      base(cacheDir, recorder().scanHistory),
    );
    assert.equal(out.outcomes[0]!.status, "failed");
    assert.match(out.outcomes[0]!.error!, /invalid repository name/);
  });
});
