/**
 * Builds real git repositories in temporary folders for tests: commits with chosen authors and
 * dates, branches, merges (also with a hand-made conflict resolution), renames, deletes, tags,
 * shallow and bare clones. Every call runs the real `git`; a failing call throws with git's stderr.
 *
 *   const repo = GitRepo.init();
 *   const c1 = repo.commit("add config", { files: { "config/.env": "TOKEN=..." } });
 *   repo.branch("feature"); repo.commit("wip", { files: { "a.txt": "x" } }); repo.checkout("main");
 *   const m = repo.merge("feature", { files: { "a.txt": "resolved" } });  // conflict resolved by hand
 *
 * Dates default to a clock that advances one hour per commit from 2024-01-01T00:00:00Z, so commit
 * order and `--since` are deterministic; the user's git config never leaks in.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after } from "node:test";

export interface Person {
  name: string;
  email: string;
}

/** Files to write (text or bytes) or, with null, to delete; paths relative to the work tree. */
export type FileChanges = Record<string, string | Buffer | null>;

export interface CommitOptions {
  files?: FileChanges;
  author?: Person;
  /** ISO-8601; default: the repo's clock (one hour after the previous commit). */
  date?: string;
  /** Commit even when nothing changed. */
  allowEmpty?: boolean;
}

export const DEFAULT_AUTHOR: Person = { name: "Ada Lovelace", email: "ada@example.com" };

/** Environment that isolates git from the machine's and the user's configuration. */
const ISOLATED_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
};

/** git as a user runs it in the hook's tests: the machine's and the user's config kept out, commits made by Ada. */
export const USER_GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Ada",
  GIT_AUTHOR_EMAIL: "ada@example.com",
  GIT_COMMITTER_NAME: "Ada",
  GIT_COMMITTER_EMAIL: "ada@example.com",
};

/** Runs git in `cwd`; returns stdout, throws with stderr on failure. */
export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): string {
  const r = spawnSync("git", args, { cwd, env: { ...process.env, ...ISOLATED_ENV, ...env }, input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export class GitRepo {
  private clock = Date.parse("2024-01-01T00:00:00Z");

  private constructor(readonly dir: string) {}

  /** A new repository with one branch, `main` (no commits yet). */
  static init(opts: { bare?: boolean } = {}): GitRepo {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-git-"));
    git(dir, ["init", "-q", "-b", "main", ...(opts.bare ? ["--bare"] : [])]);
    git(dir, ["config", "commit.gpgsign", "false"]);
    git(dir, ["config", "tag.gpgsign", "false"]);
    return new GitRepo(dir);
  }

  /** Runs any git command in the work tree. */
  git(...args: string[]): string {
    return git(this.dir, args, this.identity(DEFAULT_AUTHOR, this.nextDate()));
  }

  /** Writes (or with null deletes) files in the work tree and stages them. */
  write(files: FileChanges): void {
    for (const [rel, content] of Object.entries(files)) {
      const abs = join(this.dir, rel);
      if (content === null) {
        git(this.dir, ["rm", "-q", "--", rel]);
        continue;
      }
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      git(this.dir, ["add", "--", rel]);
    }
  }

  /** Commits `files` (plus anything already staged) and returns the new commit's id. */
  commit(message: string, opts: CommitOptions = {}): string {
    if (opts.files) this.write(opts.files);
    const env = this.identity(opts.author ?? DEFAULT_AUTHOR, opts.date ?? this.nextDate());
    git(
      this.dir,
      ["commit", "-q", "--no-verify", ...(opts.allowEmpty ? ["--allow-empty"] : []), "-F", "-"],
      env,
      message,
    );
    return this.head();
  }

  /** Moves a file with `git mv` (commit afterwards). */
  rename(from: string, to: string): void {
    mkdirSync(dirname(join(this.dir, to)), { recursive: true });
    git(this.dir, ["mv", "--", from, to]);
  }

  /** Creates a branch at `from` (default HEAD) and checks it out. */
  branch(name: string, from = "HEAD"): void {
    git(this.dir, ["checkout", "-q", "-b", name, from]);
  }

  checkout(ref: string): void {
    git(this.dir, ["checkout", "-q", ref]);
  }

  /**
   * Merges `branch` into the current branch with a merge commit. With `files`, a conflicting merge
   * is resolved by writing them (the resolution is then the merge's own content); without, a
   * conflict throws.
   */
  merge(branch: string, opts: { message?: string; files?: FileChanges; author?: Person; date?: string } = {}): string {
    const env = this.identity(opts.author ?? DEFAULT_AUTHOR, opts.date ?? this.nextDate());
    const message = opts.message ?? `Merge ${branch}`;
    const r = spawnSync("git", ["merge", "-q", "--no-ff", "--no-edit", "-m", message, branch], {
      cwd: this.dir,
      env: { ...process.env, ...ISOLATED_ENV, ...env },
      encoding: "utf8",
    });
    if (r.status === 0 && !opts.files) return this.head();
    if (r.status !== 0 && !opts.files) throw new Error(`merge of ${branch} failed: ${r.stdout}${r.stderr}`);
    this.write(opts.files ?? {});
    if (r.status === 0) git(this.dir, ["commit", "-q", "--amend", "--no-edit", "--no-verify"], env);
    else git(this.dir, ["commit", "-q", "--no-edit", "--no-verify"], env);
    return this.head();
  }

  /** A lightweight tag, or an annotated one with `message`. */
  tag(name: string, opts: { at?: string; message?: string } = {}): void {
    const at = opts.at ?? "HEAD";
    if (opts.message) this.git("tag", "-a", name, "-m", opts.message, at);
    else this.git("tag", name, at);
  }

  head(): string {
    return git(this.dir, ["rev-parse", "HEAD"]).trim();
  }

  /** The blob id of `path` at `rev`. */
  blob(rev: string, path: string): string {
    return git(this.dir, ["rev-parse", `${rev}:${path}`]).trim();
  }

  /** A `git clone --depth N` of this repository (a shallow clone), in a new temp folder. */
  cloneShallow(depth: number, opts: { noSingleBranch?: boolean } = {}): GitRepo {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-git-shallow-"));
    const extra = opts.noSingleBranch ? ["--no-single-branch"] : [];
    git(tmpdir(), ["clone", "-q", "--depth", String(depth), ...extra, `file://${this.dir}`, dir]);
    return new GitRepo(dir);
  }

  /** A bare clone (`git clone --bare`: branches and tags), in a new temp folder; returns its path. */
  cloneBare(): string {
    const dir = mkdtempSync(join(tmpdir(), "leakstop-git-bare-"));
    git(tmpdir(), ["clone", "-q", "--bare", this.dir, dir]);
    return dir;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private identity(who: Person, date: string): NodeJS.ProcessEnv {
    return {
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
      GIT_COMMITTER_DATE: date,
    };
  }

  private nextDate(): string {
    this.clock += 3600_000;
    return new Date(this.clock).toISOString();
  }
}

/** A maker of fresh repositories for one test file: every one it made is removed when the file's tests end. */
export function tempRepos(): () => GitRepo {
  const made: GitRepo[] = [];
  after(() => {
    for (const r of made) r.remove();
  });
  return () => {
    const r = GitRepo.init();
    made.push(r);
    return r;
  };
}
