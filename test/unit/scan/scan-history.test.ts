/**
 * scanHistory as other use cases call it (org scans): worker threads and the in-process path
 * agree, `exclude` leaves out what an earlier scan covered, and unknown exclude revisions are
 * reported, not fatal. Big histories are built with `git fast-import`, real git all the same.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildRuleSet } from "../../../src/config/ruleset.js";
import { scanHistory } from "../../../src/scan/scan-history.js";
import { GitRepo, git } from "../../helpers/git-repo.js";
import { crcToken } from "../../helpers/secrets.js";

/** A repository of `n` commits, each rewriting data.txt; `secrets[i]` is added in commit i. */
function bigRepo(n: number, secrets: Map<number, string>): GitRepo {
  const repo = GitRepo.init();
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const body = `version ${i}\n${secrets.has(i) ? `TOKEN=${secrets.get(i)}\n` : ""}`;
    lines.push(
      "commit refs/heads/main",
      `mark :${i}`,
      `committer Ada <ada@example.com> ${1_700_000_000 + i * 60} +0000`,
      `data ${Buffer.byteLength(`commit ${i}\n`)}`,
      `commit ${i}`,
      ...(i > 1 ? [`from :${i - 1}`] : []),
      `M 100644 inline data.txt`,
      `data ${Buffer.byteLength(body)}`,
      body,
    );
  }
  git(repo.dir, ["fast-import", "--quiet"], {}, `${lines.join("\n")}\n`);
  git(repo.dir, ["reset", "-q", "--hard", "main"]);
  return repo;
}

const ruleSet = buildRuleSet(null, []);
const opts = { threads: 2, showSecrets: true, maxFileSize: 0 };

describe("scanHistory", () => {
  const first = crcToken("ghp_");
  const second = crcToken("ghp_");
  const repo = bigRepo(
    1500,
    new Map([
      [700, first],
      [1400, second],
    ]),
  );
  const commits = repo.git("rev-list", "--reverse", "main").trim().split("\n");

  it("finds each secret once, at its commit, on worker threads and in process alike", async () => {
    const pooled = await scanHistory(ruleSet, { ...opts, repo: repo.dir });
    const inProcess = await scanHistory(ruleSet, { ...opts, repo: repo.dir, threads: 1 });
    const where = (fs: typeof pooled.findings) => fs.map((f) => [f.match, f.commit, f.path, f.startLine]);
    assert.deepEqual(where(pooled.findings), [
      [first, commits[699], "data.txt", 2],
      [second, commits[1399], "data.txt", 2],
    ]);
    assert.deepEqual(where(inProcess.findings), where(pooled.findings));
    assert.equal(pooled.stats.commits, 1500);
    assert.equal(pooled.stats.blobs, 1500);
    assert.equal(pooled.stats.files, 3000, "every blob and every message");
    assert.equal(pooled.stats.shallow, false);
  });

  it("leaves out what `exclude` revisions reach, and ignores ones the repository lacks", async () => {
    const r = await scanHistory(ruleSet, { ...opts, repo: repo.dir, exclude: [commits[999]!, "f".repeat(40)] });
    assert.deepEqual(
      r.findings.map((f) => f.match),
      [second],
    );
    assert.equal(r.stats.commits, 500);
    assert.deepEqual(r.stats.excludeMissing, ["f".repeat(40)]);
  });

  it("reports progress up to every listed text", async () => {
    let last: [number, number] = [0, 0];
    await scanHistory(ruleSet, {
      ...opts,
      repo: repo.dir,
      since: "@1700060000",
      onProgress: (d, l) => (last = [d, l]),
    });
    assert.ok(last[0] > 0 && last[0] === last[1], String(last));
  });

  it("a worker that cannot start fails the scan with its error code", async () => {
    const bad = { ...ruleSet.rules[0]!, id: "bad-rule", regex: "(unclosed", origin: "user.toml" };
    const broken = { ...ruleSet, rules: [...ruleSet.rules, bad] };
    await assert.rejects(scanHistory(broken, { ...opts, repo: repo.dir }), { code: "LS_RULES_INVALID" });
  });
});
