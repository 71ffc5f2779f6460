/**
 * Origins for org-scan tests: a work repository that commits and pushes to a bare repository
 * `<gitRoot>/<name>.git`, which the fake GitHub serves over smart HTTP (or tests clone by path).
 * Real git, isolated from the machine's and the user's configuration.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
  GIT_AUTHOR_NAME: "Ada Lovelace",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_COMMITTER_NAME: "Ada Lovelace",
  GIT_COMMITTER_EMAIL: "ada@example.com",
};

export function git(cwd: string, args: string[]): string {
  const r = spawnSync("git", args, { cwd, env: { ...process.env, ...ENV }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

export class Origin {
  readonly work: string;
  readonly bare: string;

  constructor(gitRoot: string, name: string) {
    this.bare = join(gitRoot, `${name}.git`);
    mkdirSync(this.bare, { recursive: true });
    git(this.bare, ["init", "-q", "--bare", "-b", "main"]);
    this.work = mkdtempSync(join(tmpdir(), "leakstop-origin-"));
    git(this.work, ["init", "-q", "-b", "main"]);
    git(this.work, ["remote", "add", "origin", this.bare]);
  }

  /** Writes the files, commits them and pushes every branch; returns the commit id. */
  commit(message: string, files: Record<string, string>): string {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(this.work, rel)), { recursive: true });
      writeFileSync(join(this.work, rel), text);
      git(this.work, ["add", "--", rel]);
    }
    git(this.work, ["commit", "-q", "--no-verify", "-m", message]);
    git(this.work, ["push", "-q", "origin", "--all"]);
    return git(this.work, ["rev-parse", "HEAD"]).trim();
  }
}

/** A folder for bare origins. */
export function gitRoot(): string {
  return mkdtempSync(join(tmpdir(), "leakstop-org-"));
}
