/** Runs the built CLI as a user would: a real process, real files, exit code and both streams. */
import { spawnSync } from "node:child_process";
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

/**
 * The same as {@link leakstop}, without blocking: for tests whose own Redis clients, servers or
 * receivers must keep running while the CLI does (leakstop demo's runner, shared).
 */
export function leakstopAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCliAsync(args, { NO_COLOR: "1", ...env });
}
