/** Runs the built Action entry point as the runner would: a real process, GITHUB_* environment, workflow files. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ACTION_MAIN = fileURLToPath(new URL("../../src/action/main.js", import.meta.url));

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  /** GITHUB_STEP_SUMMARY's content ("" when nothing was written). */
  summary: string;
  /** GITHUB_OUTPUT parsed into name → value. */
  outputs: Record<string, string>;
}

/**
 * @param workspace the checkout (GITHUB_WORKSPACE)
 * @param event the event name; `payload` is written to a file for GITHUB_EVENT_PATH (unless undefined)
 * @param env more variables (INPUT_*, overrides); a value of undefined removes a variable
 * @param nodeArgs options for node itself (e.g. `--import` a tracer)
 */
export function runAction(
  workspace: string,
  event: string,
  payload: unknown,
  env: Record<string, string | undefined> = {},
  nodeArgs: string[] = [],
): ActionRun {
  const runnerDir = join(workspace, "..", `runner-${Math.random().toString(36).slice(2)}`);
  mkdirSync(runnerDir, { recursive: true });
  const files = {
    GITHUB_EVENT_PATH: join(runnerDir, "event.json"),
    GITHUB_STEP_SUMMARY: join(runnerDir, "summary.md"),
    GITHUB_OUTPUT: join(runnerDir, "output.txt"),
  };
  if (payload !== undefined) writeFileSync(files.GITHUB_EVENT_PATH, JSON.stringify(payload));
  const full: Record<string, string | undefined> = {
    ...inheritedEnv(),
    ...files,
    GITHUB_EVENT_NAME: event,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_SHA: "f".repeat(40),
    GITHUB_REF: "refs/heads/main",
    "INPUT_FAIL-ON-FINDINGS": "true",
    INPUT_SARIF: "leakstop.sarif",
    ...env,
  };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const r = spawnSync(process.execPath, [...nodeArgs, ACTION_MAIN], {
    cwd: workspace,
    env: full as NodeJS.ProcessEnv,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : "");
  return {
    code: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    summary: read(files.GITHUB_STEP_SUMMARY),
    outputs: parseOutputs(read(files.GITHUB_OUTPUT)),
  };
}

/** The test process's environment without anything a real runner set (the suite may itself run in Actions). */
function inheritedEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_|LEAKSTOP_)/.test(k)) env[k] = v;
  return env;
}

/** The runner's GITHUB_OUTPUT syntax: `name=value` lines and `name<<DELIMITER` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      out[block[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  }
  return out;
}
