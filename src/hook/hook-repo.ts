/**
 * Where the pre-commit hook runs, without a `git rev-parse` process (one process fewer at every
 * commit): git starts a hook at the top of the work tree, so a `.git` folder in the current
 * directory names the repository, unless something sends git elsewhere. Then (GIT_DIR or
 * GIT_WORK_TREE set, `core.worktree`, `core.bare`, an `[include]` that could set them, a `.git`
 * file of a linked worktree or submodule, a subfolder, no `.git` at all) the hook asks git, as
 * every other command does.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { RepoInfo } from "../sources/git/run-git.js";

/** Config lines that could move the work tree or make the repository bare (`bare = false` is every repository's). */
const ELSEWHERE = /^\s*(?:worktree|bare\s*=\s*(?:true|yes|on|1)\b|\[include)/im;

/** The repository whose work tree's top is `cwd`, or null when only git can tell. */
export function repoAtWorkTreeTop(cwd: string, env: NodeJS.ProcessEnv): RepoInfo | null {
  if (env.GIT_DIR || env.GIT_WORK_TREE) return null;
  const top = resolve(cwd);
  const gitDir = join(top, ".git");
  let config: string;
  try {
    config = readFileSync(join(gitDir, "config"), "utf8");
  } catch {
    return null; // no .git folder here (a .git file reads as ENOTDIR)
  }
  if (ELSEWHERE.test(config)) return null;
  return { gitDir, workTree: top, shallow: existsSync(join(gitDir, "shallow")) };
}
