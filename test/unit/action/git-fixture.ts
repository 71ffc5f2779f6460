/** Small real git repositories for the Action's tests: an "origin" to push to and clones of it. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Ada Lovelace",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_COMMITTER_NAME: "Ada Lovelace",
  GIT_COMMITTER_EMAIL: "ada@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function tempDir(prefix = "leakstop-action-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh work tree on branch `main` with no commit yet. */
export function newRepo(): string {
  const dir = tempDir();
  git(dir, "init", "-q", "-b", "main");
  return dir;
}

/** Writes the files (path → content) and commits them; returns the new commit id. */
export function commit(repo: string, message: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
    git(repo, "add", "--", path);
  }
  git(repo, "commit", "-q", "--allow-empty", "-m", message);
  return git(repo, "rev-parse", "HEAD");
}

/** A clone as actions/checkout leaves it: every branch under refs/remotes/origin/ (or shallow, with a depth). */
export function cloneOf(origin: string, depth?: number): string {
  const dir = join(tempDir(), "checkout");
  const args = [
    "clone",
    "-q",
    ...(depth ? ["--depth", String(depth), "--no-single-branch"] : []),
    `file://${origin}`,
    dir,
  ];
  git(tempDir(), ...args);
  return dir;
}
