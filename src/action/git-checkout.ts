/** The few questions the Action asks the checked-out repository before it scans. */
import { isLeakstopError, LeakstopError } from "../lib/errors.js";
import { runGitSync } from "../sources/git/run-git.js";

/** A read-only view of the checkout. */
export interface Checkout {
  /** The work tree's top folder: what reported paths are relative to. */
  root: string;
  shallow: boolean;
  /** The commit `rev` names (an annotated tag is peeled), or null when it is not in the checkout. */
  commit(rev: string): string | null;
  /** The annotated tag object `rev` names, or null (a commit, or not in the checkout). */
  tag(rev: string): string | null;
  /** The best common ancestor of two commits, or null for unrelated histories. */
  mergeBase(a: string, b: string): string | null;
  /** The commit a remote-tracking branch points at, or null when it was not fetched. */
  remoteBranch(name: string): string | null;
}

/** Runs git; exit code 1 is an answer here ("no such commit", "no merge base"), given as null. */
function ask(root: string, args: string[]): string | null {
  const out = runGitSync(root, args, { okCodes: [0, 1] }).trim();
  return out === "" ? null : out;
}

/**
 * @throws LeakstopError LS_ACTION_CHECKOUT when `root` is not a git work tree; LS_GIT_* when git fails
 */
export function openCheckout(root: string): Checkout {
  let state: string;
  try {
    state = runGitSync(root, ["rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-toplevel"]);
  } catch (err) {
    if (isLeakstopError(err) && (err.code === "LS_GIT_NOT_A_REPO" || err.code === "LS_PATH_NOT_FOUND"))
      throw new LeakstopError(
        "LS_ACTION_CHECKOUT",
        `${root} is not a git checkout: run actions/checkout (with fetch-depth: 0) before leakstop`,
      );
    throw err;
  }
  const [inside, shallow, top] = state.split("\n");
  if (inside !== "true" || !top)
    throw new LeakstopError(
      "LS_ACTION_CHECKOUT",
      `${root} is not a git work tree: run actions/checkout before leakstop`,
    );
  const commit = (rev: string) => ask(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  return {
    root: top,
    shallow: shallow === "true",
    commit,
    tag: (rev) => ask(top, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{tag}`]),
    mergeBase: (a, b) => ask(top, ["merge-base", a, b]),
    // actions/checkout fetches branches as refs/remotes/origin/*; a local clone has them under the same name.
    remoteBranch: (name) => commit(`refs/remotes/origin/${name}`) ?? commit(`refs/heads/${name}`),
  };
}
