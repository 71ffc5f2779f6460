/**
 * Runs one git command of a mirror (clone, fetch). With an abort signal, git runs in a process
 * group of its own, so that stopping it stops every helper it started too (git-remote-https,
 * index-pack, upload-pack, pack-objects), and the call settles only once none of them is left:
 * after an abort nothing writes into the mirror's folder any more, and the caller may remove it.
 * A `leakstop worker` aborts its repository jobs' git commands when it shuts down. Without a signal
 * git stays in the caller's group, so a terminal's Ctrl-C reaches it as before.
 *
 * A command that prints nothing (progress included) for `silentMs` is stopped the same way.
 */
import { spawn } from "node:child_process";

/** Settings of {@link runGit}. */
export interface GitRunOptions {
  cwd: string;
  env: Record<string, string>;
  /** Stops git (and its helpers) when aborted; the call then rejects with {@link GitAbortedError}. */
  signal?: AbortSignal;
  /** Stop git when it printed nothing for this long. */
  silentMs: number;
}

/** A git command stopped by its caller's abort signal. */
export class GitAbortedError extends Error {
  constructor(what: string) {
    super(`git ${what} stopped: the worker is shutting down`);
    this.name = "GitAbortedError";
  }
}

/** How long the helpers of a stopped git may take to exit before they are killed outright. */
const GROUP_EXIT_MS = 5000;

/** Process groups of git commands still running, killed outright if this process exits first. */
const liveGroups = new Set<number>();
let exitHook = false;

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nobody is left in the group
  }
}

/** Waits until no process of the group is left (SIGKILL after {@link GROUP_EXIT_MS}). */
async function groupGone(pgid: number): Promise<void> {
  const until = Date.now() + GROUP_EXIT_MS;
  while (signalGroup(pgid, 0)) {
    if (Date.now() > until) {
      signalGroup(pgid, "SIGKILL");
      if (Date.now() > until + 1000) break; // unreapable (a zombie under an init that does not reap)
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  liveGroups.delete(pgid);
}

/**
 * Runs `git ARGS` and resolves with its stdout.
 * @throws GitAbortedError when the signal stopped it; else an Error whose message is git's stderr
 */
export function runGit(args: string[], opts: GitRunOptions): Promise<string> {
  const what = args[0] ?? "";
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new GitAbortedError(what));
    const grouped = opts.signal !== undefined;
    const child = spawn("git", args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: grouped,
    });
    const pgid = grouped ? child.pid : undefined;
    if (pgid !== undefined) {
      liveGroups.add(pgid);
      if (!exitHook) {
        exitHook = true;
        process.once("exit", () => {
          for (const g of liveGroups) signalGroup(g, "SIGKILL");
        });
      }
    }
    let stdout = "";
    let stderr = "";
    let stopped: Error | null = null;
    let timer: NodeJS.Timeout | undefined;
    const stop = (why: Error) => {
      if (stopped) return;
      stopped = why;
      if (pgid !== undefined) signalGroup(pgid, "SIGTERM");
      else child.kill("SIGTERM");
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => stop(new Error(`fatal: git ${what} printed nothing for ${Math.round(opts.silentMs / 1000)} s`)),
        opts.silentMs,
      );
    };
    const onAbort = () => stop(new GitAbortedError(what));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    arm();
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      arm();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-16_384);
      arm();
    });
    let spawnError: Error | null = null;
    child.on("error", (err) => {
      spawnError = err;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      const settle = () => {
        if (stopped) reject(stopped);
        else if (spawnError) reject(spawnError);
        else if (code === 0) resolve(stdout);
        else reject(new Error(stderr.trim() || `git ${what} exited with ${code ?? signal}`));
      };
      if (pgid === undefined) settle();
      else void groupGone(pgid).then(settle);
    });
  });
}
