/**
 * `leakstop scan --history` through the built CLI, on real git repositories built at test time:
 * secrets that live only in history are found once, at the commit, path, line and column that
 * introduced them; bad input exits 2 with one line.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Finding } from "../../src/findings/finding.js";
import { GitRepo } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { leakstop } from "./cli.js";

function history(dir: string, ...extra: string[]): { code: number; findings: Finding[]; stderr: string } {
  const r = leakstop(["scan", dir, "--history", "--format", "json", "--show-secrets", ...extra]);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  return { code: r.code, findings: JSON.parse(r.stdout) as Finding[], stderr: r.stderr };
}

const bySecret = (fs: Finding[], secret: string) => fs.filter((f) => f.match === secret);

describe("scan --history", () => {
  it("finds a secret added then deleted, at the introducing commit, path, line and column", () => {
    const repo = GitRepo.init();
    const token = crcToken("ghp_");
    repo.commit("readme", { files: { "README.md": "# app\n" } });
    const added = repo.commit("add config", {
      files: { "config/app.env": `# settings\nNAME=app\n  GITHUB_TOKEN=${token}\n` },
      author: { name: "Mallory", email: "mallory@example.com" },
      date: "2024-03-04T05:06:07Z",
    });
    repo.commit("remove config", { files: { "config/app.env": null } });
    const { code, findings } = history(repo.dir);
    assert.equal(code, 1);
    const [f, ...more] = bySecret(findings, token);
    assert.deepEqual(more, []);
    assert.equal(f?.source, "history");
    assert.equal(f?.commit, added);
    assert.equal(f?.path, "config/app.env");
    assert.deepEqual([f?.startLine, f?.startColumn, f?.endColumn], [3, 16, 16 + token.length]);
    assert.deepEqual([f?.author, f?.email, f?.date], ["Mallory", "mallory@example.com", "2024-03-04T05:06:07+00:00"]);
    // The working tree alone is clean: the secret lives only in history.
    assert.equal(leakstop(["scan", repo.dir, "--format", "json"]).code, 0);
  });

  it("reports a secret kept through 5 later edits and a rename once, at its introduction", () => {
    const repo = GitRepo.init();
    const token = crcToken("ghp_");
    const intro = repo.commit("add", { files: { "src/a.ts": `const t = "${token}";\n` } });
    for (let i = 1; i <= 5; i++)
      repo.commit(`edit ${i}`, { files: { "src/a.ts": `// v${i}\nconst t = "${token}";\n` } });
    repo.rename("src/a.ts", "lib/b.ts");
    repo.commit("rename");
    repo.commit("edit after rename", { files: { "lib/b.ts": `// moved\n// again\nconst t = "${token}";\n` } });
    const found = bySecret(history(repo.dir).findings, token);
    assert.equal(found.length, 1, JSON.stringify(found.map((f) => [f.commit, f.path])));
    assert.deepEqual([found[0]?.commit, found[0]?.path, found[0]?.startLine], [intro, "src/a.ts", 1]);
  });

  it("finds secrets on another branch only, in a tag-only commit and in a commit message", () => {
    const repo = GitRepo.init();
    repo.commit("init", { files: { "a.txt": "a\n" } });
    const onBranch = crcToken("ghp_");
    repo.branch("feature");
    const branchCommit = repo.commit("wip", { files: { "b.env": `TOKEN=${onBranch}\n` } });
    repo.checkout("main");
    const onTag = crcToken("ghp_");
    repo.git("checkout", "-q", "--detach");
    const tagCommit = repo.commit("release build", { files: { "dist/c.js": `var k="${onTag}";\n` } });
    repo.tag("v1.0.0", { message: "release" });
    repo.checkout("main");
    const inMessage = crcToken("ghp_");
    const msgCommit = repo.commit(`fix login\n\nused token\n  ${inMessage} to test\n`, { files: { "a.txt": "b\n" } });
    const { findings } = history(repo.dir);
    assert.deepEqual(
      bySecret(findings, onBranch).map((f) => [f.commit, f.path]),
      [[branchCommit, "b.env"]],
    );
    assert.deepEqual(
      bySecret(findings, onTag).map((f) => [f.commit, f.path]),
      [[tagCommit, "dist/c.js"]],
    );
    const [m] = bySecret(findings, inMessage);
    assert.deepEqual([m?.commit, m?.path, m?.startLine, m?.startColumn], [msgCommit, "", 4, 3]);
    assert.equal(m?.fileKind, "docs", "a commit message is labelled docs, not code");
    // --branch limits the walk to one branch.
    const mainOnly = history(repo.dir, "--branch", "main").findings;
    assert.deepEqual(bySecret(mainOnly, onBranch), []);
    assert.equal(bySecret(mainOnly, inMessage).length, 1);
  });

  it("attributes a secret that only a merge's conflict resolution introduced to the merge", () => {
    const repo = GitRepo.init();
    repo.commit("base", { files: { "app.cfg": "key = none\n" } });
    repo.branch("feature");
    repo.commit("feature value", { files: { "app.cfg": "key = feature\n" } });
    repo.checkout("main");
    repo.commit("main value", { files: { "app.cfg": "key = main\n" } });
    const token = crcToken("ghp_");
    const merge = repo.merge("feature", { files: { "app.cfg": `# resolved\nkey = ${token}\n` } });
    const [f, ...more] = bySecret(history(repo.dir).findings, token);
    assert.deepEqual(more, []);
    assert.deepEqual([f?.commit, f?.path, f?.startLine, f?.startColumn], [merge, "app.cfg", 2, 7]);
  });

  it("a merge that only carries a branch's secret over does not claim it", () => {
    const repo = GitRepo.init();
    repo.commit("base", { files: { "a.txt": "a\n" } });
    repo.branch("feature");
    const token = crcToken("ghp_");
    const intro = repo.commit("secret", { files: { "s.env": `T=${token}\n` } });
    repo.checkout("main");
    repo.commit("other", { files: { "a.txt": "b\n" } });
    repo.merge("feature");
    assert.deepEqual(
      bySecret(history(repo.dir).findings, token).map((f) => f.commit),
      [intro],
    );
  });

  it("limits to commits since a date, composes with --baseline, and scans a bare clone", () => {
    const repo = GitRepo.init();
    const old = crcToken("ghp_");
    const recent = crcToken("ghp_");
    repo.commit("old", { files: { "o.env": `T=${old}\n` }, date: "2020-01-01T00:00:00Z" });
    repo.commit("recent", { files: { "r.env": `T=${recent}\n` }, date: "2024-06-01T00:00:00Z" });
    const since = history(repo.dir, "--since", "2023-01-01").findings;
    assert.deepEqual(bySecret(since, old), []);
    assert.equal(bySecret(since, recent).length, 1);
    const baseline = join(mkdtempSync(join(tmpdir(), "leakstop-bl-")), "baseline.json");
    const written = leakstop(["scan", repo.dir, "--history", "--write-baseline", baseline, "--format", "json"]);
    assert.equal(written.code, 1);
    const again = leakstop(["scan", repo.dir, "--history", "--baseline", baseline, "--format", "json"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), []);
    const bare = repo.cloneBare();
    assert.equal(bySecret(history(bare).findings, old).length, 1);
  });

  it("warns about a shallow clone and scans what it holds", () => {
    const repo = GitRepo.init();
    const early = crcToken("ghp_");
    repo.commit("early", { files: { "e.env": `T=${early}\n` } });
    repo.commit("drop", { files: { "e.env": null } });
    const late = crcToken("ghp_");
    repo.commit("late", { files: { "l.env": `T=${late}\n` } });
    const shallow = repo.cloneShallow(1);
    const r = history(shallow.dir);
    assert.match(r.stderr, /^leakstop: warning: .* is a shallow clone/m);
    assert.equal(bySecret(r.findings, late).length, 1);
    assert.deepEqual(bySecret(r.findings, early), []);
  });

  it("skips binary blobs and streams a blob bigger than one chunk", () => {
    const repo = GitRepo.init();
    const inBinary = crcToken("ghp_");
    const inBig = crcToken("ghp_");
    const filler = "x".repeat(99) + "\n";
    const big = `${filler.repeat(90_000)}TOKEN=${inBig}\n${filler.repeat(10)}`;
    repo.commit("assets", {
      files: { "logo.dat": Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`T=${inBinary}`)]), "big.txt": big },
    });
    const r = leakstop(["scan", repo.dir, "--history", "--format", "json", "--show-secrets", "--verbose"]);
    const findings = JSON.parse(r.stdout) as Finding[];
    assert.deepEqual(bySecret(findings, inBinary), []);
    const [f] = bySecret(findings, inBig);
    assert.deepEqual([f?.path, f?.startLine, f?.startColumn], ["big.txt", 90_001, 7]);
    assert.match(r.stderr, /skipped logo\.dat \(blob [0-9a-f]{12}\) \(binary\)/);
  });

  it("a folder that is not a repository, a bad --branch and misplaced flags exit 2 with one line", () => {
    const plain = mkdtempSync(join(tmpdir(), "leakstop-plain-"));
    writeFileSync(join(plain, "a.txt"), "a\n");
    const env = { GIT_CEILING_DIRECTORIES: tmpdir() };
    const cases: [string[], RegExp][] = [
      [["scan", plain, "--history"], /^leakstop: not a git repository: /],
      [["scan", join(plain, "missing"), "--history"], /^leakstop: path not found: /],
      [["scan", "--since", "2024-01-01"], /^leakstop: scan: --since needs --history/],
      [["scan", "--history", "--stdin"], /^leakstop: scan: --stdin and --history cannot be combined/],
    ];
    const repo = GitRepo.init();
    repo.commit("one", { files: { "a.txt": "a\n" } });
    cases.push([
      ["scan", repo.dir, "--history", "--branch", "no-such-branch"],
      /^leakstop: unknown git revision "no-such-branch"/,
    ]);
    // git reads a --since it cannot parse as "now": that would scan nothing and exit 0.
    cases.push([
      ["scan", repo.dir, "--history", "--since", "yesteday"],
      /^leakstop: --since: git reads "yesteday" as now, so no commit would be scanned/,
    ]);
    for (const [args, message] of cases) {
      const r = leakstop(args, { env });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  });

  it("says so when a blob of a damaged repository cannot be read, and a missing tree is an error", () => {
    const repo = GitRepo.init();
    repo.commit("one", { files: { "a.txt": "alpha\n", "b.txt": "beta\n" } });
    const blob = repo.blob("HEAD", "b.txt");
    rmSync(join(repo.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const r = leakstop(["scan", repo.dir, "--history"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^leakstop: warning: 1 object of the repository could not be read/m);
    const tree = repo.git("rev-parse", "HEAD^{tree}").trim();
    rmSync(join(repo.dir, ".git", "objects", tree.slice(0, 2), tree.slice(2)));
    const broken = leakstop(["scan", repo.dir, "--history"]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^leakstop: git log failed in .*: .*tree/);
    assert.equal(broken.stderr.trim().split("\n").length, 1, broken.stderr);
  });

  it("never prints a raw secret by default", () => {
    const repo = GitRepo.init();
    const token = crcToken("ghp_");
    repo.commit("add", { files: { "a.env": `T=${token}\n` } });
    const r = leakstop(["scan", repo.dir, "--history"]);
    assert.equal(r.code, 1);
    assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token));
    assert.match(r.stdout, /a\.env:1:3 @[0-9a-f]{7,}/);
    assert.match(r.stdout, /scanned 1 commit \(/);
  });
});
