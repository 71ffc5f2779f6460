/**
 * Measuring a command: wall time (hrtime around the child), peak RSS, user and system CPU,
 * read from GNU time's `-v` report on stderr when /usr/bin/time exists.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export interface RunResult {
  wallMs: number;
  maxRssMb: number | null;
  userS: number | null;
  sysS: number | null;
  exitCode: number;
  stderr: string;
}

const GNU_TIME = "/usr/bin/time";

function field(report: string, name: string): number | null {
  const m = report.match(new RegExp(`${name}[^:]*: ([0-9.]+)`));
  return m ? Number(m[1]) : null;
}

/** Runs `cmd args` once; stdout goes to `stdoutFile` (or /dev/null). */
export function timedRun(
  cmd: string,
  args: string[],
  opts: { cwd?: string; stdoutFile?: string; env?: NodeJS.ProcessEnv } = {},
): RunResult {
  const useTime = existsSync(GNU_TIME);
  const fd = openSync(opts.stdoutFile ?? "/dev/null", "w");
  const argv = useTime ? ["-v", cmd, ...args] : args;
  const start = process.hrtime.bigint();
  const r = spawnSync(useTime ? GNU_TIME : cmd, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", fd, "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  closeSync(fd);
  const stderr = r.stderr?.toString() ?? "";
  const rssKb = useTime ? field(stderr, "Maximum resident set size") : null;
  // GNU time reports the child's status as its own exit code; "Command exited with non-zero status N" too.
  return {
    wallMs,
    maxRssMb: rssKb === null ? null : rssKb / 1024,
    userS: useTime ? field(stderr, "User time") : null,
    sysS: useTime ? field(stderr, "System time") : null,
    exitCode: r.status ?? 2,
    stderr,
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Series {
  label: string;
  runs: RunResult[];
}

/**
 * Runs a command `runs` times after one warm-up run (`warmup: false`: none, for runs of minutes).
 * `ok` decides which exit codes count as success.
 */
export function series(
  label: string,
  cmd: string,
  args: string[],
  runs: number,
  opts: { cwd?: string; stdoutFile?: string; ok?: (code: number) => boolean; warmup?: boolean } = {},
): Series {
  const ok = opts.ok ?? ((c) => c === 0);
  const warm = opts.warmup === false ? null : timedRun(cmd, args, opts);
  if (warm && !ok(warm.exitCode)) {
    const lastLines = warm.stderr
      .split("\n")
      .filter((l) => !/^\s/.test(l) && l.trim())
      .slice(0, 5)
      .join("\n");
    throw new Error(`${label}: exit ${warm.exitCode}\n${lastLines}`);
  }
  const out: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = timedRun(cmd, args, opts);
    // A failed run (say, a detector file caught mid-edit) would pass for a very fast one.
    if (!ok(r.exitCode)) throw new Error(`${label}: run ${i + 1} exited ${r.exitCode}\n${r.stderr.split("\n")[0]}`);
    out.push(r);
  }
  return { label, runs: out };
}

/** Files and bytes under a root, skipping .git (what a working-tree scan can read at most). */
export function treeStats(root: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === ".git") continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(root);
  return { files, bytes };
}
