/** Runs the built CLI as a user would: a real process, real files, exit code and both streams. */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runCli as runCliAsync } from "../../src/demo/run-cli.js";

export const CLI = fileURLToPath(new URL("../../../bin/leakstop.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function leakstop(
  args: string[],
  opts: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input: opts.input ?? "",
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Bad input's answer: exit 2 and one `leakstop: ` line on stderr matching `pattern` (so no stack trace either). */
export function oneLineError(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got: ${r.stderr}`);
  assert.match(lines[0]!, /^leakstop: /);
  assert.match(lines[0]!, pattern);
}

/**
 * The same as {@link leakstop}, without blocking: for tests whose own Redis clients, servers or
 * receivers must keep running while the CLI does (leakstop demo's runner, shared).
 */
export function leakstopAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCliAsync(args, { NO_COLOR: "1", ...env });
}

/** A long-running command (server, worker) started the way an operator starts it. */
export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the first output line that matches `ready` (and the match); rejects if the process exits first. */
  up: Promise<{ line: string; match: RegExpExecArray }>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Everything it wrote so far (stdout + stderr). */
  output(): string;
}

export function startCli(args: string[], env: Record<string, string>, ready: RegExp): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const up = new Promise<{ line: string; match: RegExpExecArray }>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      for (const line of out.split("\n")) {
        const match = ready.exec(line);
        if (match) return resolve({ line, match });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${args[0]} exited (${code}): ${out.slice(-1500)}`)));
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, up, exited, output: () => out };
}

/** SIGTERM (if still running) and the exit code. */
export async function stopCli(p: Pick<CliProcess, "child" | "exited">): Promise<number | null> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
  return p.exited;
}
