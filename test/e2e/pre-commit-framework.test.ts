/**
 * This repository as a pre-commit framework hook repo (.pre-commit-hooks.yaml), run by the real
 * `pre-commit` (Debian's package; .ci/run installs it), offline: `language: system` uses the
 * leakstop on PATH, here a shim to this build.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { GitRepo, USER_GIT_ENV } from "../helpers/git-repo.js";
import { crcToken } from "../helpers/secrets.js";
import { CLI } from "./cli.js";

const HOOKS_FILE = join(CLI, "..", "..", ".pre-commit-hooks.yaml");
const hasFramework = spawnSync("pre-commit", ["--version"]).status === 0;
const work = mkdtempSync(join(tmpdir(), "leakstop-pcf-"));
const repos: GitRepo[] = [];
after(() => {
  for (const r of repos) r.remove();
  rmSync(work, { recursive: true, force: true });
});

/** A hook repository holding this repository's manifest, committed (pre-commit clones it by path). */
function hooksRepo(): { dir: string; rev: string } {
  const hooks = repo();
  copyFileSync(HOOKS_FILE, join(hooks.dir, ".pre-commit-hooks.yaml"));
  hooks.git("add", ".pre-commit-hooks.yaml");
  return { dir: hooks.dir, rev: hooks.commit("hooks") };
}

function configFor(hooks: { dir: string; rev: string }, ids: string[]): string {
  const list = ids.map((id) => `      - id: ${id}\n`).join("");
  return `repos:\n  - repo: ${hooks.dir}\n    rev: ${hooks.rev}\n    hooks:\n${list}`;
}

function repo(): GitRepo {
  const r = GitRepo.init();
  repos.push(r);
  return r;
}

/** PATH with a `leakstop` that runs this build; pre-commit's cache in a temp dir; no user git config. */
function env(): NodeJS.ProcessEnv {
  const bin = join(work, "bin");
  spawnSync("mkdir", ["-p", bin]);
  writeFileSync(join(bin, "leakstop"), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
  return {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    PRE_COMMIT_HOME: join(work, "cache"),
    ...USER_GIT_ENV,
    NO_COLOR: "1",
  };
}

function run(cwd: string, cmd: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, env: env(), encoding: "utf8" });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe("pre-commit framework", {
  skip: hasFramework ? false : "pre-commit is not installed (apt-get install pre-commit)",
}, () => {
  it("uses .pre-commit-hooks.yaml: blocks a commit adding a token, passes a clean one and a wrong checksum", () => {
    const user = repo();
    user.commit("config", {
      files: { ".pre-commit-config.yaml": configFor(hooksRepo(), ["leakstop", "leakstop-pre-push"]) },
    });
    const inst = run(user.dir, "pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "pre-push");
    assert.equal(inst.code, 0, inst.out);

    writeFileSync(join(user.dir, "clean.txt"), "nothing here\n");
    run(user.dir, "git", "add", "clean.txt");
    const ok = run(user.dir, "git", "commit", "-q", "-m", "clean");
    assert.equal(ok.code, 0, ok.out);

    const t = crcToken("ghp_");
    writeFileSync(join(user.dir, "bad.env"), `X=${t.slice(0, -1)}${t.endsWith("A") ? "B" : "A"}\n`);
    run(user.dir, "git", "add", "bad.env");
    const wrong = run(user.dir, "git", "commit", "-q", "-m", "wrong checksum");
    assert.equal(wrong.code, 0, wrong.out);

    writeFileSync(join(user.dir, "leak.env"), `A=1\nTOKEN=${crcToken("ghp_")}\n`);
    run(user.dir, "git", "add", "leak.env");
    const blocked = run(user.dir, "git", "commit", "-q", "-m", "leak");
    assert.equal(blocked.code, 1, blocked.out);
    assert.match(blocked.out, /commit blocked: 1 secret in the staged changes/);
    assert.match(blocked.out, /leak\.env:2:7/);
  });

  it("with both hooks installed, a push is judged by its commits, not by what is staged", () => {
    const remote = repo().cloneBare();
    const user = repo();
    user.commit("base", {
      files: { "a.txt": "a\n", ".pre-commit-config.yaml": configFor(hooksRepo(), ["leakstop", "leakstop-pre-push"]) },
    });
    const inst = run(user.dir, "pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "pre-push");
    assert.equal(inst.code, 0, inst.out);
    run(user.dir, "git", "remote", "add", "origin", remote);
    writeFileSync(join(user.dir, "wip.env"), `T=${crcToken("ghp_")}\n`);
    run(user.dir, "git", "add", "wip.env");
    const p = run(user.dir, "git", "push", "-q", "origin", "main");
    assert.equal(p.code, 0, p.out);
    assert.doesNotMatch(p.out, /blocked/);
  });

  it("the pre-push hook scans what the push adds", () => {
    const remote = repo().cloneBare();
    const user = repo();
    user.commit("base", {
      files: { "a.txt": "a\n", ".pre-commit-config.yaml": configFor(hooksRepo(), ["leakstop-pre-push"]) },
    });
    assert.equal(run(user.dir, "pre-commit", "install", "--hook-type", "pre-push").code, 0);
    run(user.dir, "git", "remote", "add", "origin", remote);
    assert.equal(run(user.dir, "git", "push", "-q", "origin", "main").code, 0);
    user.commit("leak", { files: { "k.env": `T=${crcToken("ghp_")}\n` } });
    const p = run(user.dir, "git", "push", "-q", "origin", "main");
    assert.equal(p.code, 1, p.out);
    assert.match(p.out, /push blocked: 1 secret in the commits being pushed/);
  });
});
