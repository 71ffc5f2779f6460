/**
 * Runs the real `git` binary (spawned directly, never through a shell) and turns its failures into
 * one-line LeakstopErrors: git missing, not a repository, an unknown revision, anything else (a
 * broken repository). Every git source goes through here, so every git error reads the same.
 *
 * - `runGit(cwd, args)`: output of a short command as a string (async); `runGitSync` for start-up paths.
 * - `spawnGit(cwd, args)`: a streaming process (stdin/stdout); `done` settles when it exits.
 * - `openRepo(path)`: checks that `path` is a work tree or a (bare) git dir and describes it.
 */
import { type ChildProcessByStdio, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import { LeakstopError, stripUrlCredentials } from "../../lib/errors.js";

export interface GitRunOptions {
  /** Written to git's stdin, then closed. */
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for `git diff --quiet`). Default [0]. */
  okCodes?: number[];
  /** Extra environment for this call (added to process.env). */
  env?: NodeJS.ProcessEnv;
}

/** C locale: git's messages are then stable English, which is what `gitError` classifies. */
function gitEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: "C", LANGUAGE: "C", GIT_TERMINAL_PROMPT: "0", ...extra };
}

/** The first meaningful line of git's stderr, without control characters or URL credentials. */
function firstLine(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? "";
  const clean = stripUrlCredentials(line.replace(/^(fatal|error):\s*/, "")).replace(/[\u0000-\u001f\u007f]/g, "?");
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}

/** Maps a failed git command to the error a user should see. */
export function gitError(cwd: string, args: string[], stderr: string, exit: number | null): LeakstopError {
  const detail = firstLine(stderr);
  if (/not a git repository/i.test(stderr))
    return new LeakstopError("LS_GIT_NOT_A_REPO", `not a git repository: ${cwd}`);
  const rev =
    /ambiguous argument '([^']*)': unknown revision/.exec(stderr) ??
    /bad revision '([^']*)'/.exec(stderr) ??
    /Not a valid object name:? '?([^'\s]*)/i.exec(stderr) ??
    /unknown revision or path[^']*'([^']*)'/.exec(stderr) ??
    /invalid upstream '([^']*)'/.exec(stderr);
  if (rev) return new LeakstopError("LS_GIT_BAD_REVISION", `unknown git revision "${rev[1]}" in ${cwd}`);
  const what = `git ${args.find((a, i) => !a.startsWith("-") && args[i - 1] !== "-c") ?? args[0] ?? ""}`.trim();
  const why = detail || (exit === null ? "killed" : `exit code ${exit}`);
  return new LeakstopError("LS_GIT_FAILED", `${what} failed in ${cwd}: ${why}`);
}

function spawnFailure(cwd: string, err: NodeJS.ErrnoException): LeakstopError {
  if (!existsSync(cwd)) return new LeakstopError("LS_PATH_NOT_FOUND", `path not found: ${cwd}`);
  if (err.code === "ENOENT") return new LeakstopError("LS_GIT_NOT_INSTALLED", "git is not installed (or not on PATH)");
  return new LeakstopError("LS_GIT_FAILED", `cannot run git in ${cwd}: ${err.code ?? err.message}`);
}

/** Runs a short git command and returns its stdout (utf8). Rejects with a LeakstopError. */
export function runGit(cwd: string, args: string[], opts: GitRunOptions = {}): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", args, { cwd, env: gitEnv(opts.env), stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.stdin.on("error", () => {}); // git may exit before reading its input; the exit code tells
    child.on("error", (e) => reject(spawnFailure(cwd, e)));
    child.on("close", (code) => {
      if ((opts.okCodes ?? [0]).includes(code ?? -1)) resolvePromise(Buffer.concat(out).toString("utf8"));
      else reject(gitError(cwd, args, Buffer.concat(err).toString("utf8"), code));
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Synchronous `runGit`, for paths where start-up time matters more than concurrency (the hook). */
export function runGitSync(cwd: string, args: string[], opts: GitRunOptions = {}): string {
  const r = spawnSync("git", args, {
    cwd,
    env: gitEnv(opts.env),
    input: opts.input ?? "",
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (r.error) throw spawnFailure(cwd, r.error as NodeJS.ErrnoException);
  if (!(opts.okCodes ?? [0]).includes(r.status ?? -1))
    throw gitError(cwd, args, r.stderr?.toString("utf8") ?? "", r.status);
  return r.stdout.toString("utf8");
}

/**
 * Runs git to the end while this thread waits, and returns its stdout whole; null when it wrote more
 * than `maxBytes` (git is then ended: the caller streams instead). No pipes or streams in this
 * process: for the hook, where node's stream machinery costs more than git's few milliseconds.
 * @throws LeakstopError as runGit
 */
export function runGitBuffer(cwd: string, args: string[], maxBytes: number, input = ""): Buffer | null {
  const r = spawnSync("git", args, { cwd, env: gitEnv(), input, maxBuffer: maxBytes });
  const err = r.error as NodeJS.ErrnoException | undefined;
  if (err?.code === "ENOBUFS") return null;
  if (err) throw spawnFailure(cwd, err);
  if (r.status !== 0) throw gitError(cwd, args, r.stderr?.toString("utf8") ?? "", r.status);
  return r.stdout;
}

export interface GitProcess {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  stdin: Writable;
  stdout: Readable;
  /** Resolves when git exits with an ok code; rejects with a LeakstopError otherwise (or if it cannot start). */
  done: Promise<void>;
  /** Ends the process early (SIGTERM); `done` then resolves. */
  kill(): void;
}

/**
 * Settings for the git processes of a history scan, which read every object of a repository.
 * git's delta base cache (default 96 MiB) fills up over such a read and adds its pages to each
 * process's RSS, but in a history's read order a smaller one costs no more CPU: 16 MiB took the
 * largest `git cat-file` of a git/git scan from ~350 to ~250 MB (BENCHMARKS.md, `histspeed`).
 */
export const HISTORY_GIT_CONFIG: Readonly<Record<string, string>> = { "core.deltaBaseCacheLimit": "16m" };

export interface SpawnOptions extends Omit<GitRunOptions, "input"> {
  /** `git -c NAME=VALUE` settings for this process only. */
  config?: Readonly<Record<string, string>>;
}

/** Starts a streaming git process. Read `stdout` as it comes; always await `done` (or call `kill`). */
export function spawnGit(cwd: string, args: string[], opts: SpawnOptions = {}): GitProcess {
  const git = startGit(cwd, args, "pipe", opts);
  return { ...git, stdout: git.child.stdout };
}

/**
 * `spawnGit` with git's stdout written to file descriptor `fd` (duplicated into git; close your
 * copy after the call if only git should write to it).
 */
export function spawnGitTo(
  cwd: string,
  args: string[],
  fd: number,
  opts: SpawnOptions = {},
): Omit<GitProcess, "stdout"> {
  return startGit(cwd, args, fd, opts);
}

function startGit(cwd: string, args: string[], stdout: "pipe" | number, opts: SpawnOptions) {
  const settings = Object.entries(opts.config ?? {}).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
  const child = spawn("git", [...settings, ...args], {
    cwd,
    env: gitEnv(opts.env),
    stdio: ["pipe", stdout, "pipe"],
  }) as ChildProcessByStdio<Writable, Readable, Readable>;
  let stderr = "";
  let killed = false;
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s: string) => {
    if (stderr.length < 64 * 1024) stderr += s;
  });
  child.stdin.on("error", () => {});
  const done = new Promise<void>((resolvePromise, reject) => {
    child.on("error", (e) => reject(spawnFailure(cwd, e)));
    child.on("close", (code) => {
      if (killed || (opts.okCodes ?? [0]).includes(code ?? -1)) resolvePromise();
      else reject(gitError(cwd, args, stderr, code));
    });
  });
  done.catch(() => {}); // callers await it; never an unhandled rejection in between
  return {
    child,
    stdin: child.stdin,
    done,
    kill() {
      killed = true;
      child.kill();
    },
  };
}

export interface RepoInfo {
  /** Absolute path of the git directory (`.git` of a work tree, or the bare repository itself). */
  gitDir: string;
  /** Absolute path of the work tree; null for a bare repository. */
  workTree: string | null;
  /** True when history was cut (a `--depth` clone): older commits are simply not there. */
  shallow: boolean;
}

/**
 * Checks that `path` is inside a git work tree or is a git dir (bare or `.git`), and describes it.
 * Errors: LS_PATH_NOT_FOUND, LS_GIT_NOT_A_REPO, LS_GIT_NOT_INSTALLED, LS_GIT_FAILED.
 */
export async function openRepo(path: string): Promise<RepoInfo> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new LeakstopError("LS_PATH_NOT_FOUND", `path not found: ${path}`);
  const ask = (extra: string[]) =>
    runGit(abs, [
      "rev-parse",
      "--path-format=absolute",
      "--git-dir",
      "--is-bare-repository",
      "--is-shallow-repository",
      ...extra,
    ]);
  // `--show-toplevel` fails inside a bare repository or a .git folder: a folder that looks like a git
  // dir is asked without it first (one git run instead of a failed one and a second), and asked
  // again with it only if git says it is in a work tree after all.
  let out: string | null = null;
  if (looksLikeGitDir(abs)) {
    const lines = (await ask(["--is-inside-work-tree"])).split("\n");
    if (lines[3] !== "true") out = lines.slice(0, 3).join("\n");
  }
  out ??= await ask(["--show-toplevel"]).catch((err: LeakstopError) => {
    if (err.code !== "LS_GIT_FAILED") throw err;
    return ask([]);
  });
  const [gitDir = "", bare, shallow, top] = out.split("\n");
  return {
    gitDir: isAbsolute(gitDir) ? gitDir : resolve(abs, gitDir),
    workTree: bare === "true" || !top ? null : top,
    shallow: shallow === "true",
  };
}

/** A folder holding `HEAD` and `objects/`, as a bare repository or a `.git` folder does. */
function looksLikeGitDir(dir: string): boolean {
  return existsSync(join(dir, "HEAD")) && existsSync(join(dir, "objects"));
}
