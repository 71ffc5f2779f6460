/**
 * `leakstop hook install`: writes the pre-commit (or pre-push) hook into the current repository's
 * hooks folder, as git itself finds it (core.hooksPath, linked worktrees, `.git` as a file).
 * An existing hook of someone else's is kept and run first (chained), unless --force replaces it
 * (it is then kept aside as `<name>.leakstop-replaced`). Installing twice changes nothing more.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LeakstopError } from "../lib/errors.js";
import { runGitSync } from "../sources/git/run-git.js";
import { chainedName, HOOK_MARKER, type HookKind, hookScript } from "./hook-script.js";

export interface InstallOptions {
  /** A folder inside the repository (default "."). */
  cwd?: string;
  kind: HookKind;
  force: boolean;
  /** Absolute paths written into the hook: the node binary and leakstop's bin/leakstop.js. */
  node: string;
  cli: string;
  /** Write `hook run --report` into the hook. */
  report?: boolean;
}

export interface InstallResult {
  path: string;
  /** "installed" (no hook before), "updated" (ours was there), "chained" (kept theirs, runs it first), "replaced" (--force). */
  action: "installed" | "updated" | "chained" | "replaced";
  /** Where the previous hook now lives, for "chained" and "replaced". */
  previous: string | null;
}

/** The hooks folder git runs hooks from, made absolute. */
export function hooksDir(cwd: string): string {
  const out = runGitSync(cwd, ["rev-parse", "--path-format=absolute", "--git-path", "hooks"]).trim();
  return resolve(cwd, out);
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

export function installHook(o: InstallOptions): InstallResult {
  const cwd = o.cwd ?? ".";
  const dir = hooksDir(cwd);
  const path = join(dir, o.kind);
  const chained = join(dir, chainedName(o.kind));
  const existing = readText(path);
  const ours = existing?.includes(HOOK_MARKER) === true;
  let action: InstallResult["action"] = "installed";
  let previous: string | null = null;
  let chain = false;
  if (ours) {
    action = "updated";
    // Keep the chain a previous install set up (unless --force drops it).
    chain = !o.force && existing.includes(chainedName(o.kind)) && existsSync(chained);
    previous = chain ? chained : null;
  } else if (existing !== null) {
    if (o.force) {
      previous = `${path}.leakstop-replaced`;
      renameSync(path, previous);
      action = "replaced";
    } else {
      if (existsSync(chained))
        throw new LeakstopError(
          "LS_HOOK_CONFLICT",
          `${path} exists and so does ${chained}: move one of them away, or use --force to replace the hook`,
        );
      renameSync(path, chained);
      action = "chained";
      previous = chained;
      chain = true;
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, hookScript({ kind: o.kind, node: o.node, cli: o.cli, chain, report: o.report === true }), {
    mode: 0o755,
  });
  chmodSync(path, 0o755);
  return { path, action, previous };
}
