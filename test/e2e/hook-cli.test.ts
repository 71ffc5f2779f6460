/** `leakstop hook install` / `hook run` with real git: commits and pushes that add a secret are refused. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type GitRepo, tempRepos, USER_GIT_ENV } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { leakstop } from "./cli.js";

const repo = tempRepos();

/** git as a user runs it: hooks on, the machine's config kept out. */
function git(cwd: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      NO_COLOR: "1",
      ...USER_GIT_ENV,
    },
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function stageAndCommit(r: GitRepo, files: Record<string, string>, message = "change"): { code: number; out: string } {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(r.dir, rel, ".."), { recursive: true });
    writeFileSync(join(r.dir, rel), text);
    git(r.dir, "add", "--", rel);
  }
  return git(r.dir, "commit", "-q", "-m", message);
}

const wrongChecksum = (t: string) => t.slice(0, -1) + (t.endsWith("A") ? "B" : "A");
const hookPath = (r: GitRepo, name = "pre-commit") => join(r.dir, ".git", "hooks", name);

describe("hook install + pre-commit", () => {
  it("refuses a commit that adds a live-looking token, with what, where and the three ways out", () => {
    const r = repo();
    const inst = leakstop(["hook", "install"], { cwd: r.dir });
    assert.equal(inst.code, 0, inst.stderr);
    assert.match(inst.stdout, /installed the pre-commit hook/);
    assert.ok(statSync(hookPath(r)).mode & 0o100, "the hook is executable");
    const token = crcToken("ghp_");
    const c = stageAndCommit(r, { "src/app.ts": `// app\nexport const token = "${token}";\n` });
    assert.equal(c.code, 1);
    assert.match(c.out, /commit blocked: 1 secret in the staged changes/);
    assert.match(c.out, /src\/app\.ts:2:23 {2}github-pat \(GitHub, critical, code\)/);
    assert.match(c.out, /remove the secret/);
    assert.match(c.out, /leakstop:allow/);
    assert.match(c.out, /leakstop hook accept/);
    assert.ok(!c.out.includes(token), "the secret is redacted");
    assert.notEqual(git(r.dir, "rev-parse", "--verify", "-q", "HEAD").code, 0, "nothing was committed");
  });

  it("git commit -a and git commit <path> (a temporary index) are checked too", () => {
    const r = repo();
    assert.equal(stageAndCommit(r, { "a.env": "x=1\n" }).code, 0);
    assert.equal(leakstop(["hook", "install"], { cwd: r.dir }).code, 0);
    writeFileSync(join(r.dir, "a.env"), `x=1\nT=${crcToken("ghp_")}\n`);
    const all = git(r.dir, "commit", "-qam", "all");
    assert.equal(all.code, 1);
    assert.match(all.out, /a\.env:2:3/);
    assert.equal(git(r.dir, "commit", "-q", "a.env", "-m", "path").code, 1);
  });

  it("leakstop:allow lets it through; a wrong checksum never blocks; only added lines count", () => {
    const r = repo();
    assert.equal(leakstop(["hook", "install"], { cwd: r.dir }).code, 0);
    const token = crcToken("ghp_");
    assert.equal(stageAndCommit(r, { "a.ts": `const t = "${token}"; // leakstop:allow\n` }).code, 0);
    assert.equal(stageAndCommit(r, { "b.ts": `const t = "${wrongChecksum(crcToken("ghp_"))}";\n` }).code, 0);
    // The allowed token is already committed: editing another line of that file does not block.
    assert.equal(stageAndCommit(r, { "a.ts": `const t = "${token}"; // leakstop:allow\nconst x = 1;\n` }).code, 0);
  });

  it("a GitHub token in a docker config.json auth is judged by its checksum: a wrong one never blocks", () => {
    const r = repo();
    assert.equal(leakstop(["hook", "install"], { cwd: r.dir }).code, 0);
    const config = (token: string) =>
      `{"auths": {"ghcr.io": {"auth": "${Buffer.from(`octocat:${token}`).toString("base64")}"}}}\n`;
    const wrong = stageAndCommit(r, { ".docker/config.json": config(wrongChecksum(crcToken("ghp_"))) });
    assert.equal(wrong.code, 0, wrong.out);
    const right = stageAndCommit(r, { ".docker/config.json": config(crcToken("ghp_")) });
    assert.equal(right.code, 1);
    assert.match(right.out, /\.docker\/config\.json:1:\d+ {2}docker-config-auth/);
  });

  it("a CR-only file: a secret committed before does not block the next edit of that file", () => {
    const r = repo();
    const token = crcToken("ghp_");
    assert.equal(stageAndCommit(r, { "mac.txt": `a\rT=${token}\r` }).code, 0);
    assert.equal(leakstop(["hook", "install"], { cwd: r.dir }).code, 0);
    const edit = stageAndCommit(r, { "mac.txt": `a\rT=${token}\rb\r` });
    assert.equal(edit.code, 0, edit.out);
    const added = stageAndCommit(r, { "mac.txt": `a\rT=${token}\rb\rU=${crcToken("ghp_")}\r` });
    assert.equal(added.code, 1);
    assert.match(added.out, /mac\.txt:4:3 {2}github-pat/);
  });

  it("a baseline written with scan --staged lets known findings through", () => {
    const r = repo();
    assert.equal(leakstop(["hook", "install"], { cwd: r.dir }).code, 0);
    writeFileSync(join(r.dir, "k.env"), `T=${crcToken("ghp_")}\n`);
    git(r.dir, "add", "k.env");
    const w = leakstop(["scan", "--staged", "--write-baseline", ".leakstop-baseline.json", "--quiet"], { cwd: r.dir });
    assert.equal(w.code, 1);
    git(r.dir, "add", ".leakstop-baseline.json");
    const c = git(r.dir, "commit", "-q", "-m", "known");
    assert.equal(c.code, 0, c.out);
  });

  it("hook accept adds what is staged to the baseline, keeping its entries; the commit then passes", () => {
    const r = repo();
    assert.equal(leakstop(["hook", "install"], { cwd: r.dir }).code, 0);
    for (const name of ["one.env", "two.env"]) {
      writeFileSync(join(r.dir, name), `T=${crcToken("ghp_")}\n`);
      git(r.dir, "add", name);
      assert.equal(git(r.dir, "commit", "-q", "-m", name).code, 1);
      const a = leakstop(["hook", "accept"], { cwd: r.dir });
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, /1 new fingerprint in .*\.leakstop-baseline\.json/);
      git(r.dir, "add", ".leakstop-baseline.json");
      const c = git(r.dir, "commit", "-q", "-m", name);
      assert.equal(c.code, 0, c.out);
    }
    const baseline = JSON.parse(readFileSync(join(r.dir, ".leakstop-baseline.json"), "utf8"));
    assert.deepEqual(
      baseline.fingerprints.map((e: { path: string }) => e.path),
      ["one.env", "two.env"],
    );
  });

  it("chains with an existing hook (which still runs first, and can still block), idempotently", () => {
    const r = repo();
    const marker = join(r.dir, "ran.txt");
    writeFileSync(hookPath(r), `#!/bin/sh\necho ran >> "${marker}"\n[ ! -f "${join(r.dir, "fail")}" ]\n`, {
      mode: 0o755,
    });
    const first = leakstop(["hook", "install"], { cwd: r.dir });
    assert.match(first.stdout, /runs first/);
    const second = leakstop(["hook", "install"], { cwd: r.dir });
    assert.match(second.stdout, /already installed/);
    assert.equal(readFileSync(hookPath(r), "utf8").match(/pre-leakstop/g)?.length, 2, "chained once");
    assert.equal(stageAndCommit(r, { "ok.txt": "fine\n" }).code, 0);
    assert.equal(readFileSync(marker, "utf8"), "ran\n");
    assert.equal(stageAndCommit(r, { "leak.env": `T=${crcToken("ghp_")}\n` }).code, 1);
    assert.equal(readFileSync(marker, "utf8"), "ran\nran\n", "the old hook ran before leakstop blocked");
    git(r.dir, "reset", "-q");
    writeFileSync(join(r.dir, "fail"), "");
    assert.equal(stageAndCommit(r, { "ok2.txt": "fine\n" }).code, 1, "the old hook can still block");
  });

  it("--force replaces an existing hook (kept aside, no longer run)", () => {
    const r = repo();
    writeFileSync(hookPath(r), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    const inst = leakstop(["hook", "install", "--force"], { cwd: r.dir });
    assert.match(inst.stdout, /--force/);
    assert.ok(existsSync(`${hookPath(r)}.leakstop-replaced`));
    assert.equal(stageAndCommit(r, { "ok.txt": "fine\n" }).code, 0);
  });

  it("honours core.hooksPath and linked worktrees (.git as a file)", () => {
    const r = repo();
    git(r.dir, "config", "core.hooksPath", ".githooks");
    mkdirSync(join(r.dir, "sub"));
    assert.equal(leakstop(["hook", "install"], { cwd: join(r.dir, "sub") }).code, 0);
    assert.ok(existsSync(join(r.dir, ".githooks", "pre-commit")));
    assert.equal(stageAndCommit(r, { "x.env": `T=${crcToken("ghp_")}\n` }).code, 1);

    const w = repo();
    w.commit("base", { files: { "a.txt": "a\n" } });
    const wt = `${w.dir}-wt`;
    git(w.dir, "worktree", "add", "-q", wt);
    assert.equal(leakstop(["hook", "install"], { cwd: wt }).code, 0);
    assert.ok(existsSync(hookPath(w)), "installed in the common hooks folder");
    writeFileSync(join(wt, "y.env"), `T=${crcToken("ghp_")}\n`);
    git(wt, "add", "y.env");
    assert.equal(git(wt, "commit", "-q", "-m", "leak").code, 1);
  });

  it("usage errors exit 2 with one line", () => {
    const r = leakstop(["hook", "nope"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^leakstop: hook: unknown subcommand "nope"/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  });
});

describe("hook install --pre-push", () => {
  it("refuses a push that adds a secret, passes a clean one, scans only what the remote lacks", () => {
    const remote = repo();
    const bare = remote.cloneBare();
    const r = repo();
    r.commit("base", { files: { "a.txt": "a\n" } });
    git(r.dir, "remote", "add", "origin", bare);
    // Pushed before the hook existed: already on the remote, never blocks a later push.
    const old = crcToken("ghp_");
    r.commit("old", { files: { "old.env": `T=${old}\n` } });
    assert.equal(git(r.dir, "push", "-q", "origin", "main").code, 0);
    assert.equal(leakstop(["hook", "install", "--pre-push"], { cwd: r.dir }).code, 0);
    assert.ok(existsSync(hookPath(r, "pre-push")));

    r.commit("clean", { files: { "b.txt": "b\n" } });
    assert.equal(git(r.dir, "push", "-q", "origin", "main").code, 0, "a clean push passes");

    r.branch("topic");
    r.commit("clean topic", { files: { "c.txt": "c\n" } });
    const topic = git(r.dir, "push", "-q", "origin", "topic");
    assert.equal(topic.code, 0, `a new branch is scanned only for what the remote lacks: ${topic.out}`);

    r.commit("leak", { files: { "leak.env": `X=1\nT=${crcToken("ghp_")}\n` } });
    const p = git(r.dir, "push", "-q", "origin", "topic");
    assert.equal(p.code, 1);
    assert.match(p.out, /push blocked: 1 secret in the commits being pushed/);
    assert.match(p.out, /leak\.env:2:3 @[0-9a-f]{10}/);
    assert.equal(git(r.dir, "push", "-q", "origin", "--delete", "topic").code, 0, "deleting a branch adds nothing");
  });

  it("scans a pushed annotated tag's message: a secret there refuses the push, a clean tag or a lightweight one passes", () => {
    const remote = repo();
    const bare = remote.cloneBare();
    const r = repo();
    const c = r.commit("base", { files: { "a.txt": "a\n" } });
    git(r.dir, "remote", "add", "origin", bare);
    assert.equal(git(r.dir, "push", "-q", "origin", "main").code, 0);
    assert.equal(leakstop(["hook", "install", "--pre-push"], { cwd: r.dir }).code, 0);

    assert.equal(git(r.dir, "tag", "-a", "v1", "-m", "Release 1\n\nall good").code, 0);
    assert.equal(git(r.dir, "push", "-q", "origin", "v1").code, 0, "a clean tag passes");
    assert.equal(git(r.dir, "tag", "light").code, 0);
    assert.equal(git(r.dir, "push", "-q", "origin", "light").code, 0, "a lightweight tag passes");

    const token = crcToken("ghp_");
    assert.equal(git(r.dir, "tag", "-a", "v2", "-m", `Release 2\n\ndeploy token ${token}`).code, 0);
    const tag = git(r.dir, "rev-parse", "v2").out.trim();
    const p = git(r.dir, "push", "-q", "origin", "v2");
    assert.equal(p.code, 1, p.out);
    assert.match(p.out, /push blocked: 1 secret in the commits and tags being pushed/);
    assert.ok(p.out.includes(`tag v2 message:3:14 @${tag.slice(0, 10)}  github-pat (GitHub, critical, docs)`), p.out);
    assert.match(p.out, /git tag -f -a NAME/);
    assert.ok(!p.out.includes(token), "the secret is redacted");
    assert.equal(git(bare, "rev-parse", "--verify", "-q", "refs/tags/v2").code, 1, "the tag was not pushed");

    // Nested in a clean tag, and a tag of a tree: found, never a crash.
    assert.equal(git(r.dir, "tag", "-a", "v2-signed-off", "-m", "clean outer", "v2").code, 0);
    const nested = git(r.dir, "push", "-q", "origin", "v2-signed-off");
    assert.equal(nested.code, 1, nested.out);
    assert.match(nested.out, /tag v2 message:3:14/);
    assert.equal(git(r.dir, "tag", "-a", "tree", "-m", `tree ${token}`, `${c}^{tree}`).code, 0);
    const tree = git(r.dir, "push", "-q", "origin", "tree");
    assert.equal(tree.code, 1, tree.out);
    assert.match(tree.out, /tag tree message:1:6/);
  });
});
