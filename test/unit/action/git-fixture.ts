/** A checkout as actions/checkout leaves it, for the Action's tests (repositories come from test/helpers/git-repo.ts). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GitRepo, git } from "../../helpers/git-repo.js";

export function tempDir(prefix = "leakstop-action-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A clone of `origin` with every branch under refs/remotes/origin/ (what `fetch-depth: 0` gives),
 * or a shallow one with `depth`.
 */
export function cloneOf(origin: GitRepo, depth?: number): string {
  const dir = join(tempDir(), "checkout");
  const shallow = depth ? ["--depth", String(depth), "--no-single-branch"] : [];
  git(tmpdir(), ["clone", "-q", ...shallow, `file://${origin.dir}`, dir]);
  return dir;
}
